using System.Collections.Frozen;
using static Hera.Sql.Printing.FunctionMapping;

namespace Hera.Sql.Printing;

/// <summary>
/// Prints lowered syntax trees as PostgreSQL 15 SQL. PostgreSQL shares most of Trino's syntax; the table holds the
/// functions whose meaning differs (greatest and least ignore NULLs, concat skips them, date_trunc of a date gives a
/// timestamp, EXTRACT gives numeric) and PostgreSQL's NULL ordering (NULLs are largest, so first in DESC).
/// </summary>
public sealed class PostgresPrinter : SqlPrinter
{
    private PostgresPrinter()
        : base(PostgresDialect)
    {
    }

    /// <summary>The PostgreSQL dialect table.</summary>
    public static SqlDialect PostgresDialect { get; } = new(
        "postgres",
        ("\"", "\""),
        Functions(),
        new Dictionary<string, string>
        {
            ["DOUBLE"] = "DOUBLE PRECISION",
            ["TINYINT"] = "SMALLINT",
        }.ToFrozenDictionary(),
        OffsetBeforeLimit: false)
    {
        NullsFirstDescending = true,
    };

    /// <summary>The shared instance; printers are stateless and thread-safe.</summary>
    public static PostgresPrinter Instance { get; } = new();

    private static FrozenDictionary<string, FunctionMapping> Functions()
    {
        var functions = new Dictionary<string, FunctionMapping>
        {
            // PostgreSQL's greatest/least skip NULLs; Trino's give NULL when any argument is NULL.
            ["greatest"] = Form("CASE WHEN {anynull} THEN NULL ELSE greatest({*}) END"),
            ["least"] = Form("CASE WHEN {anynull} THEN NULL ELSE least({*}) END"),

            // concat() skips NULLs in PostgreSQL; || gives NULL as Trino's concat does.
            ["concat"] = Form("({||})"),
            ["trim/2"] = Rename("btrim"),
            ["replace/2"] = Form("replace({0}, {1}, '')"),
            ["round/2"] = Form("round(CAST({0} AS NUMERIC), {1})"),
            ["log10"] = Rename("log"),
            ["approx_distinct"] = Form("count(DISTINCT {0})"),
            ["count_if"] = Form("count(CASE WHEN {0} THEN 1 END)"),
            ["any_value"] = Rename("min"),
            ["arbitrary"] = Rename("min"),
            ["date"] = Form("CAST({0} AS DATE)"),

            // date_trunc(unit, date) is a timestamp with time zone in PostgreSQL, a date in Trino.
            ["date_trunc"] = Form("CAST(date_trunc({0}, {1}) AS DATE)", "date_trunc({0}, {1})"),
            ["day_of_week"] = Extract("ISODOW"),
            ["dow"] = Extract("ISODOW"),
            ["year"] = Extract("YEAR"),
            ["quarter"] = Extract("QUARTER"),
            ["month"] = Extract("MONTH"),
            ["week"] = Extract("WEEK"),
            ["week_of_year"] = Extract("WEEK"),
            ["day"] = Extract("DAY"),
            ["day_of_month"] = Extract("DAY"),
            ["day_of_year"] = Extract("DOY"),
            ["doy"] = Extract("DOY"),
            ["hour"] = Extract("HOUR"),
            ["minute"] = Extract("MINUTE"),
            ["second"] = Form("CAST(trunc(EXTRACT(SECOND FROM {0})) AS BIGINT)"),
            ["$try_cast"] = Decline("PostgreSQL has no cast that gives NULL on failure"),
        };

        foreach (var (unit, interval) in new[] { ("second", "1 second"), ("minute", "1 minute"), ("hour", "1 hour"), ("day", "1 day"), ("week", "7 days"), ("month", "1 month"), ("quarter", "3 months"), ("year", "1 year") })
        {
            // date + interval is a timestamp in PostgreSQL; Trino keeps a date a date.
            functions["date_add:" + unit] = Form($"CAST({{2}} + {{1}} * INTERVAL '{interval}' AS DATE)", $"({{2}} + {{1}} * INTERVAL '{interval}')");
        }

        // Trino counts whole units elapsed (truncating toward zero), so the epoch difference is divided and truncated.
        foreach (var (unit, seconds) in new[] { ("second", 1), ("minute", 60), ("hour", 3600), ("day", 86400), ("week", 604800) })
        {
            functions["date_diff:" + unit] =
                Form($"CAST(trunc(EXTRACT(EPOCH FROM (CAST({{2}} AS TIMESTAMP) - CAST({{1}} AS TIMESTAMP))) / {seconds}) AS BIGINT)");
        }

        const string months = "(EXTRACT(YEAR FROM age({2}, {1})) * 12 + EXTRACT(MONTH FROM age({2}, {1})))";
        functions["date_diff:month"] = Form($"CAST({months} AS BIGINT)");
        functions["date_diff:quarter"] = Form($"CAST(trunc({months} / 3) AS BIGINT)");
        functions["date_diff:year"] = Form("CAST(EXTRACT(YEAR FROM age({2}, {1})) AS BIGINT)");
        return functions.ToFrozenDictionary();
    }

    // EXTRACT gives numeric in PostgreSQL 14+; Trino's fields are bigint.
    private static FunctionMapping Extract(string field) => Form($"CAST(EXTRACT({field} FROM {{0}}) AS BIGINT)");
}
