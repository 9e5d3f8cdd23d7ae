using System.Collections.Frozen;
using static Hera.Sql.Printing.FunctionMapping;

namespace Hera.Sql.Printing;

/// <summary>
/// Prints lowered syntax trees as SQLite SQL for Hera's SQLite engines, where dates are <c>yyyy-MM-dd</c> text,
/// timestamps <c>yyyy-MM-dd HH:mm:ss</c> text and decimals REAL. Functions SQLite lacks, or has only for ASCII, are
/// the <c>hera_*</c> functions that <c>Hera.EngineAdapters.Sqlite.SqliteFunctions.Register</c> adds to every
/// connection (<c>hera_lower</c>, <c>hera_upper</c>, <c>hera_reverse</c>, <c>hera_date_trunc</c>,
/// <c>hera_date_add</c>, <c>hera_date_diff</c>, <c>hera_day_of_week</c>, <c>hera_week</c>), and it replaces
/// <c>like</c> with Trino's case-sensitive LIKE. NULLs are smallest in SQLite, so ascending keys get <c>NULLS LAST</c>.
/// </summary>
public sealed class SqlitePrinter : SqlPrinter
{
    private SqlitePrinter()
        : base(SqliteDialect)
    {
    }

    /// <summary>The SQLite dialect table.</summary>
    public static SqlDialect SqliteDialect { get; } = new(
        "sqlite",
        ("\"", "\""),
        Functions(),
        FrozenDictionary<string, string>.Empty,
        OffsetBeforeLimit: false)
    {
        NullsFirstAscending = true,
        SupportsIntersectExceptAll = false,
        SupportsParenthesisedSetOperands = false,
        SupportsIntervalValues = false,
        CastToIntegerRounds = false,
        BooleanLiterals = ("1", "0"),
        DateLiteral = "{0}",
        TimestampLiteral = "{0}",
    };

    /// <summary>The shared instance; printers are stateless and thread-safe.</summary>
    public static SqlitePrinter Instance { get; } = new();

    private static FrozenDictionary<string, FunctionMapping> Functions() => new Dictionary<string, FunctionMapping>
    {
        // SQLite's lower/upper fold ASCII only; length, substr and instr count characters already.
        ["lower"] = Rename("hera_lower"),
        ["upper"] = Rename("hera_upper"),
        ["reverse"] = Rename("hera_reverse"),
        ["round"] = Rename("hera_round"),
        ["strpos"] = Rename("instr"),
        ["substring"] = Rename("substr"),
        ["concat"] = Form("({||})"),
        ["replace/2"] = Form("replace({0}, {1}, '')"),
        ["starts_with"] = Form("(substr({0}, 1, length({1})) = {1})"),

        // Multi-argument max/min are scalar and give NULL when any argument is NULL, as Trino's greatest/least do.
        ["greatest"] = Rename("max"),
        ["least"] = Rename("min"),
        ["coalesce/1"] = Form("{0}"),
        ["mod"] = Form("({0} % {1})"),
        ["approx_distinct"] = Form("count(DISTINCT {0})"),
        ["count_if"] = Form("count(CASE WHEN {0} THEN 1 END)"),
        ["any_value"] = Rename("min"),
        ["arbitrary"] = Rename("min"),
        ["stddev"] = Decline("SQLite has no standard deviation aggregate"),
        ["stddev_samp"] = Decline("SQLite has no standard deviation aggregate"),
        ["stddev_pop"] = Decline("SQLite has no standard deviation aggregate"),
        ["variance"] = Decline("SQLite has no variance aggregate"),
        ["var_samp"] = Decline("SQLite has no variance aggregate"),
        ["var_pop"] = Decline("SQLite has no variance aggregate"),

        // Dates are text; the hera_* functions keep a date a date and a timestamp a timestamp.
        ["date"] = Form("date({0})"),
        ["date_trunc"] = Rename("hera_date_trunc"),
        ["date_add"] = Rename("hera_date_add"),
        ["date_diff"] = Rename("hera_date_diff"),
        ["day_of_week"] = Rename("hera_day_of_week"),
        ["dow"] = Rename("hera_day_of_week"),
        ["week"] = Rename("hera_week"),
        ["week_of_year"] = Rename("hera_week"),
        ["year"] = Strftime("%Y"),
        ["month"] = Strftime("%m"),
        ["quarter"] = Form("((CAST(strftime('%m', {0}) AS INTEGER) + 2) / 3)"),
        ["day"] = Strftime("%d"),
        ["day_of_month"] = Strftime("%d"),
        ["day_of_year"] = Strftime("%j"),
        ["doy"] = Strftime("%j"),
        ["hour"] = Strftime("%H"),
        ["minute"] = Strftime("%M"),
        ["second"] = Strftime("%S"),
        ["$current_date"] = Form("date('now')"),
        ["$current_timestamp"] = Form("datetime('now')"),
        ["$localtimestamp"] = Form("datetime('now')"),
        ["$is_distinct_from"] = Form("({0} IS NOT {1})"),
        ["$is_not_distinct_from"] = Form("({0} IS {1})"),

        // CAST to DATE would give NUMERIC affinity (2024); dates are text here.
        ["$cast:BIGINT"] = Form("CAST({0} AS INTEGER)"),
        ["$cast:INTEGER"] = Form("CAST({0} AS INTEGER)"),
        ["$cast:SMALLINT"] = Form("CAST({0} AS INTEGER)"),
        ["$cast:TINYINT"] = Form("CAST({0} AS INTEGER)"),
        ["$cast:DOUBLE"] = Form("CAST({0} AS REAL)"),
        ["$cast:REAL"] = Form("CAST({0} AS REAL)"),
        ["$cast:DECIMAL"] = Form("round(CAST({0} AS REAL), {2})"),
        ["$cast:VARCHAR"] = Form("CAST({0} AS TEXT)"),
        ["$cast:CHAR"] = Form("CAST({0} AS TEXT)"),
        ["$cast:DATE"] = Form("date({0})"),
        ["$cast:TIMESTAMP"] = Form("datetime({0})"),
        ["$try_cast"] = Decline("SQLite has no cast that gives NULL on failure"),
    }.ToFrozenDictionary();

    private static FunctionMapping Strftime(string field) => Form($"CAST(strftime('{field}', {{0}}) AS INTEGER)");
}
