using Hera.Sql.Rewriting;

namespace Hera.Sql.Tests.Rewriting;

/// <summary>What a dialect cannot express exactly is declined as <c>sql_unsupported</c> with the reason, never guessed.</summary>
public sealed class DeclineTests
{
    [Theory]
    [InlineData("clickhouse", "SELECT rank() OVER (ORDER BY price) FROM items", "window functions (rank OVER ...): clickhouse has none")]
    [InlineData("clickhouse", "SELECT user_id FROM orders INTERSECT SELECT user_id FROM users", "INTERSECT: clickhouse has no such set operation")]
    [InlineData("sqlite", "SELECT user_id FROM orders EXCEPT ALL SELECT user_id FROM users", "EXCEPT ALL: sqlite has no such set operation")]
    [InlineData("clickhouse", "SELECT date_diff('month', dt, DATE '2026-03-01') FROM orders", "date_diff: ClickHouse 18.16's dateDiff counts calendar boundaries crossed, Trino counts whole units elapsed")]
    [InlineData("postgres", "SELECT TRY_CAST(name AS BIGINT) FROM users", "TRY_CAST: PostgreSQL has no cast that gives NULL on failure")]
    [InlineData("sqlite", "SELECT stddev(price) FROM items", "stddev: SQLite has no standard deviation aggregate")]
    [InlineData("clickhouse", "SELECT x / 2 FROM t", "division of operands of unknown type: clickhouse's / always gives a fraction while Trino's truncates integers (cast an operand to DOUBLE or BIGINT)")]
    [InlineData("clickhouse", "SELECT date_trunc('month', x) FROM t", "date_trunc: cannot tell whether its argument is a DATE or a TIMESTAMP, and clickhouse writes them differently (cast it)")]
    [InlineData("clickhouse", "SELECT (SELECT max(o.dt) FROM orders AS o WHERE o.user_id = u.user_id) FROM users AS u", "a correlated scalar subquery: clickhouse has no correlated subqueries")]
    [InlineData("clickhouse", "SELECT * FROM users AS u WHERE u.city NOT IN (SELECT s.region FROM sellers AS s WHERE s.name = u.name)", "a correlated NOT IN (NULLs in the subquery make it differ from an anti-join): clickhouse has no correlated subqueries")]
    [InlineData("clickhouse", "SELECT * FROM users AS u WHERE EXISTS (SELECT 1 FROM orders AS o WHERE o.user_id > u.user_id)", "a correlated EXISTS whose correlation is not an equality: clickhouse has no correlated subqueries")]
    [InlineData("clickhouse", "SELECT * FROM orders AS o JOIN users AS u ON u.user_id = o.user_id JOIN items AS i ON i.item_id = o.order_id", "SELECT * over more than one join (the columns of each table are not known here): clickhouse cannot express it")]
    [InlineData("clickhouse", "SELECT 1 FROM users AS u LEFT JOIN orders AS o ON o.user_id = u.user_id AND u.age > 3", "a LEFT JOIN whose ON is not only equalities between its two sides: clickhouse cannot express it")]
    [InlineData("clickhouse", "SELECT name FROM users WHERE name LIKE 'a!%' ESCAPE '!'", "LIKE ... ESCAPE")]
    [InlineData("clickhouse", "SELECT DATE '1969-12-31'", "'1969-12-31' is outside the dates clickhouse can hold (1970-01-01 to 2105-12-31)")]
    [InlineData("sqlite", "SELECT INTERVAL '1' DAY", "an INTERVAL value outside date arithmetic")]
    [InlineData("clickhouse", "SELECT c.name FROM categories AS c FULL JOIN categories AS p ON p.category_id = c.parent_id", "FULL JOIN: clickhouse is unreliable with it (write it as a LEFT JOIN)")]
    [InlineData("oracle", "SELECT 1", "no printer for this dialect")]
    public void Declines_with_the_reason(string dialect, string sql, string reason)
    {
        var declined = Assert.Throws<SqlUnsupportedException>(() => ShopColumns.Rewriter.Rewrite(sql, dialect));
        Assert.Equal("sql_unsupported", declined.Code);
        Assert.Equal(dialect, declined.Dialect);
        Assert.Equal(reason, declined.Reason);
    }

    [Fact]
    public void Rewrite_all_gives_each_engine_its_sql_or_its_decline_in_the_given_order()
    {
        var results = ShopColumns.Rewriter.RewriteAll(
            "SELECT seller_id, rank() OVER (ORDER BY price DESC) FROM items",
            [("local", "sqlite"), ("ch-1", "clickhouse"), ("pg", "postgres"), ("ch-2", "clickhouse")]);

        Assert.Equal(["local", "ch-1", "pg", "ch-2"], results.Select(r => r.EngineName));
        Assert.Equal([true, false, true, false], results.Select(r => r.IsSupported));
        Assert.Equal("SELECT seller_id, rank() OVER (ORDER BY price DESC NULLS LAST) FROM items", results[2].Sql);
        Assert.Equal("window functions (rank OVER ...): clickhouse has none", results[3].Declined!.Reason);
    }

    [Fact]
    public void A_syntax_error_surfaces_once_with_its_position_for_all_engines()
    {
        var error = Assert.Throws<SqlSyntaxException>(() =>
            ShopColumns.Rewriter.RewriteAll("SELECT FROM orders", [("pg", "postgres"), ("ch", "clickhouse")]));

        Assert.Equal("Expected: an expression, found: FROM at line 1, column 8", error.Message);
    }

    [Fact]
    public void Without_column_types_a_clickhouse_division_of_columns_is_declined_but_postgres_needs_none()
    {
        var results = new SqlRewriter().RewriteAll("SELECT quantity / 2 FROM order_items", [("pg", "postgres"), ("ch", "clickhouse")]);

        Assert.Equal("SELECT quantity / 2 FROM order_items", results[0].Sql);
        Assert.False(results[1].IsSupported);
    }
}
