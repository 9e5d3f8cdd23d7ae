using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>
/// Text outside Trino's lexicon that other engines accept passes through as tokens, never as an error: the parser
/// decides what it means.
/// </summary>
public sealed class LenientTests
{
    [Theory]
    [InlineData("\\")]
    [InlineData("#")]
    [InlineData("$")]
    [InlineData("@")]
    [InlineData("&")]
    [InlineData("~")]
    [InlineData("^")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("|")]
    [InlineData("!")]
    [InlineData("\u00a7")]
    [InlineData("\u201c")]
    [InlineData("😀")]
    public void A_character_that_starts_no_token_is_an_other_token(string sql)
    {
        var token = Lex.Single(sql);

        Assert.Equal(TokenKind.Other, token.Kind);
        Assert.Equal(sql, token.Value);
    }

    [Theory]
    [InlineData("SELECT a::int FROM t")]
    [InlineData("SELECT @@version")]
    [InlineData("SELECT a # b, ~c, d & e, f ^ g FROM t")]
    [InlineData("SELECT `id`, `order date` FROM `orders`")]
    [InlineData("SELECT $1, a$b FROM t")]
    [InlineData("SELECT * FROM t WHERE a ~ '^x' AND b !~ 'y'")]
    [InlineData("SELECT * FROM t MATCH_RECOGNIZE (PATTERN (^ A+ B{2,} | C $))")]
    public void Sql_of_other_engines_tokenizes_without_error(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql);

        Assert.Equal(TokenKind.EndOfInput, tokens[^1].Kind);
    }

    [Theory]
    [InlineData("\u00a0SELECT\u00a01")]
    [InlineData("\ufeffSELECT 1")]
    [InlineData("SELECT\u30001")]
    [InlineData("SELECT\f\v1")]
    public void Unicode_white_space_and_a_byte_order_mark_are_white_space(string sql)
    {
        Assert.Equal([TokenKind.Keyword, TokenKind.Number], Lex.Kinds(sql));
    }
}
