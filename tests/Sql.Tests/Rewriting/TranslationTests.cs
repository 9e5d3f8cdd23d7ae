using Hera.Sql.Rewriting;

namespace Hera.Sql.Tests.Rewriting;

/// <summary>Trino in, each dialect's SQL out: the dialect tables and lowering rules, one rule per case.</summary>
public sealed class TranslationTests
{
    [Fact]
    public void Unicode_string_functions_use_each_engines_character_counting_form() => AssertTranslates(
        "SELECT strpos(name, 'ö'), lower(name), upper(name), length(name), substr(name, 2, 3), substr(name, 2) FROM users",
        postgres: "SELECT strpos(name, 'ö'), lower(name), upper(name), length(name), substr(name, 2, 3), substr(name, 2) FROM users",
        sqlite: "SELECT instr(name, 'ö'), hera_lower(name), hera_upper(name), length(name), substr(name, 2, 3), substr(name, 2) FROM users",
        clickhouse: "SELECT positionUTF8(name, 'ö'), lowerUTF8(name), upperUTF8(name), lengthUTF8(name), substringUTF8(name, 2, 3), substringUTF8(name, 2, 2147483647) FROM users");

    [Fact]
    public void Bound_parameters_pass_through_every_dialect_for_the_engine_to_bind() => AssertTranslates(
        "SELECT order_id FROM orders WHERE status = @p0 AND user_id IN (@p1, @p2) AND channel <> @channel_name",
        postgres: "SELECT order_id FROM orders WHERE status = @p0 AND user_id IN (@p1, @p2) AND channel <> @channel_name",
        sqlite: "SELECT order_id FROM orders WHERE status = @p0 AND user_id IN (@p1, @p2) AND channel <> @channel_name",
        clickhouse: "SELECT order_id FROM orders WHERE status = @p0 AND user_id IN (@p1, @p2) AND channel <> @channel_name");

    [Fact]
    public void A_recursive_query_runs_where_recursive_CTEs_exist_and_ClickHouse_declines_it()
    {
        const string Sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c";
        const string Printed = "WITH RECURSIVE c (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c";
        var rewriter = new SqlRewriter();

        Assert.Equal(Printed, rewriter.Rewrite(Sql, "postgres"));
        Assert.Equal(Printed, rewriter.Rewrite(Sql, "sqlite"));
        Assert.Equal(Printed, rewriter.Rewrite(Sql, "trino"));
        Assert.Throws<SqlUnsupportedException>(() => rewriter.Rewrite(Sql, "clickhouse"));
        Assert.Contains("WITH RECURSIVE", Assert.Throws<SqlUnsupportedException>(() => rewriter.Rewrite("WITH RECURSIVE c AS (SELECT 1 AS x) SELECT x FROM c", "clickhouse")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ClickHouse_declines_a_select_alias_that_shadows_a_column_the_query_reads()
    {
        var rewriter = new SqlRewriter();

        var declined = Assert.Throws<SqlUnsupportedException>(() => rewriter.Rewrite(
            "SELECT lower(city) AS city, count(*) FROM users GROUP BY lower(city)", "clickhouse"));
        Assert.Contains("'city'", declined.Reason, StringComparison.Ordinal);
        Assert.Equal(
            "SELECT lowerUTF8(city) AS town, count(*) FROM users GROUP BY lowerUTF8(city)",
            rewriter.Rewrite("SELECT lower(city) AS town, count(*) FROM users GROUP BY lower(city)", "clickhouse"));
        Assert.Equal("SELECT city AS city FROM users WHERE city = 'x'", rewriter.Rewrite("SELECT city AS city FROM users WHERE city = 'x'", "clickhouse"));
        Assert.Equal("SELECT max(city) AS city FROM users", rewriter.Rewrite("SELECT max(city) AS city FROM users", "clickhouse"));
        Assert.Throws<SqlUnsupportedException>(() => rewriter.Rewrite("SELECT coalesce(gender, '?') AS gender, nullif(gender, 'm') FROM users", "clickhouse"));
    }

    [Fact]
    public void Integer_division_truncates_everywhere_and_becomes_intDiv_in_ClickHouse() => AssertTranslates(
        "SELECT 7 / 2, quantity / 2, sum(quantity) / count(*), 7.0 / 2 FROM order_items",
        postgres: "SELECT 7 / 2, quantity / 2, sum(quantity) / count(*), 7.0 / 2 FROM order_items",
        sqlite: "SELECT 7 / 2, quantity / 2, sum(quantity) / count(*), 7.0 / 2 FROM order_items",
        clickhouse: "SELECT intDiv(7, 2), intDiv(quantity, 2), intDiv(sum(quantity), count(*)), 7.0 / 2 FROM order_items");

    [Fact]
    public void Date_trunc_keeps_a_date_a_date_and_a_timestamp_a_timestamp() => AssertTranslates(
        "SELECT date_trunc('month', dt), date_trunc('month', order_ts) FROM orders",
        postgres: "SELECT CAST(date_trunc('month', dt) AS DATE), date_trunc('month', order_ts) FROM orders",
        sqlite: "SELECT hera_date_trunc('month', dt), hera_date_trunc('month', order_ts) FROM orders",
        clickhouse: "SELECT toStartOfMonth(dt), toDateTime(toStartOfMonth(order_ts)) FROM orders");

    [Fact]
    public void Date_arithmetic_and_fields() => AssertTranslates(
        "SELECT date_diff('day', DATE '2024-01-01', dt), dt + INTERVAL '3' DAY, order_ts - INTERVAL '2' HOUR, day_of_week(dt), EXTRACT(YEAR FROM dt) FROM orders",
        postgres: "SELECT CAST(trunc(EXTRACT(EPOCH FROM (CAST(dt AS TIMESTAMP) - CAST(DATE '2024-01-01' AS TIMESTAMP))) / 86400) AS BIGINT), "
            + "CAST(dt + 3 * INTERVAL '1 day' AS DATE), (order_ts + (-2) * INTERVAL '1 hour'), CAST(EXTRACT(ISODOW FROM dt) AS BIGINT), "
            + "CAST(EXTRACT(YEAR FROM dt) AS BIGINT) FROM orders",
        sqlite: "SELECT hera_date_diff('day', '2024-01-01', dt), hera_date_add('day', 3, dt), hera_date_add('hour', -2, order_ts), "
            + "hera_day_of_week(dt), CAST(strftime('%Y', dt) AS INTEGER) FROM orders",
        clickhouse: "SELECT dateDiff('day', toDate('2024-01-01'), dt), addDays(dt, 3), addHours(order_ts, (-2)), toDayOfWeek(dt), toYear(dt) FROM orders");

    [Fact]
    public void Greatest_and_least_give_null_when_any_argument_is_null() => AssertTranslates(
        "SELECT greatest(age, 30, 40), least(age, 20), concat(name, city) FROM users",
        postgres: "SELECT CASE WHEN age IS NULL OR 30 IS NULL OR 40 IS NULL THEN NULL ELSE greatest(age, 30, 40) END, "
            + "CASE WHEN age IS NULL OR 20 IS NULL THEN NULL ELSE least(age, 20) END, (name || city) FROM users",
        sqlite: "SELECT max(age, 30, 40), min(age, 20), (name || city) FROM users",
        clickhouse: "SELECT greatest(age, greatest(30, 40)), least(age, 20), concat(name, city) FROM users");

    [Fact]
    public void Nulls_sort_last_in_both_directions_as_in_Trino() => AssertTranslates(
        "SELECT name FROM users ORDER BY age DESC, name",
        postgres: "SELECT name FROM users ORDER BY age DESC NULLS LAST, name",
        sqlite: "SELECT name FROM users ORDER BY age DESC, name NULLS LAST",
        clickhouse: "SELECT name FROM users ORDER BY age DESC, name");

    [Fact]
    public void Ordinals_become_the_items_they_name_where_unsupported() => AssertTranslates(
        "SELECT city, count(*) FROM users GROUP BY 1 ORDER BY 2 DESC, 1",
        postgres: "SELECT city, count(*) FROM users GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1",
        sqlite: "SELECT city, count(*) FROM users GROUP BY 1 ORDER BY 2 DESC, 1 NULLS LAST",
        clickhouse: "SELECT city, count(*) FROM users GROUP BY city ORDER BY count(*) DESC, city");

    [Fact]
    public void Order_by_over_a_union_orders_the_whole_result() => AssertTranslates(
        "SELECT city FROM users UNION SELECT region FROM sellers ORDER BY 1",
        postgres: "SELECT city FROM users UNION SELECT region FROM sellers ORDER BY 1",
        sqlite: "SELECT city FROM users UNION SELECT region FROM sellers ORDER BY 1 NULLS LAST",
        clickhouse: "SELECT DISTINCT * FROM (SELECT city FROM users UNION ALL SELECT region FROM sellers) AS _u ORDER BY city");

    [Fact]
    public void A_set_operation_on_the_right_is_a_derived_table_where_operands_take_no_parentheses() => AssertTranslates(
        "SELECT 1 EXCEPT (SELECT 2 UNION SELECT 3)",
        postgres: "SELECT 1 EXCEPT (SELECT 2 UNION SELECT 3)",
        sqlite: "SELECT 1 EXCEPT SELECT * FROM (SELECT 2 UNION SELECT 3) AS _u",
        clickhouse: null);

    [Fact]
    public void Left_join_conditions_on_the_right_side_move_into_a_derived_table_and_nulls_are_asked_for() => AssertTranslates(
        "SELECT u.name, o.order_id FROM users AS u LEFT JOIN orders AS o ON o.user_id = u.user_id AND o.status = 'paid'",
        postgres: "SELECT u.name, o.order_id FROM users AS u LEFT JOIN orders AS o ON o.user_id = u.user_id AND o.status = 'paid'",
        sqlite: "SELECT u.name, o.order_id FROM users AS u LEFT JOIN orders AS o ON o.user_id = u.user_id AND o.status = 'paid'",
        clickhouse: "SELECT u.name, o.order_id FROM users AS u LEFT JOIN (SELECT * FROM orders AS o WHERE o.status = 'paid') AS o "
            + "ON o.user_id = u.user_id SETTINGS join_use_nulls = 1");

    [Fact]
    public void ClickHouse_nests_joins_to_one_per_select_with_unambiguous_column_names() => AssertTranslates(
        "SELECT s.region, sum(oi.quantity) AS n FROM order_items AS oi JOIN items AS i ON i.item_id = oi.item_id JOIN sellers AS s ON s.seller_id = i.seller_id GROUP BY s.region",
        postgres: "SELECT s.region, sum(oi.quantity) AS n FROM order_items AS oi JOIN items AS i ON i.item_id = oi.item_id JOIN sellers AS s ON s.seller_id = i.seller_id GROUP BY s.region",
        sqlite: "SELECT s.region, sum(oi.quantity) AS n FROM order_items AS oi JOIN items AS i ON i.item_id = oi.item_id JOIN sellers AS s ON s.seller_id = i.seller_id GROUP BY s.region",
        clickhouse: "SELECT s.region, sum(oi__quantity) AS n FROM (SELECT oi.quantity AS oi__quantity, i.seller_id AS i__seller_id "
            + "FROM order_items AS oi JOIN items AS i ON i.item_id = oi.item_id) AS _j1 JOIN sellers AS s ON s.seller_id = i__seller_id GROUP BY s.region");

    [Fact]
    public void ClickHouse_turns_a_comma_join_into_joins_on_its_where_equalities() => AssertTranslates(
        "SELECT o.order_id, i.title FROM orders AS o, order_items AS oi, items AS i WHERE oi.order_id = o.order_id AND i.item_id = oi.item_id AND o.status = 'paid'",
        postgres: "SELECT o.order_id, i.title FROM orders AS o, order_items AS oi, items AS i WHERE oi.order_id = o.order_id AND i.item_id = oi.item_id AND o.status = 'paid'",
        sqlite: "SELECT o.order_id, i.title FROM orders AS o, order_items AS oi, items AS i WHERE oi.order_id = o.order_id AND i.item_id = oi.item_id AND o.status = 'paid'",
        clickhouse: "SELECT o__order_id AS order_id, i.title FROM (SELECT o.order_id AS o__order_id, o.status AS o__status, oi.item_id AS oi__item_id "
            + "FROM orders AS o JOIN order_items AS oi ON oi.order_id = o.order_id) AS _j1 JOIN items AS i ON i.item_id = oi__item_id WHERE o__status = 'paid'");

    [Fact]
    public void ClickHouse_inlines_ctes() => AssertTranslates(
        "WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT channel, count(*) FROM paid GROUP BY channel",
        postgres: "WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT channel, count(*) FROM paid GROUP BY channel",
        sqlite: "WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT channel, count(*) FROM paid GROUP BY channel",
        clickhouse: "SELECT channel, count(*) FROM (SELECT * FROM orders WHERE status = 'paid') AS paid GROUP BY channel");

    [Fact]
    public void ClickHouse_turns_correlated_exists_into_in() => AssertTranslates(
        "SELECT s.name FROM sellers AS s WHERE NOT EXISTS (SELECT 1 FROM items AS i WHERE i.seller_id = s.seller_id AND i.price > 100)",
        postgres: "SELECT s.name FROM sellers AS s WHERE NOT EXISTS (SELECT 1 FROM items AS i WHERE i.seller_id = s.seller_id AND i.price > 100)",
        sqlite: "SELECT s.name FROM sellers AS s WHERE NOT EXISTS (SELECT 1 FROM items AS i WHERE i.seller_id = s.seller_id AND i.price > 100)",
        clickhouse: "SELECT s.name FROM sellers AS s WHERE NOT s.seller_id IN (SELECT i.seller_id FROM items AS i WHERE toFloat64(i.price) > 100)");

    [Fact]
    public void ClickHouse_turns_a_correlated_in_into_a_tuple_in() => AssertTranslates(
        "SELECT u.name FROM users AS u WHERE u.city IN (SELECT s.region FROM sellers AS s WHERE s.name = u.name)",
        postgres: "SELECT u.name FROM users AS u WHERE u.city IN (SELECT s.region FROM sellers AS s WHERE s.name = u.name)",
        sqlite: "SELECT u.name FROM users AS u WHERE u.city IN (SELECT s.region FROM sellers AS s WHERE s.name = u.name)",
        clickhouse: "SELECT u.name FROM users AS u WHERE (u.city, u.name) IN (SELECT s.region, s.name FROM sellers AS s)");

    [Fact]
    public void Aggregate_filter_becomes_a_case_where_unsupported() => AssertTranslates(
        "SELECT count(*) FILTER (WHERE status = 'paid'), sum(quantity) FILTER (WHERE line_no = 1) FROM orders JOIN order_items USING (order_id)",
        postgres: "SELECT count(*) FILTER (WHERE status = 'paid'), sum(quantity) FILTER (WHERE line_no = 1) FROM orders JOIN order_items USING (order_id)",
        sqlite: "SELECT count(*) FILTER (WHERE status = 'paid'), sum(quantity) FILTER (WHERE line_no = 1) FROM orders JOIN order_items USING (order_id)",
        clickhouse: "SELECT count(CASE WHEN status = 'paid' THEN 1 END), sum(CASE WHEN line_no = 1 THEN quantity END) FROM orders JOIN order_items USING (order_id)");

    [Fact]
    public void Casts_round_fractions_to_integers_as_Trino_does() => AssertTranslates(
        "SELECT CAST(price AS INTEGER), CAST(dt AS VARCHAR), CAST('2024-01-01' AS DATE) FROM items JOIN orders ON dt = listed_at",
        postgres: "SELECT CAST(price AS INTEGER), CAST(dt AS VARCHAR), CAST('2024-01-01' AS DATE) FROM items JOIN orders ON dt = listed_at",
        sqlite: "SELECT CAST(hera_round(price) AS INTEGER), CAST(dt AS TEXT), date('2024-01-01') FROM items JOIN orders ON dt = listed_at",
        clickhouse: "SELECT toInt32(round(toFloat64(price))), toString(dt), toDate('2024-01-01') FROM items JOIN orders ON dt = listed_at");

    [Fact]
    public void Literals_take_each_dialects_form() => AssertTranslates(
        "SELECT TRUE, 'it''s', 'a\\b', DATE '2026-01-05', TIMESTAMP '2026-01-01 10:00'",
        postgres: "SELECT TRUE, 'it''s', 'a\\b', DATE '2026-01-05', TIMESTAMP '2026-01-01 10:00:00'",
        sqlite: "SELECT 1, 'it''s', 'a\\b', '2026-01-05', '2026-01-01 10:00:00'",
        clickhouse: "SELECT 1, 'it''s', 'a\\\\b', toDate('2026-01-05'), toDateTime('2026-01-01 10:00:00')");

    [Fact]
    public void Is_distinct_from_has_an_exact_form_everywhere() => AssertTranslates(
        "SELECT name FROM users WHERE gender IS DISTINCT FROM 'f'",
        postgres: "SELECT name FROM users WHERE gender IS DISTINCT FROM 'f'",
        sqlite: "SELECT name FROM users WHERE (gender IS NOT 'f')",
        clickhouse: "SELECT name FROM users WHERE (CASE WHEN gender IS NULL THEN 'f' IS NOT NULL WHEN 'f' IS NULL THEN 1 ELSE gender <> 'f' END)");

    [Fact]
    public void Decimal_columns_are_doubles_in_ClickHouse_and_keep_their_output_name() => AssertTranslates(
        "SELECT price, price * 1.5 FROM items WHERE price NOT BETWEEN 10 AND 20",
        postgres: "SELECT price, price * 1.5 FROM items WHERE price NOT BETWEEN 10 AND 20",
        sqlite: "SELECT price, price * 1.5 FROM items WHERE price NOT BETWEEN 10 AND 20",
        clickhouse: "SELECT toFloat64(price) AS price, toFloat64(price) * 1.5 FROM items WHERE NOT (toFloat64(price) BETWEEN 10 AND 20)");

    /// <summary>Asserts the SQL of each dialect; null means the dialect declines the query.</summary>
    internal static void AssertTranslates(string trino, string? postgres, string? sqlite, string? clickhouse)
    {
        var results = ShopColumns.Rewriter.RewriteAll(trino, [("pg", "postgres"), ("lite", "sqlite"), ("ch", "clickhouse"), ("t", "trino")]);
        Assert.Equal(postgres, results[0].Sql);
        Assert.Equal(sqlite, results[1].Sql);
        Assert.Equal(clickhouse, results[2].Sql);
        Assert.Equal(Parsing.SqlAssert.Canonical(trino), results[3].Sql);
    }
}
