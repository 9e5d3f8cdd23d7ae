using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>Numeric literals in every form Trino reads, and where a number stops.</summary>
public sealed class NumberTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("42")]
    [InlineData("007")]
    [InlineData("1_000_000")]
    [InlineData("0x1F")]
    [InlineData("0XfF")]
    [InlineData("0xDEAD_BEEF")]
    [InlineData("0b1010")]
    [InlineData("0o17")]
    [InlineData("1.5")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("3.141_592")]
    [InlineData("1e9")]
    [InlineData("1.5e10")]
    [InlineData("2.5E-3")]
    [InlineData("1E+6")]
    [InlineData(".5e1")]
    [InlineData("1.e5")]
    public void Every_numeric_form_is_one_number_as_written(string sql)
    {
        var token = Lex.Single(sql);

        Assert.Equal(TokenKind.Number, token.Kind);
        Assert.Equal(sql, token.Value);
    }

    [Theory]
    [InlineData("1e", "1|e")]
    [InlineData("1.5e+", "1.5|e|+")]
    [InlineData("1abc", "1|abc")]
    [InlineData("1__2", "1|__2")]
    [InlineData("1_", "1|_")]
    [InlineData("0x", "0|x")]
    [InlineData("0xG1", "0|xG1")]
    [InlineData("0b2", "0|b2")]
    [InlineData("1..2", "1.|.2")]
    [InlineData("-1", "-|1")]
    [InlineData("1-2", "1|-|2")]
    [InlineData("1e1_0", "1e1|_0")]
    public void A_number_stops_where_its_form_ends(string sql, string split)
    {
        Assert.Equal(split.Split('|'), Lex.Values(sql));
    }

    [Fact]
    public void A_dot_not_followed_by_a_digit_is_a_dot()
    {
        Assert.Equal([TokenKind.Identifier, TokenKind.Dot, TokenKind.Identifier], Lex.Kinds("o.order_id"));
    }
}
