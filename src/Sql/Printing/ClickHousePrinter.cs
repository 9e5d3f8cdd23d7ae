using System.Collections.Frozen;
using static Hera.Sql.Printing.FunctionMapping;

namespace Hera.Sql.Printing;

/// <summary>
/// Prints lowered syntax trees as ClickHouse 18.16 SQL (<c>docs/clickhouse-18.16-notes.md</c>, <c>docs/sql-dialects.md</c>).
/// The table maps Trino's functions to ClickHouse's UTF-8 and date-time functions, integer <c>/</c> to
/// <c>intDiv</c>, casts to the <c>toX</c> functions (which accept Nullable values where CAST does not), and records
/// what 18.16 lacks: window functions, CTEs, correlated subqueries, more than one join per SELECT, ordinals,
/// INTERSECT and EXCEPT, UNION DISTINCT, boolean literals. Outer joins get <c>SETTINGS join_use_nulls = 1</c> so
/// a missing row gives NULL, not 0 or ''.
/// </summary>
public sealed class ClickHousePrinter : SqlPrinter
{
    private const string CalendarDiff =
        "ClickHouse 18.16's dateDiff counts calendar boundaries crossed, Trino counts whole units elapsed";

    private ClickHousePrinter()
        : base(ClickHouseDialect)
    {
    }

    /// <summary>The ClickHouse 18.16 dialect table.</summary>
    public static SqlDialect ClickHouseDialect { get; } = new(
        "clickhouse",
        ("\"", "\""),
        Functions(),
        new Dictionary<string, string>
        {
            ["BIGINT"] = "Int64",
            ["INTEGER"] = "Int32",
            ["SMALLINT"] = "Int16",
            ["TINYINT"] = "Int8",
            ["DOUBLE"] = "Float64",
            ["REAL"] = "Float32",
            ["VARCHAR"] = "String",
            ["DECIMAL"] = "Decimal",
            ["DATE"] = "Date",
            ["TIMESTAMP"] = "DateTime",
        }.ToFrozenDictionary(),
        OffsetBeforeLimit: false)
    {
        IntegerDivisionTruncates = false,
        SupportsWindowFunctions = false,
        MaxJoinsPerSelect = 1,
        JoinOnEqualitiesOnly = true,
        SupportsRightAndFullJoins = false,
        SupportsCommonTableExpressions = false,
        AliasesShadowColumns = true,
        SupportsCorrelatedSubqueries = false,
        SupportsOrdinals = false,
        SupportsAggregateFilter = false,
        SupportsIntersectExcept = false,
        SupportsIntersectExceptAll = false,
        SupportsUnionDistinct = false,
        SupportsParenthesisedSetOperands = false,
        OrdersSetOperationResult = false,
        SupportsDerivedColumnAliases = false,
        SupportsLikeEscape = false,
        SupportsIntervalValues = false,
        CastToIntegerRounds = false,
        OuterJoinSuffix = " SETTINGS join_use_nulls = 1",
        BooleanLiterals = ("1", "0"),
        DateLiteral = "toDate({0})",
        TimestampLiteral = "toDateTime({0})",
        BackslashEscapes = true,
        DateRange = (new DateOnly(1970, 1, 1), new DateOnly(2105, 12, 31)),
    };

    /// <summary>The shared instance; printers are stateless and thread-safe.</summary>
    public static ClickHousePrinter Instance { get; } = new();

    private static FrozenDictionary<string, FunctionMapping> Functions()
    {
        var functions = new Dictionary<string, FunctionMapping>
        {
            ["$intdiv"] = Form("intDiv({0}, {1})"),

            // 18.16 refuses Decimal with Float64 in comparisons and arithmetic (price > 10.5) and truncates avg of a
            // Decimal to its scale, so decimal columns are read as Float64, as SQLite stores them.
            ["$decimal_column"] = Form("toFloat64({0})"),
            ["$not_between"] = Form("NOT ({0} BETWEEN {1} AND {2})"),
            ["lower"] = Rename("lowerUTF8"),
            ["upper"] = Rename("upperUTF8"),
            ["length"] = Rename("lengthUTF8"),
            ["strpos"] = Rename("positionUTF8"),
            ["reverse"] = Rename("reverseUTF8"),
            ["substr/3"] = Rename("substringUTF8"),
            ["substring/3"] = Rename("substringUTF8"),
            ["substr/2"] = Form("substringUTF8({0}, {1}, 2147483647)"),
            ["substring/2"] = Form("substringUTF8({0}, {1}, 2147483647)"),
            ["replace/3"] = Rename("replaceAll"),
            ["replace/2"] = Form("replaceAll({0}, {1}, '')"),
            ["trim/1"] = Form("replaceRegexpAll({0}, '^ +| +$', '')"),
            ["ltrim/1"] = Form("replaceRegexpAll({0}, '^ +', '')"),
            ["rtrim/1"] = Form("replaceRegexpAll({0}, ' +$', '')"),
            ["trim/2"] = Decline("ClickHouse 18.16 cannot trim given characters"),
            ["starts_with"] = Rename("startsWith"),
            ["greatest"] = Pairwise("greatest"),
            ["least"] = Pairwise("least"),
            ["mod"] = Rename("modulo"),
            ["ln"] = Rename("log"),
            ["power"] = Rename("pow"),
            ["approx_distinct"] = Rename("uniqExact"),
            ["count_if"] = Rename("countIf"),
            ["any_value"] = Rename("any"),
            ["arbitrary"] = Rename("any"),
            ["stddev"] = Rename("stddevSamp"),
            ["stddev_samp"] = Rename("stddevSamp"),
            ["stddev_pop"] = Rename("stddevPop"),
            ["variance"] = Rename("varSamp"),
            ["var_samp"] = Rename("varSamp"),
            ["var_pop"] = Rename("varPop"),
            ["sign"] = Form("multiIf({0} > 0, 1, {0} < 0, -1, 0)"),
            ["date"] = Rename("toDate"),
            ["day_of_week"] = Rename("toDayOfWeek"),
            ["dow"] = Rename("toDayOfWeek"),
            ["year"] = Rename("toYear"),
            ["quarter"] = Rename("toQuarter"),
            ["month"] = Rename("toMonth"),
            ["week"] = Rename("toISOWeek"),
            ["week_of_year"] = Rename("toISOWeek"),
            ["day"] = Rename("toDayOfMonth"),
            ["day_of_month"] = Rename("toDayOfMonth"),
            ["day_of_year"] = Rename("toDayOfYear"),
            ["doy"] = Rename("toDayOfYear"),
            ["hour"] = Rename("toHour"),
            ["minute"] = Rename("toMinute"),
            ["second"] = Rename("toSecond"),

            // toStartOfX gives a Date; Trino's date_trunc keeps a timestamp a timestamp.
            ["date_trunc:year"] = Form("toStartOfYear({1})", "toDateTime(toStartOfYear({1}))"),
            ["date_trunc:quarter"] = Form("toStartOfQuarter({1})", "toDateTime(toStartOfQuarter({1}))"),
            ["date_trunc:month"] = Form("toStartOfMonth({1})", "toDateTime(toStartOfMonth({1}))"),
            ["date_trunc:week"] = Form("toMonday({1})", "toDateTime(toMonday({1}))"),
            ["date_trunc:day"] = Form("toDate({1})", "toStartOfDay({1})"),
            ["date_trunc:hour"] = Form("toDateTime({1})", "toStartOfHour({1})"),
            ["date_trunc:minute"] = Form("toDateTime({1})", "toStartOfMinute({1})"),
            ["date_trunc:second"] = Form("toDateTime({1})", "{1}"),
            ["date_add:second"] = Form("addSeconds({2}, {1})"),
            ["date_add:minute"] = Form("addMinutes({2}, {1})"),
            ["date_add:hour"] = Form("addHours({2}, {1})"),
            ["date_add:day"] = Form("addDays({2}, {1})"),
            ["date_add:week"] = Form("addWeeks({2}, {1})"),
            ["date_add:month"] = Form("addMonths({2}, {1})"),
            ["date_add:quarter"] = Form("addQuarters({2}, {1})"),
            ["date_add:year"] = Form("addYears({2}, {1})"),
            ["date_diff:month"] = Decline(CalendarDiff),
            ["date_diff:quarter"] = Decline(CalendarDiff),
            ["date_diff:year"] = Decline(CalendarDiff),
            ["$current_date"] = Form("today()"),
            ["$current_timestamp"] = Form("now()"),
            ["$localtimestamp"] = Form("now()"),
            ["$is_distinct_from"] = Form("(CASE WHEN {0} IS NULL THEN {1} IS NOT NULL WHEN {1} IS NULL THEN 1 ELSE {0} <> {1} END)"),
            ["$is_not_distinct_from"] = Form("(CASE WHEN {0} IS NULL THEN {1} IS NULL WHEN {1} IS NULL THEN 0 ELSE {0} = {1} END)"),

            // The toX functions accept Nullable arguments; CAST(NULL AS Int64) fails in 18.16.
            ["$cast:BIGINT"] = Form("toInt64({0})"),
            ["$cast:INTEGER"] = Form("toInt32({0})"),
            ["$cast:SMALLINT"] = Form("toInt16({0})"),
            ["$cast:TINYINT"] = Form("toInt8({0})"),
            ["$cast:DOUBLE"] = Form("toFloat64({0})"),
            ["$cast:REAL"] = Form("toFloat32({0})"),
            ["$cast:DECIMAL"] = Form("round(toFloat64({0}), {2})"),
            ["$cast:VARCHAR"] = Form("toString({0})"),
            ["$cast:DATE"] = Form("toDate({0})"),
            ["$cast:TIMESTAMP"] = Form("toDateTime({0})"),
            ["$cast:BOOLEAN"] = Decline("ClickHouse 18.16 has no BOOLEAN type"),

            // The OrNull conversions read text only.
            ["$try_cast:BIGINT"] = Form("toInt64OrNull(toString({0}))"),
            ["$try_cast:INTEGER"] = Form("toInt32OrNull(toString({0}))"),
            ["$try_cast:DOUBLE"] = Form("toFloat64OrNull(toString({0}))"),
            ["$try_cast:DATE"] = Form("toDateOrNull(toString({0}))"),
            ["$try_cast:TIMESTAMP"] = Form("toDateTimeOrNull(toString({0}))"),
            ["$try_cast:VARCHAR"] = Form("toString({0})"),
            ["$try_cast"] = Decline("ClickHouse 18.16 has no conversion to this type that gives NULL on failure"),
        };

        // dateDiff is exact for days between dates; for timestamps Trino counts whole elapsed units of seconds.
        foreach (var (unit, seconds, days) in new[] { ("second", 1, "86400"), ("minute", 60, "1440"), ("hour", 3600, "24"), ("day", 86400, null), ("week", 604800, null) })
        {
            var dateForm = unit switch
            {
                "day" => "dateDiff('day', {1}, {2})",
                "week" => "intDiv(dateDiff('day', {1}, {2}), 7)",
                _ => $"(dateDiff('day', {{1}}, {{2}}) * {days})",
            };
            functions["date_diff:" + unit] = Form(dateForm, $"intDiv(toInt64({{2}}) - toInt64({{1}}), {seconds})");
        }

        return functions.ToFrozenDictionary();
    }
}
