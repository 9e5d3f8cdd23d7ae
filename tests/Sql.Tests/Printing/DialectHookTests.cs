using System.Collections.Frozen;
using Hera.Sql.Lexing;
using Hera.Sql.Parsing;
using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Tests.Printing;

/// <summary>A dialect printer changes spelling through the <see cref="SqlDialect"/> tables alone.</summary>
public sealed class DialectHookTests
{
    private sealed class TablePrinter() : SqlPrinter(new SqlDialect(
        "test",
        ("`", "`"),
        new Dictionary<string, FunctionMapping> { ["strpos"] = new("position", [1, 0]) }.ToFrozenDictionary(),
        new Dictionary<string, string> { ["DOUBLE"] = "Float64" }.ToFrozenDictionary(),
        OffsetBeforeLimit: false));

    [Fact]
    public void Function_names_argument_order_types_quotes_and_paging_come_from_the_tables()
    {
        var query = SqlParser.ParseQuery(
            "SELECT strpos(title, 'x'), CAST(price AS DOUBLE), \"my col\" FROM items OFFSET 5 LIMIT 10");

        Assert.Equal(
            "SELECT position('x', title), CAST(price AS Float64), `my col` FROM items LIMIT 10 OFFSET 5",
            new TablePrinter().Print(query));
    }

    [Fact]
    public void Names_that_would_not_read_back_bare_are_quoted()
    {
        var at = SourcePosition.Start;
        Identifier Name(string value) => new(value, false, at);
        var query = new Query(
            [],
            new Select(
                false,
                [new SelectExpression(new ColumnReference(new QualifiedName([Name("select")], at), at), Name("order id"), at)],
                [new TableRelation(new QualifiedName([Name("1t")], at), null, at)],
                null,
                [],
                null,
                at),
            [],
            null,
            null,
            at);

        Assert.Equal("SELECT \"select\" AS \"order id\" FROM \"1t\"", TrinoPrinter.Instance.Print(query));
    }

    [Fact]
    public void A_hand_built_set_operation_is_parenthesised_by_precedence()
    {
        var at = SourcePosition.Start;
        QueryBody One(long n) => new Select(false, [new SelectExpression(new IntegerLiteral(n, at), null, at)], [], null, [], null, at);
        var union = new SetOperation(SetOperator.Union, null, One(1), One(2), at);
        var body = new SetOperation(SetOperator.Intersect, null, union, new SetOperation(SetOperator.Intersect, null, One(3), One(4), at), at);

        Assert.Equal(
            "(SELECT 1 UNION SELECT 2) INTERSECT (SELECT 3 INTERSECT SELECT 4)",
            TrinoPrinter.Instance.Print(new Query([], body, [], null, null, at)));
    }
}
