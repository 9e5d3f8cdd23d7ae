using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>A realistic analytic query over orders, order_items and items, tokenized whole.</summary>
public sealed class RealisticQueryTests
{
    /// <summary>About 1.2 KB: a CTE, joins, date and interval literals, GROUP BY, window functions and CASE.</summary>
    internal const string MonthlyRevenue = """
        -- Monthly net revenue per category in 2024, with a running total and a rank.
        WITH order_lines AS (
            SELECT o.order_id,
                   o.customer_id,
                   date_trunc('month', o.order_date) AS order_month,
                   i.category,
                   oi.quantity * oi.unit_price * (1 - coalesce(oi.discount, 0.0)) AS net_amount
            FROM orders AS o
            INNER JOIN order_items oi ON oi.order_id = o.order_id
            LEFT JOIN items i ON i.item_id = oi.item_id
            WHERE o.order_date >= DATE '2024-01-01'
              AND o.order_date < DATE '2024-01-01' + INTERVAL '1' YEAR
              AND o.status <> 'cancelled' /* refunds are separate rows */
        )
        SELECT order_month,
               category,
               count(DISTINCT customer_id) AS customers,
               sum(net_amount) AS revenue,
               sum(sum(net_amount)) OVER (PARTITION BY category ORDER BY order_month
                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_revenue,
               rank() OVER (PARTITION BY order_month ORDER BY sum(net_amount) DESC) AS category_rank,
               CASE WHEN sum(net_amount) >= 1e6 THEN 'large'
                    WHEN sum(net_amount) >= 1e4 THEN 'medium'
                    ELSE 'small' END AS size_band
        FROM order_lines
        GROUP BY order_month, category
        HAVING count(*) > 10
        ORDER BY order_month, revenue DESC NULLS LAST
        LIMIT 100
        """;

    [Fact]
    public void A_monthly_revenue_query_tokenizes_to_the_expected_tokens()
    {
        var tokens = SqlLexer.Tokenize(MonthlyRevenue);

        Assert.Equal(217, tokens.Count);
        Assert.Equal(TokenKind.EndOfInput, tokens[^1].Kind);
        var byKind = tokens.CountBy(t => t.Kind).ToDictionary();
        Assert.Equal(62, byKind[TokenKind.Keyword]);
        Assert.Equal(69, byKind[TokenKind.Identifier]);
        Assert.Equal(8, byKind[TokenKind.StringLiteral]);
        Assert.Equal(6, byKind[TokenKind.Number]);
        Assert.DoesNotContain(TokenKind.Other, byKind.Keys);
    }

    [Fact]
    public void The_date_and_interval_literals_are_where_they_are_written()
    {
        var tokens = SqlLexer.Tokenize(MonthlyRevenue);

        var interval = tokens.Single(t => t.IsKeyword("INTERVAL"));
        var index = tokens.ToList().IndexOf(interval);

        Assert.Equal(new SourcePosition(MonthlyRevenue.IndexOf("INTERVAL", StringComparison.Ordinal), 12, 46), interval.Start);
        Assert.Equal(["DATE", "2024-01-01", "+", "INTERVAL", "1", "YEAR"], tokens.Skip(index - 3).Take(6).Select(t => t.Value));
        Assert.Equal(TokenKind.StringLiteral, tokens[index + 1].Kind);
    }

    [Fact]
    public void The_window_frame_reads_as_keywords()
    {
        var tokens = SqlLexer.Tokenize(MonthlyRevenue).ToList();
        var rows = tokens.FindIndex(t => t.IsKeyword("ROWS"));

        Assert.Equal(
            ["ROWS", "BETWEEN", "UNBOUNDED", "PRECEDING", "AND", "CURRENT", "ROW"],
            tokens.Skip(rows).Take(7).Select(t => t.IsKeyword(t.Value) ? t.Value : "not a keyword"));
    }
}
