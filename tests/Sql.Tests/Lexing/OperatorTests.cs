using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>Operators: the longest one that fits is taken, and comments win over minus and slash.</summary>
public sealed class OperatorTests
{
    [Theory]
    [InlineData("a<>b", TokenKind.NotEquals)]
    [InlineData("a!=b", TokenKind.NotEquals)]
    [InlineData("a<=b", TokenKind.LessThanOrEqual)]
    [InlineData("a>=b", TokenKind.GreaterThanOrEqual)]
    [InlineData("a||b", TokenKind.Concat)]
    [InlineData("a->b", TokenKind.Arrow)]
    [InlineData("a=>b", TokenKind.FatArrow)]
    [InlineData("a=b", TokenKind.Equals)]
    [InlineData("a<b", TokenKind.LessThan)]
    [InlineData("a>b", TokenKind.GreaterThan)]
    public void Two_character_operators_are_one_token(string sql, TokenKind kind)
    {
        Assert.Equal([TokenKind.Identifier, kind, TokenKind.Identifier], Lex.Kinds(sql));
    }

    [Theory]
    [InlineData("a<-1", "a|<|-|1")]
    [InlineData("a- -b", "a|-|-|b")]
    [InlineData("a-b", "a|-|b")]
    [InlineData("a< >b", "a|<|>|b")]
    [InlineData("a<=>b", "a|<=|>|b")]
    [InlineData("x -> x + 1", "x|->|x|+|1")]
    [InlineData("a::int", "a|:|:|int")]
    [InlineData("a[1]", "a|[|1|]")]
    [InlineData("*/", "*|/")]
    [InlineData("a = ?", "a|=|?")]
    public void The_longest_operator_that_fits_is_taken(string sql, string split)
    {
        Assert.Equal(split.Split('|'), Lex.Values(sql));
    }

    [Theory]
    [InlineData("a--b", "a")]
    [InlineData("a/*b*/c", "a|c")]
    [InlineData("a-/**/-b", "a|-|-|b")]
    public void Comments_win_over_minus_and_slash(string sql, string split)
    {
        Assert.Equal(split.Split('|'), Lex.Values(sql));
    }
}
