using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>Strings, quoted identifiers and prefixed literals: what ends them and what their values are.</summary>
public sealed class QuotedTextTests
{
    [Theory]
    [InlineData("'it''s'", "it's")]
    [InlineData("''", "")]
    [InlineData("''''", "'")]
    [InlineData("'a''''b'", "a''b")]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    [InlineData(@"'C:\temp\'", @"C:\temp\")]
    [InlineData("'-- not a comment'", "-- not a comment")]
    [InlineData("'/* not a comment */'", "/* not a comment */")]
    [InlineData("'a;b'", "a;b")]
    public void Doubled_single_quotes_inside_a_string_are_one_quote(string sql, string value)
    {
        var token = Lex.Single(sql);

        Assert.Equal(TokenKind.StringLiteral, token.Kind);
        Assert.Equal(value, token.Value);
        Assert.Equal(sql.Length, token.Length);
    }

    [Theory]
    [InlineData("'Café'", "Café")]
    [InlineData("'数据仓库'", "数据仓库")]
    [InlineData("'Ünïcödé 😀 ok'", "Ünïcödé 😀 ok")]
    public void Strings_keep_non_ascii_text(string sql, string value)
    {
        Assert.Equal(value, Lex.Single(sql).Value);
    }

    [Fact]
    public void A_long_string_with_doubled_quotes_is_unescaped_whole()
    {
        var body = string.Concat(Enumerable.Repeat("ab''", 300));

        var token = Lex.Single($"'{body}'");

        Assert.Equal(body.Replace("''", "'"), token.Value);
    }

    [Fact]
    public void A_string_may_span_lines_and_keeps_its_line_breaks()
    {
        const string Sql = "'first\r\nsecond' x";

        var tokens = Lex.Tokens(Sql);

        Assert.Equal("first\r\nsecond", tokens[0].Value);
        Assert.Equal(new SourcePosition(16, 2, 9), tokens[1].Start);
    }

    [Theory]
    [InlineData("\"Order Id\"", "Order Id")]
    [InlineData("\"ORDERS\"", "ORDERS")]
    [InlineData("\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("\"数据\"", "数据")]
    [InlineData("\"Café\"", "Café")]
    [InlineData("\"it's\"", "it's")]
    public void Quoted_identifiers_keep_case_and_unescape_doubled_quotes(string sql, string value)
    {
        var token = Lex.Single(sql);

        Assert.Equal(TokenKind.QuotedIdentifier, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Fact]
    public void Backticked_identifiers_unescape_doubled_backticks()
    {
        var token = Lex.Single("`a``b`");

        Assert.Equal(TokenKind.BacktickIdentifier, token.Kind);
        Assert.Equal("a`b", token.Value);
    }

    [Theory]
    [InlineData("X'00FF'", "00FF")]
    [InlineData("x'ab'", "ab")]
    [InlineData("X''", "")]
    public void Binary_literals_keep_their_digits(string sql, string value)
    {
        var token = Lex.Single(sql);

        Assert.Equal(TokenKind.BinaryLiteral, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Fact]
    public void A_binary_literal_has_no_doubled_quote_escape()
    {
        Assert.Equal([TokenKind.BinaryLiteral, TokenKind.StringLiteral], Lex.Kinds("X'ab''cd'"));
    }

    [Theory]
    [InlineData(@"U&'caf\00E9'", @"caf\00E9")]
    [InlineData(@"u&'it''s \+01F600'", @"it's \+01F600")]
    public void Unicode_strings_unescape_quotes_and_leave_backslash_escapes_to_the_parser(string sql, string value)
    {
        var token = Lex.Single(sql);

        Assert.Equal(TokenKind.UnicodeStringLiteral, token.Kind);
        Assert.Equal(value, token.Value);
    }

    [Theory]
    [InlineData("X '01'", new[] { TokenKind.Identifier, TokenKind.StringLiteral })]
    [InlineData("U &'a'", new[] { TokenKind.Identifier, TokenKind.Other, TokenKind.StringLiteral })]
    [InlineData("xy'01'", new[] { TokenKind.Identifier, TokenKind.StringLiteral })]
    [InlineData("E'a'", new[] { TokenKind.Identifier, TokenKind.StringLiteral })]
    public void A_prefix_makes_a_literal_only_when_the_quote_follows_at_once(string sql, TokenKind[] kinds)
    {
        Assert.Equal(kinds, Lex.Kinds(sql));
    }
}
