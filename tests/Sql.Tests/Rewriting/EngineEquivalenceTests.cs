using System.Globalization;
using Hera.EngineAdapters.Sqlite;
using Hera.Sql.Rewriting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hera.Sql.Tests.Rewriting;

/// <summary>
/// Each Trino expression, printed for each engine, gives Trino's value when the engine runs it: SQLite in memory
/// with <see cref="SqliteFunctions"/> (always), PostgreSQL when <c>HERA_TEST_PG</c> is set, ClickHouse when
/// <c>HERA_TEST_CH</c> is set (those two return early without them). Values compare as text: numbers invariant
/// without trailing zeros, booleans as 1/0, dates <c>yyyy-MM-dd</c>, timestamps <c>yyyy-MM-dd HH:mm:ss</c>, NULL as null.
/// An expression an engine declines is skipped for it, and the declines are specified in <see cref="DeclineTests"/>.
/// </summary>
public sealed class EngineEquivalenceTests
{
    public static TheoryData<string, string?> Expressions() => new()
    {
        { "strpos('héllo wörld', 'ö')", "8" },
        { "strpos('abc', 'z')", "0" },
        { "lower('ÄÖÜ')", "äöü" },
        { "upper('äöü')", "ÄÖÜ" },
        { "length('héllo')", "5" },
        { "substr('héllo', 2, 3)", "éll" },
        { "substr('héllo', 2)", "éllo" },
        { "reverse('héllo')", "olléh" },
        { "concat('a', 'b', 'c')", "abc" },
        { "concat('a', NULL)", null },
        { "'a' || 'b'", "ab" },
        { "trim('  x  ')", "x" },
        { "replace('aXbX', 'X', 'y')", "ayby" },
        { "position('ö' IN 'wörld')", "2" },
        { "substring('héllo' FROM 2 FOR 3)", "éll" },
        { "7 / 2", "3" },
        { "-7 / 2", "-3" },
        { "7 % 3", "1" },
        { "7.0 / 2", "3.5" },
        { "CAST(7 AS DOUBLE) / 2", "3.5" },
        { "round(2.5)", "3" },
        { "round(-2.5)", "-3" },
        { "round(12.3456, 2)", "12.35" },
        { "round(100.0 * 21 / 20000, 2)", "0.11" },
        { "round(1234, -2)", "1200" },
        { "abs(-3)", "3" },
        { "CAST(3.7 AS INTEGER)", "4" },
        { "CAST(-3.7 AS INTEGER)", "-4" },
        { "CAST('12' AS BIGINT)", "12" },
        { "CAST(DATE '2024-01-05' AS VARCHAR)", "2024-01-05" },
        { "greatest(1, 5, 3)", "5" },
        { "greatest(1, NULL)", null },
        { "least(4, 2)", "2" },
        { "nullif(1, 1)", null },
        { "nullif(1, 2)", "1" },
        { "coalesce(NULL, 2)", "2" },
        { "CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END", "y" },
        { "'abc' LIKE 'a%'", "1" },
        { "'ABC' LIKE 'a%'", "0" },
        { "'abc' LIKE 'a_c'", "1" },
        { "NULL IS DISTINCT FROM 1", "1" },
        { "1 IS DISTINCT FROM 1", "0" },
        { "date_trunc('month', DATE '2024-02-17')", "2024-02-01" },
        { "date_trunc('month', TIMESTAMP '2024-02-17 10:11:12')", "2024-02-01 00:00:00" },
        { "date_trunc('week', DATE '2024-02-17')", "2024-02-12" },
        { "date_trunc('quarter', DATE '2024-05-17')", "2024-04-01" },
        { "date_trunc('year', DATE '2024-05-17')", "2024-01-01" },
        { "date_trunc('hour', TIMESTAMP '2024-02-17 10:11:12')", "2024-02-17 10:00:00" },
        { "day_of_week(DATE '2024-01-01')", "1" },
        { "day_of_week(DATE '2024-01-07')", "7" },
        { "year(DATE '2024-02-17')", "2024" },
        { "month(DATE '2024-02-17')", "2" },
        { "day(DATE '2024-02-17')", "17" },
        { "hour(TIMESTAMP '2024-02-17 10:11:12')", "10" },
        { "minute(TIMESTAMP '2024-02-17 10:11:12')", "11" },
        { "second(TIMESTAMP '2024-02-17 10:11:12')", "12" },
        { "quarter(DATE '2024-05-17')", "2" },
        { "day_of_year(DATE '2024-02-01')", "32" },
        { "week(DATE '2024-01-01')", "1" },
        { "EXTRACT(YEAR FROM DATE '2024-02-17')", "2024" },
        { "date_diff('day', DATE '2024-01-01', DATE '2024-03-01')", "60" },
        { "date_diff('day', DATE '2024-03-01', DATE '2024-01-01')", "-60" },
        { "date_diff('hour', TIMESTAMP '2024-01-01 10:59:00', TIMESTAMP '2024-01-01 11:00:00')", "0" },
        { "date_diff('hour', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-02 11:30:00')", "25" },
        { "date_diff('month', DATE '2024-01-15', DATE '2024-03-14')", "1" },
        { "date_add('day', 1, DATE '2024-01-31')", "2024-02-01" },
        { "date_add('month', 1, DATE '2024-01-31')", "2024-02-29" },
        { "date_add('hour', 2, TIMESTAMP '2024-01-01 23:00:00')", "2024-01-02 01:00:00" },
        { "DATE '2024-01-31' + INTERVAL '1' MONTH", "2024-02-29" },
        { "DATE '2024-03-01' - INTERVAL '1' DAY", "2024-02-29" },
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public void Sqlite_gives_trinos_value(string expression, string? expected)
    {
        if (Printed(expression, "sqlite") is not { } sql)
        {
            return;
        }

        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        SqliteFunctions.Register(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(expected, Normalise(command.ExecuteScalar(), null));
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public async Task PostgreSQL_gives_trinos_value(string expression, string? expected)
    {
        if (Environment.GetEnvironmentVariable("HERA_TEST_PG") is not { Length: > 0 } connectionString
            || Printed(expression, "postgres") is not { } sql)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(expected, Normalise(reader.IsDBNull(0) ? null : reader.GetValue(0), reader.GetDataTypeName(0)));
    }

    [Theory]
    [MemberData(nameof(Expressions))]
    public async Task ClickHouse_gives_trinos_value(string expression, string? expected)
    {
        if (Environment.GetEnvironmentVariable("HERA_TEST_CH") is not { Length: > 0 } baseUrl
            || Printed(expression, "clickhouse") is not { } sql)
        {
            return;
        }

        using var http = new HttpClient();
        using var response = await http.PostAsync(baseUrl, new StringContent(sql + " FORMAT TabSeparated"));
        var body = (await response.Content.ReadAsStringAsync()).TrimEnd('\n');
        Assert.True(response.IsSuccessStatusCode, $"{sql}: {body}");
        Assert.Equal(expected, body == "\\N" ? null : Normalise(body, null));
    }

    /// <summary>The statement for the dialect, or null when it declines.</summary>
    private static string? Printed(string expression, string dialect)
    {
        try
        {
            return ShopColumns.Rewriter.Rewrite($"SELECT {expression} AS v", dialect);
        }
        catch (SqlUnsupportedException)
        {
            return null;
        }
    }

    private static string? Normalise(object? value, string? typeName) => value switch
    {
        null or DBNull => null,
        bool b => b ? "1" : "0",
        DateTime d when typeName == "date" => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        long or int or short or decimal or double or float => Number(Convert.ToDecimal(value, CultureInfo.InvariantCulture)),
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => Number(number),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static string Number(decimal value) => (value / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
