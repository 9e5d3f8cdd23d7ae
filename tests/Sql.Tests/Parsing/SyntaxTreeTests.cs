using Hera.Sql.Lexing;
using Hera.Sql.Parsing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Tests.Parsing;

/// <summary>The shape and positions of parsed trees.</summary>
public sealed class SyntaxTreeTests
{
    [Fact]
    public void A_select_keeps_its_clauses_and_their_positions()
    {
        var query = SqlParser.ParseQuery("SELECT o.dt, count(*) AS n\nFROM orders o\nWHERE o.status = 'paid'\nGROUP BY 1");

        var select = Assert.IsType<Select>(query.Body);
        Assert.Equal(new SourcePosition(0, 1, 1), select.Position);
        var column = Assert.IsType<ColumnReference>(Assert.IsType<SelectExpression>(select.Items[0]).Expression);
        Assert.Equal(["o", "dt"], column.Name.Parts.Select(p => p.Value));
        Assert.Equal(new SourcePosition(7, 1, 8), column.Position);
        var count = Assert.IsType<FunctionCall>(Assert.IsType<SelectExpression>(select.Items[1]).Expression);
        Assert.True(count.Star);
        var table = Assert.IsType<TableRelation>(Assert.Single(select.From));
        Assert.Equal("o", table.Alias!.Name.Value);
        Assert.Equal(new SourcePosition(32, 2, 6), table.Position);
        var where = Assert.IsType<BinaryExpression>(select.Where);
        Assert.Equal(new SourcePosition(56, 3, 16), where.Position);
        Assert.Equal(new IntegerLiteral(1, default), Assert.Single(select.GroupBy));
    }

    [Fact]
    public void Equality_ignores_positions_but_not_content()
    {
        var a = SqlParser.ParseQuery("SELECT a FROM t");
        var b = SqlParser.ParseQuery("\n\n   select   a\nfrom t");

        Assert.Equal(a, b);
        Assert.NotEqual(a, SqlParser.ParseQuery("SELECT b FROM t"));
        Assert.NotEqual(a, SqlParser.ParseQuery("SELECT \"a\" FROM t"));
    }

    [Fact]
    public void Joins_associate_to_the_left_and_carry_their_criteria()
    {
        var select = Assert.IsType<Select>(SqlParser.ParseQuery(
            "SELECT * FROM a JOIN b USING (k) LEFT JOIN c ON c.k = b.k CROSS JOIN d").Body);

        var cross = Assert.IsType<JoinRelation>(Assert.Single(select.From));
        Assert.Equal(JoinKind.Cross, cross.Kind);
        Assert.Null(cross.Criteria);
        var left = Assert.IsType<JoinRelation>(cross.Left);
        Assert.Equal(JoinKind.Left, left.Kind);
        Assert.IsType<JoinOn>(left.Criteria);
        var inner = Assert.IsType<JoinRelation>(left.Left);
        Assert.Equal("k", Assert.Single(Assert.IsType<JoinUsing>(inner.Criteria).Columns).Value);
    }

    [Fact]
    public void Intersect_binds_tighter_than_union()
    {
        var union = Assert.IsType<SetOperation>(SqlParser.ParseQuery("SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3").Body);

        Assert.Equal(SetOperator.Union, union.Operator);
        Assert.Equal(SetQuantifier.All, union.Quantifier);
        Assert.Equal(SetOperator.Intersect, Assert.IsType<SetOperation>(union.Right).Operator);
    }

    [Fact]
    public void Literals_have_their_types()
    {
        var select = Assert.IsType<Select>(SqlParser.ParseQuery(
            "SELECT 42, 1.50, 1e3, 'x', DATE '2026-01-01', INTERVAL '2' HOUR, NULL, TRUE").Body);

        var values = select.Items.Cast<SelectExpression>().Select(i => i.Expression).ToArray();
        Assert.Equal(new IntegerLiteral(42, default), values[0]);
        Assert.Equal(new DecimalLiteral("1.50", default), values[1]);
        Assert.Equal(new DoubleLiteral("1e3", default), values[2]);
        Assert.Equal(new StringLiteral("x", default), values[3]);
        Assert.Equal(new TypedLiteral("DATE", "2026-01-01", default), values[4]);
        Assert.Equal(new IntervalLiteral("2", false, IntervalField.Hour, null, default), values[5]);
        Assert.IsType<NullLiteral>(values[6]);
        Assert.Equal(new BooleanLiteral(true, default), values[7]);
    }

    [Fact]
    public void A_window_function_keeps_partition_order_and_frame()
    {
        var call = Assert.IsType<FunctionCall>(SqlParser.ParseExpression(
            "sum(x) OVER (PARTITION BY a ORDER BY b DESC NULLS FIRST ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING)"));

        var window = call.Over!;
        Assert.Single(window.PartitionBy);
        Assert.Equal(SortDirection.Descending, window.OrderBy[0].Direction);
        Assert.Equal(NullsOrder.First, window.OrderBy[0].Nulls);
        Assert.Equal(FrameUnit.Rows, window.Frame!.Unit);
        Assert.Equal(new FrameBound(FrameBoundKind.Preceding, new IntegerLiteral(2, default), default), window.Frame.Start);
        Assert.Equal(FrameBoundKind.UnboundedFollowing, window.Frame.End!.Kind);
    }

    [Fact]
    public void Non_reserved_keywords_are_names_and_keep_their_spelling()
    {
        var select = Assert.IsType<Select>(SqlParser.ParseQuery("SELECT Date, year(dt) FROM t LIMIT 1").Body);

        var date = Assert.IsType<ColumnReference>(Assert.IsType<SelectExpression>(select.Items[0]).Expression);
        Assert.Equal("Date", date.Name.Last.Value);
        Assert.IsType<FunctionCall>(Assert.IsType<SelectExpression>(select.Items[1]).Expression);
        Assert.Null(Assert.IsType<TableRelation>(select.From[0]).Alias);
    }
}
