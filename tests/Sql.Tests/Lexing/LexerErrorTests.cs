using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>Unterminated text is refused with a sqlparser-style message pointing at where it opens.</summary>
public sealed class LexerErrorTests
{
    [Theory]
    [InlineData("SELECT 'abc", "Expected: closing quote ', found: end of input at line 1, column 8", 7)]
    [InlineData("SELECT 'it''s", "Expected: closing quote ', found: end of input at line 1, column 8", 7)]
    [InlineData("SELECT 'a''", "Expected: closing quote ', found: end of input at line 1, column 8", 7)]
    [InlineData("SELECT 1,\r\n  'multi\nline", "Expected: closing quote ', found: end of input at line 2, column 3", 13)]
    [InlineData("SELECT \"abc", "Expected: closing quote \", found: end of input at line 1, column 8", 7)]
    [InlineData("SELECT a\rFROM \"t\"\"", "Expected: closing quote \", found: end of input at line 2, column 6", 14)]
    [InlineData("SELECT `abc", "Expected: closing quote `, found: end of input at line 1, column 8", 7)]
    [InlineData("SELECT X'00", "Expected: closing quote ', found: end of input at line 1, column 8", 7)]
    [InlineData("SELECT U&'caf", "Expected: closing quote ', found: end of input at line 1, column 8", 7)]
    [InlineData("SELECT 1 /* never closed", "Expected: end of comment */, found: end of input at line 1, column 10", 9)]
    [InlineData("SELECT 1\r\n/* a\n * b *", "Expected: end of comment */, found: end of input at line 2, column 1", 10)]
    [InlineData("/*/", "Expected: end of comment */, found: end of input at line 1, column 1", 0)]
    [InlineData("'数据", "Expected: closing quote ', found: end of input at line 1, column 1", 0)]
    public void Unterminated_text_is_refused_at_its_opening(string sql, string message, int offset)
    {
        var error = Assert.Throws<SqlSyntaxException>(() => SqlLexer.Tokenize(sql));

        Assert.Equal(message, error.Message);
        Assert.Equal(offset, error.Position.Offset);
        Assert.Equal("end of input", error.Found);
    }

    [Fact]
    public void The_error_carries_its_parts()
    {
        var error = Assert.Throws<SqlSyntaxException>(() => SqlLexer.Tokenize("SELECT\n  'x"));

        Assert.Equal("closing quote '", error.Expected);
        Assert.Equal("end of input", error.Found);
        Assert.Equal(new SourcePosition(9, 2, 3), error.Position);
    }

    [Fact]
    public void Streaming_fails_only_when_it_reaches_the_unterminated_text()
    {
        var lexer = new SqlLexer("SELECT 1, 'oops");

        Assert.Equal("SELECT", lexer.Next().Value);
        Assert.Equal("1", lexer.Next().Value);
        Assert.Equal(",", lexer.Next().Value);
        Assert.Throws<SqlSyntaxException>(() => lexer.Next());
    }

    [Fact]
    public void A_backslash_escaped_quote_is_not_an_escape_in_trino_sql()
    {
        var error = Assert.Throws<SqlSyntaxException>(() => SqlLexer.Tokenize(@"SELECT 'it\'s'"));

        Assert.Equal(new SourcePosition(13, 1, 14), error.Position);
    }
}
