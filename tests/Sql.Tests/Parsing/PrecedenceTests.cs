using Hera.Sql.Parsing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Tests.Parsing;

/// <summary>Operators bind as in Trino: OR &lt; AND &lt; NOT &lt; predicates &lt; || &lt; + - &lt; * / % &lt; unary -.</summary>
public sealed class PrecedenceTests
{
    [Fact]
    public void And_binds_tighter_than_or()
    {
        var or = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("a OR b AND c"));

        Assert.Equal(BinaryOperator.Or, or.Operator);
        Assert.Equal(BinaryOperator.And, Assert.IsType<BinaryExpression>(or.Right).Operator);
    }

    [Fact]
    public void Not_applies_to_the_whole_comparison()
    {
        var not = Assert.IsType<UnaryExpression>(SqlParser.ParseExpression("NOT a = b"));

        Assert.Equal(UnaryOperator.Not, not.Operator);
        Assert.Equal(BinaryOperator.Equal, Assert.IsType<BinaryExpression>(not.Operand).Operator);
    }

    [Fact]
    public void Unary_minus_binds_tighter_than_multiplication()
    {
        var product = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("-x * y"));

        Assert.Equal(BinaryOperator.Multiply, product.Operator);
        Assert.Equal(UnaryOperator.Negate, Assert.IsType<UnaryExpression>(product.Left).Operator);
    }

    [Fact]
    public void Concatenation_binds_tighter_than_comparison()
    {
        var equal = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("a || b = c"));

        Assert.Equal(BinaryOperator.Equal, equal.Operator);
        Assert.Equal(BinaryOperator.Concat, Assert.IsType<BinaryExpression>(equal.Left).Operator);
    }

    [Fact]
    public void Addition_binds_tighter_than_concatenation_and_multiplication_tighter_than_addition()
    {
        var concat = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("a || b + c * d"));

        var sum = Assert.IsType<BinaryExpression>(concat.Right);
        Assert.Equal(BinaryOperator.Add, sum.Operator);
        Assert.Equal(BinaryOperator.Multiply, Assert.IsType<BinaryExpression>(sum.Right).Operator);
    }

    [Fact]
    public void Operators_of_one_level_associate_to_the_left()
    {
        var difference = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("a - b - c"));

        Assert.Equal(BinaryOperator.Subtract, Assert.IsType<BinaryExpression>(difference.Left).Operator);
        Assert.IsType<ColumnReference>(difference.Right);
    }

    [Fact]
    public void Between_takes_its_and_before_the_logical_and()
    {
        var and = Assert.IsType<BinaryExpression>(SqlParser.ParseExpression("x BETWEEN 1 AND 2 AND y"));

        Assert.Equal(BinaryOperator.And, and.Operator);
        Assert.IsType<BetweenExpression>(and.Left);
    }

    [Theory]
    [InlineData("a OR b AND c", "a OR b AND c")]
    [InlineData("(a OR b) AND c", "(a OR b) AND c")]
    [InlineData("NOT a = b", "NOT a = b")]
    [InlineData("(NOT a) = b", "(NOT a) = b")]
    [InlineData("-x * y", "-x * y")]
    [InlineData("-(x * y)", "-(x * y)")]
    [InlineData("a || b = c", "a || b = c")]
    [InlineData("a || (b = c)", "a || (b = c)")]
    [InlineData("(a = b) = c", "(a = b) = c")]
    [InlineData("a * (b + c) / (d - e)", "a * (b + c) / (d - e)")]
    [InlineData("a / (b * c)", "a / (b * c)")]
    [InlineData("(a IS NULL) = TRUE", "(a IS NULL) = TRUE")]
    [InlineData("(a + b) BETWEEN (c || d) AND -e", "a + b BETWEEN c || d AND -e")]
    [InlineData("a - -1", "a - -1")]
    [InlineData("NOT (a AND b)", "NOT (a AND b)")]
    public void The_printer_parenthesises_only_where_precedence_needs_it(string input, string canonical)
    {
        var parsed = SqlParser.ParseExpression(input);
        var printed = SqlAssert.CanonicalExpression(input);

        Assert.Equal(canonical, printed);
        Assert.Equal(parsed, SqlParser.ParseExpression(printed));
    }
}
