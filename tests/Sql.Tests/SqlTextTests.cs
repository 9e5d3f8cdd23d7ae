using Hera.Sql.Lexing;

namespace Hera.Sql.Tests;

/// <summary>The submission check: at least one statement, and how statements are counted.</summary>
public sealed class SqlTextTests
{
    [Theory]
    [InlineData("SELECT 1", 1)]
    [InlineData("SELECT 1;", 1)]
    [InlineData("SELECT 1; SELECT 2;", 2)]
    [InlineData("SELECT 1; SELECT 2", 2)]
    [InlineData("SELECT 1;\nSELECT 2;\r\nSELECT 3", 3)]
    [InlineData("SELECT 1;  \n\t ", 1)]
    [InlineData("SELECT 1; -- done\n", 1)]
    [InlineData("SELECT 1; /* done */", 1)]
    [InlineData("SELECT 1;;", 1)]
    [InlineData(";SELECT 1", 1)]
    [InlineData("SELECT ';'", 1)]
    [InlineData("SELECT \"a;b\" FROM t", 1)]
    [InlineData("SELECT 1 -- ; SELECT 2\n", 1)]
    [InlineData("SELECT 1 /* ; SELECT 2 */", 1)]
    [InlineData("SELECT f(1; 2)", 1)]
    [InlineData("SELECT a) ; SELECT 2", 2)]
    [InlineData("-- header\nSELECT 1", 1)]
    public void Statements_are_the_non_empty_top_level_pieces_between_semicolons(string sql, int statements)
    {
        Assert.Equal(statements, SqlText.CheckSubmittable(sql));
    }

    [Theory]
    [InlineData("", "Expected: a statement, found: end of input at line 1, column 1")]
    [InlineData("   ", "Expected: a statement, found: end of input at line 1, column 4")]
    [InlineData("-- nothing\n/* at all */\n", "Expected: a statement, found: end of input at line 3, column 1")]
    [InlineData(";", "Expected: a statement, found: ; at line 1, column 1")]
    [InlineData("  ;\n;", "Expected: a statement, found: ; at line 1, column 3")]
    [InlineData("SELECT 'x", "Expected: closing quote ', found: end of input at line 1, column 8")]
    [InlineData("SELECT 1 /*", "Expected: end of comment */, found: end of input at line 1, column 10")]
    public void Text_without_a_statement_or_that_does_not_tokenize_is_refused(string sql, string message)
    {
        var error = Assert.Throws<SqlSyntaxException>(() => SqlText.CheckSubmittable(sql));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void The_refusal_of_empty_text_points_at_its_end()
    {
        var error = Assert.Throws<SqlSyntaxException>(() => SqlText.CheckSubmittable("\n\n  "));

        Assert.Equal(new SourcePosition(4, 3, 3), error.Position);
    }

    [Fact]
    public void A_null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => SqlText.CheckSubmittable(null!));
    }
}
