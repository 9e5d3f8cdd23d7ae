using Hera.Sql.Tests.Parsing;

namespace Hera.Sql.Tests.Printing;

/// <summary><c>print(parse(x))</c> is canonical and <c>parse(print(parse(x))) == parse(x)</c>, over the shop corpus.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> CanonicalQueries() => [.. CanonicalCorpus.Queries];

    public static TheoryData<string, string> NormalisedQueries()
    {
        var data = new TheoryData<string, string>();
        foreach (var (input, canonical) in CanonicalCorpus.Normalised)
        {
            data.Add(input, canonical);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CanonicalQueries))]
    public void A_canonical_query_prints_as_itself_and_parses_back_equal(string sql) => SqlAssert.RoundTrip(sql, sql);

    [Theory]
    [MemberData(nameof(NormalisedQueries))]
    public void A_query_prints_in_canonical_form_and_parses_back_equal(string input, string canonical) =>
        SqlAssert.RoundTrip(input, canonical);

    [Fact]
    public void The_corpus_holds_at_least_eighty_queries() =>
        Assert.True(CanonicalCorpus.Queries.Length + CanonicalCorpus.Normalised.Length >= 80);

    [Fact]
    public void A_realistic_multi_line_query_with_comments_round_trips() =>
        SqlAssert.RoundTrip(
            Lexing.RealisticQueryTests.MonthlyRevenue,
            "WITH order_lines AS (SELECT o.order_id, o.customer_id, date_trunc('month', o.order_date) AS order_month, i.category, "
            + "oi.quantity * oi.unit_price * (1 - coalesce(oi.discount, 0.0)) AS net_amount FROM orders AS o "
            + "JOIN order_items AS oi ON oi.order_id = o.order_id LEFT JOIN items AS i ON i.item_id = oi.item_id "
            + "WHERE o.order_date >= DATE '2024-01-01' AND o.order_date < DATE '2024-01-01' + INTERVAL '1' YEAR "
            + "AND o.status <> 'cancelled') "
            + "SELECT order_month, category, count(DISTINCT customer_id) AS customers, sum(net_amount) AS revenue, "
            + "sum(sum(net_amount)) OVER (PARTITION BY category ORDER BY order_month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_revenue, "
            + "rank() OVER (PARTITION BY order_month ORDER BY sum(net_amount) DESC) AS category_rank, "
            + "CASE WHEN sum(net_amount) >= 1e6 THEN 'large' WHEN sum(net_amount) >= 1e4 THEN 'medium' ELSE 'small' END AS size_band "
            + "FROM order_lines GROUP BY order_month, category HAVING count(*) > 10 ORDER BY order_month, revenue DESC NULLS LAST LIMIT 100");
}
