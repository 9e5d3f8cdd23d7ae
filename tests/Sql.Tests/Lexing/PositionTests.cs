using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>Comments are skipped and every position stays right across every kind of line break.</summary>
public sealed class PositionTests
{
    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Each_kind_of_line_break_starts_one_new_line(string lineBreak)
    {
        var sql = $"SELECT a,{lineBreak}  b";

        var b = Lex.Find(sql, "b");

        Assert.Equal(new SourcePosition(sql.Length - 1, 2, 3), b.Start);
    }

    [Theory]
    [InlineData("a\n\nb", 3)]
    [InlineData("a\r\n\r\nb", 3)]
    [InlineData("a\r\rb", 3)]
    [InlineData("a\n\rb", 3)]
    [InlineData("a\r\n\rb", 3)]
    public void Consecutive_line_breaks_each_count(string sql, int line)
    {
        var b = Lex.Find(sql, "b");

        Assert.Equal(line, b.Start.Line);
        Assert.Equal(1, b.Start.Column);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Line_comments_end_at_any_line_break(string lineBreak)
    {
        var sql = $"SELECT 1 -- the answer; or not{lineBreak}FROM t";

        var tokens = Lex.Tokens(sql);

        Assert.Equal(["SELECT", "1", "FROM", "t"], tokens.Select(t => t.Value));
        Assert.Equal(new SourcePosition(sql.IndexOf("FROM", StringComparison.Ordinal), 2, 1), tokens[2].Start);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Block_comments_across_lines_keep_positions_right(string lineBreak)
    {
        var sql = $"SELECT /* one{lineBreak}two{lineBreak}*/ x /* same line */ y";

        var tokens = Lex.Tokens(sql);

        Assert.Equal(["SELECT", "x", "y"], tokens.Select(t => t.Value));
        Assert.Equal(new SourcePosition(sql.IndexOf('x'), 3, 4), tokens[1].Start);
        Assert.Equal(new SourcePosition(sql.IndexOf('y'), 3, 22), tokens[2].Start);
    }

    [Fact]
    public void Block_comments_do_not_nest()
    {
        Assert.Equal(["c", "*", "/"], Lex.Values("/* a /* b */ c */"));
    }

    [Fact]
    public void The_star_of_the_opening_does_not_close_a_block_comment()
    {
        Assert.Equal(["y"], Lex.Values("/*/ x */ y"));
    }

    [Theory]
    [InlineData("SELECT 1 --")]
    [InlineData("SELECT 1 -- no line break at the end")]
    [InlineData("SELECT 1 /**/")]
    [InlineData("SELECT 1/*\n*/")]
    public void Comments_at_the_end_of_the_input_are_skipped(string sql)
    {
        Assert.Equal(["SELECT", "1"], Lex.Values(sql));
    }

    [Fact]
    public void Line_breaks_inside_quotes_count()
    {
        const string Sql = "SELECT 'a\nb', \"c\r\nd\",\rz";

        var z = Lex.Find(Sql, "z");

        Assert.Equal(new SourcePosition(Sql.Length - 1, 4, 1), z.Start);
    }

    [Fact]
    public void Columns_count_utf16_units_so_an_emoji_counts_two_and_a_tab_one()
    {
        const string Sql = "'😀'\tx";

        var x = Lex.Find(Sql, "x");

        Assert.Equal(new SourcePosition(5, 1, 6), x.Start);
    }

    [Fact]
    public void Every_token_starts_where_its_source_text_is()
    {
        const string Sql = "SELECT \"Café\" , '数据' -- c\r\n  FROM /* x */ t\rWHERE a <> 1.5e3";

        foreach (var token in Lex.Tokens(Sql))
        {
            var before = Sql[..token.Start.Offset];
            var lineStart = Math.Max(before.LastIndexOf('\n'), before.LastIndexOf('\r')) + 1;
            var line = 1 + before.Replace("\r\n", "\n").Count(c => c is '\n' or '\r');

            Assert.Equal(line, token.Start.Line);
            Assert.Equal(token.Start.Offset - lineStart + 1, token.Start.Column);
            Assert.Equal(Sql.Substring(token.Start.Offset, token.Length), token.SourceText(Sql));
        }
    }
}
