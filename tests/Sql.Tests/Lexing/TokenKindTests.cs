using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>One example of every token kind: what text makes it and what value it carries.</summary>
public sealed class TokenKindTests
{
    public static TheoryData<string, TokenKind, string> Examples => new()
    {
        { "select", TokenKind.Keyword, "SELECT" },
        { "orders", TokenKind.Identifier, "orders" },
        { "\"Order Id\"", TokenKind.QuotedIdentifier, "Order Id" },
        { "`order id`", TokenKind.BacktickIdentifier, "order id" },
        { "'abc'", TokenKind.StringLiteral, "abc" },
        { @"U&'caf\00E9'", TokenKind.UnicodeStringLiteral, @"caf\00E9" },
        { "X'00ff'", TokenKind.BinaryLiteral, "00ff" },
        { "1.5e10", TokenKind.Number, "1.5e10" },
        { "?", TokenKind.Parameter, "?" },
        { "=", TokenKind.Equals, "=" },
        { "<>", TokenKind.NotEquals, "<>" },
        { "!=", TokenKind.NotEquals, "!=" },
        { "<", TokenKind.LessThan, "<" },
        { "<=", TokenKind.LessThanOrEqual, "<=" },
        { ">", TokenKind.GreaterThan, ">" },
        { ">=", TokenKind.GreaterThanOrEqual, ">=" },
        { "+", TokenKind.Plus, "+" },
        { "-", TokenKind.Minus, "-" },
        { "*", TokenKind.Asterisk, "*" },
        { "/", TokenKind.Slash, "/" },
        { "%", TokenKind.Percent, "%" },
        { "||", TokenKind.Concat, "||" },
        { "(", TokenKind.LeftParen, "(" },
        { ")", TokenKind.RightParen, ")" },
        { ",", TokenKind.Comma, "," },
        { ".", TokenKind.Dot, "." },
        { ";", TokenKind.Semicolon, ";" },
        { "[", TokenKind.LeftBracket, "[" },
        { "]", TokenKind.RightBracket, "]" },
        { ":", TokenKind.Colon, ":" },
        { "->", TokenKind.Arrow, "->" },
        { "=>", TokenKind.FatArrow, "=>" },
        { "@", TokenKind.Other, "@" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Text_makes_one_token_of_its_kind_with_its_value(string sql, TokenKind kind, string value)
    {
        var token = Lex.Single(sql);

        Assert.Equal(kind, token.Kind);
        Assert.Equal(value, token.Value);
        Assert.Equal(SourcePosition.Start, token.Start);
        Assert.Equal(sql.Length, token.Length);
        Assert.Equal(sql, token.SourceText(sql));
    }

    [Fact]
    public void Every_token_kind_has_an_example()
    {
        var covered = Examples.Select(row => (TokenKind)row[1]).Append(TokenKind.EndOfInput).ToHashSet();

        Assert.All(Enum.GetValues<TokenKind>(), kind => Assert.Contains(kind, covered));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n")]
    [InlineData("-- only a comment")]
    [InlineData("/* only\na comment */")]
    public void Input_without_tokens_is_only_end_of_input(string sql)
    {
        var token = Assert.Single(SqlLexer.Tokenize(sql));

        Assert.Equal(TokenKind.EndOfInput, token.Kind);
        Assert.Equal(string.Empty, token.Value);
        Assert.Equal(sql.Length, token.Start.Offset);
        Assert.Equal(0, token.Length);
    }

    [Fact]
    public void End_of_input_sits_just_after_the_last_character()
    {
        var end = SqlLexer.Tokenize("SELECT 1\nFROM t")[^1];

        Assert.Equal(new SourcePosition(15, 2, 7), end.Start);
    }

    [Fact]
    public void Streaming_gives_the_same_tokens_and_then_end_of_input_again()
    {
        const string Sql = "SELECT a, 'b' FROM t";
        var lexer = new SqlLexer(Sql);
        var streamed = new List<Token>();
        for (var token = lexer.Next(); token.Kind != TokenKind.EndOfInput; token = lexer.Next())
        {
            streamed.Add(token);
        }

        Assert.Equal(Lex.Tokens(Sql), streamed);
        Assert.Equal(TokenKind.EndOfInput, lexer.Next().Kind);
        Assert.Equal(TokenKind.EndOfInput, lexer.Next().Kind);
    }

    [Fact]
    public void Tokens_are_separated_without_white_space_where_the_text_allows()
    {
        Assert.Equal(
            [TokenKind.Identifier, TokenKind.LeftParen, TokenKind.Identifier, TokenKind.Comma, TokenKind.StringLiteral,
             TokenKind.RightParen, TokenKind.Concat, TokenKind.QuotedIdentifier, TokenKind.Dot, TokenKind.Identifier],
            Lex.Kinds("f(a,'b')||\"c\".d"));
    }

    [Fact]
    public void A_null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => SqlLexer.Tokenize(null!));
    }
}
