using System.Text;
using Hera.Sql.Lexing;
using Hera.Sql.Parsing;

namespace Hera.Sql.Tests.Parsing;

/// <summary>Errors say <c>Expected: X, found: Y at line L, column C</c>, at the offending token.</summary>
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("SELECT FROM t", "Expected: an expression, found: FROM at line 1, column 8")]
    [InlineData("SELECT a FROM", "Expected: a table name, found: end of input at line 1, column 14")]
    [InlineData("SELECT a FROM t WHERE", "Expected: an expression, found: end of input at line 1, column 22")]
    [InlineData("SELECT a FROM t x y", "Expected: end of statement, found: y at line 1, column 19")]
    [InlineData("SELECT 1; SELECT 2", "Expected: end of statement, found: SELECT at line 1, column 11")]
    [InlineData("FROM t", "Expected: SELECT or (, found: FROM at line 1, column 1")]
    [InlineData("", "Expected: SELECT or (, found: end of input at line 1, column 1")]
    [InlineData("SELECT count(x FROM t", "Expected: ), found: FROM at line 1, column 16")]
    [InlineData("SELECT (a + b FROM t", "Expected: ), found: FROM at line 1, column 15")]
    [InlineData("SELECT * FROM (SELECT 1", "Expected: ), found: end of input at line 1, column 24")]
    [InlineData("SELECT a FROM t WHERE x IN (1, 2", "Expected: ), found: end of input at line 1, column 33")]
    [InlineData("SELECT CASE WHEN a THEN b FROM t", "Expected: WHEN, ELSE or END, found: FROM at line 1, column 27")]
    [InlineData("SELECT CASE WHEN a THEN b ELSE c", "Expected: END, found: end of input at line 1, column 33")]
    [InlineData("SELECT CASE a END", "Expected: WHEN, found: END at line 1, column 15")]
    [InlineData("SELECT CAST(a b)", "Expected: AS, found: b at line 1, column 15")]
    [InlineData("SELECT CAST(a AS) FROM t", "Expected: a data type, found: ) at line 1, column 17")]
    [InlineData("SELECT * FROM a JOIN b WHERE x", "Expected: ON or USING, found: WHERE at line 1, column 24")]
    [InlineData("SELECT * FROM a LEFT b", "Expected: JOIN, found: b at line 1, column 22")]
    [InlineData("SELECT a FROM t ORDER a", "Expected: BY, found: a at line 1, column 23")]
    [InlineData("SELECT a FROM t ORDER BY a NULLS LOW", "Expected: FIRST or LAST, found: LOW at line 1, column 34")]
    [InlineData("SELECT a FROM t LIMIT x", "Expected: an integer, found: x at line 1, column 23")]
    [InlineData("SELECT a = b = c", "Expected: end of statement, found: = at line 1, column 14")]
    [InlineData("SELECT a IS b", "Expected: NULL or DISTINCT FROM, found: b at line 1, column 13")]
    [InlineData("SELECT INTERVAL '1' WEEK", "Expected: YEAR, MONTH, DAY, HOUR, MINUTE or SECOND, found: WEEK at line 1, column 21")]
    [InlineData("SELECT sum(x) OVER (ROWS 1)", "Expected: PRECEDING or FOLLOWING, found: ) at line 1, column 27")]
    [InlineData("SELECT `a` FROM t", "Expected: an expression, found: `a` at line 1, column 8")]
    [InlineData("SELECT 99999999999999999999", "Expected: an integer within BIGINT range, found: 99999999999999999999 at line 1, column 8")]
    [InlineData("WITH x AS SELECT 1", "Expected: (, found: SELECT at line 1, column 11")]
    [InlineData("SELECT a\nFROM t\nWHERE a >", "Expected: an expression, found: end of input at line 3, column 10")]
    [InlineData("SELECT a FROM t WHERE EXISTS (1)", "Expected: a query, found: 1 at line 1, column 31")]
    public void A_syntax_error_names_what_was_expected_and_where(string sql, string message) =>
        Assert.Equal(message, SqlAssert.Error(sql));

    [Fact]
    public void The_exception_carries_its_parts()
    {
        var error = Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseQuery("SELECT FROM t"));

        Assert.Equal("an expression", error.Expected);
        Assert.Equal("FROM", error.Found);
        Assert.Equal(new SourcePosition(7, 1, 8), error.Position);
    }

    [Fact]
    public void Unterminated_string_and_comment_are_reported_where_they_open()
    {
        Assert.Equal("Expected: closing quote ', found: end of input at line 1, column 27", SqlAssert.Error("SELECT a FROM t WHERE b = 'x"));
        Assert.Equal("Expected: end of comment */, found: end of input at line 1, column 10", SqlAssert.Error("SELECT a /* note"));
    }

    [Fact]
    public void Nesting_a_thousand_deep_gives_the_depth_error_not_a_stack_overflow()
    {
        var sql = "SELECT " + new string('(', 1000) + "1" + new string(')', 1000);

        var error = Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseQuery(sql));

        Assert.Equal($"at most {SqlParser.MaxDepth} levels of nesting", error.Expected);
        Assert.Equal("(", error.Found);
    }

    [Theory]
    [InlineData("SELECT * FROM t WHERE {0}a = 1", "NOT ")]
    [InlineData("SELECT {0}1", "- ")]
    [InlineData("SELECT a FROM t WHERE x IN {0}SELECT 1", "(SELECT a FROM t WHERE x IN ")]
    [InlineData("SELECT * FROM {0}t", "(SELECT * FROM ")]
    public void Deep_chains_of_every_kind_hit_the_depth_guard(string shape, string repeated)
    {
        var sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, new StringBuilder().Insert(0, repeated, 1000));

        var error = Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseQuery(sql));

        Assert.StartsWith($"Expected: at most {SqlParser.MaxDepth} levels of nesting", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_within_the_limit_parses()
    {
        var sql = "SELECT " + new string('(', 150) + "1" + new string(')', 150);

        Assert.Equal("SELECT 1", SqlAssert.Canonical(sql));
    }
}
