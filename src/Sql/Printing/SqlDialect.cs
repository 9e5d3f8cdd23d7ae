using System.Collections.Frozen;

namespace Hera.Sql.Printing;

/// <summary>
/// The differences of one SQL dialect from Trino, as data (sqlglot's dialect tables are the model): spelling
/// (function names and templates, type names, literal forms) and capabilities, each read by
/// <see cref="SqlPrinter"/> or by the lowering in <c>Hera.Sql.Rewriting</c>. No code asks which dialect it is
/// printing; it asks the table.
/// </summary>
/// <param name="Name">The dialect's name, lower-case: <c>trino</c>, <c>postgres</c>, <c>sqlite</c>, <c>clickhouse</c>.</param>
/// <param name="IdentifierQuote">
/// The opening and closing quote of a quoted identifier, e.g. <c>("\"", "\"")</c>; a closing quote inside the name
/// is doubled.
/// </param>
/// <param name="Functions">
/// Renamed, reordered or templated functions, keyed by the Trino function name in lower case (<c>strpos</c>), by
/// <c>name/arity</c> (<c>round/2</c>) or by <c>name:unit</c> for a function whose first argument is a unit literal
/// (<c>date_add:day</c>). Operators and casts that need a function in some dialect use keys starting with <c>$</c>
/// (<c>$intdiv</c>, <c>$is_distinct_from</c>, <c>$cast:BIGINT</c>). Functions not listed keep their name and
/// argument order.
/// </param>
/// <param name="TypeNames">
/// Type names that differ, keyed by the upper-case Trino name (<c>DOUBLE</c> → <c>DOUBLE PRECISION</c>); types not
/// listed keep their name.
/// </param>
/// <param name="OffsetBeforeLimit">
/// True when OFFSET is written before LIMIT (Trino: <c>OFFSET 10 LIMIT 5</c>); false for <c>LIMIT 5 OFFSET 10</c>.
/// </param>
public sealed record SqlDialect(
    string Name,
    (string Open, string Close) IdentifierQuote,
    FrozenDictionary<string, FunctionMapping> Functions,
    FrozenDictionary<string, string> TypeNames,
    bool OffsetBeforeLimit)
{
    private FrozenSet<string>? _variantNames;

    /// <summary>
    /// The function names that have <c>name/arity</c> or <c>name:unit</c> entries in <see cref="Functions"/>, so the
    /// lowering builds those keys only for them (computed once).
    /// </summary>
    public FrozenSet<string> VariantNames => _variantNames ??= BuildVariantNames(Functions);

    /// <summary>
    /// True when this is the reference dialect (Trino): the lowering leaves the tree as parsed.
    /// </summary>
    public bool IsReference { get; init; }

    /// <summary>
    /// True when <c>ORDER BY x ASC</c> puts NULLs first by default (SQLite: NULLs are smallest). Trino puts NULLs
    /// last in both directions; the printer writes <c>NULLS LAST</c> where this default differs.
    /// </summary>
    public bool NullsFirstAscending { get; init; }

    /// <summary>True when <c>ORDER BY x DESC</c> puts NULLs first by default (PostgreSQL: NULLs are largest).</summary>
    public bool NullsFirstDescending { get; init; }

    /// <summary>
    /// True when <c>7 / 2</c> on two integers truncates to <c>3</c> as in Trino (PostgreSQL, SQLite); false when it
    /// gives <c>3.5</c> (ClickHouse), so integer operands need the <c>$intdiv</c> function of <see cref="Functions"/>.
    /// </summary>
    public bool IntegerDivisionTruncates { get; init; } = true;

    /// <summary>True for window functions: <c>rank() OVER (PARTITION BY seller_id ORDER BY price)</c>.</summary>
    public bool SupportsWindowFunctions { get; init; } = true;

    /// <summary>
    /// The joins one SELECT may hold (ClickHouse 18.16: 1, <c>a JOIN b JOIN c</c> is refused); more are nested into a
    /// derived table on the left. <see cref="int.MaxValue"/> when unlimited.
    /// </summary>
    public int MaxJoinsPerSelect { get; init; } = int.MaxValue;

    /// <summary>
    /// True when a join's ON may hold only equalities between an expression of each side, joined by AND
    /// (ClickHouse 18.16); other conditions of an inner join move to WHERE, those of a LEFT join on its right side
    /// move into a derived table, and the rest are declined.
    /// </summary>
    public bool JoinOnEqualitiesOnly { get; init; }

    /// <summary>
    /// True for RIGHT and FULL joins. ClickHouse 18.16 has them, but with <c>join_use_nulls</c> a FULL join on a
    /// Nullable key crashed the server (segmentation fault in ColumnVector::insertFrom), so they are declined there.
    /// </summary>
    public bool SupportsRightAndFullJoins { get; init; } = true;

    /// <summary>True for <c>WITH t AS (SELECT ...) SELECT ... FROM t</c>; else each CTE is inlined as a derived table.</summary>
    public bool SupportsCommonTableExpressions { get; init; } = true;

    /// <summary>
    /// True when a select alias is visible in every clause of its SELECT and wins over a column of the same name
    /// (ClickHouse): a query whose alias shadows a column it reads is then declined.
    /// </summary>
    public bool AliasesShadowColumns { get; init; }

    /// <summary>
    /// True for subqueries that refer to columns of the enclosing query (<c>WHERE EXISTS (SELECT 1 FROM items i WHERE
    /// i.seller_id = s.seller_id)</c>); else equality-correlated EXISTS and IN become uncorrelated IN, and others are
    /// declined.
    /// </summary>
    public bool SupportsCorrelatedSubqueries { get; init; } = true;

    /// <summary>True for <c>GROUP BY 1</c> and <c>ORDER BY 2</c> meaning select-list positions; else they are replaced by the items.</summary>
    public bool SupportsOrdinals { get; init; } = true;

    /// <summary>True for <c>count(*) FILTER (WHERE ...)</c>; else it becomes <c>count(CASE WHEN ... THEN 1 END)</c>.</summary>
    public bool SupportsAggregateFilter { get; init; } = true;

    /// <summary>True for <c>INTERSECT</c> and <c>EXCEPT</c> (distinct forms).</summary>
    public bool SupportsIntersectExcept { get; init; } = true;

    /// <summary>True for <c>INTERSECT ALL</c> and <c>EXCEPT ALL</c>.</summary>
    public bool SupportsIntersectExceptAll { get; init; } = true;

    /// <summary>True for <c>UNION</c> without ALL; else it becomes <c>SELECT DISTINCT * FROM (... UNION ALL ...)</c>.</summary>
    public bool SupportsUnionDistinct { get; init; } = true;

    /// <summary>
    /// True when a set operation's operand may be a parenthesised query (<c>a UNION (b INTERSECT c)</c>); else such
    /// operands are written as <c>SELECT * FROM (...)</c> (SQLite reads set operators left to right, no parentheses).
    /// </summary>
    public bool SupportsParenthesisedSetOperands { get; init; } = true;

    /// <summary>
    /// True when ORDER BY, OFFSET and LIMIT after a set operation apply to its whole result (ClickHouse 18.16 applies
    /// them to the last SELECT only, so the set operation is wrapped: <c>SELECT * FROM (... UNION ALL ...) ORDER BY x</c>).
    /// </summary>
    public bool OrdersSetOperationResult { get; init; } = true;

    /// <summary>True for column aliases on a derived table or CTE: <c>(SELECT ...) AS t (a, b)</c>.</summary>
    public bool SupportsDerivedColumnAliases { get; init; } = true;

    /// <summary>True for <c>LIKE ... ESCAPE '\'</c>.</summary>
    public bool SupportsLikeEscape { get; init; } = true;

    /// <summary>True for <c>INTERVAL '7' DAY</c> as a value of its own (not only in <c>d + INTERVAL ...</c>, which becomes <c>date_add</c>).</summary>
    public bool SupportsIntervalValues { get; init; } = true;

    /// <summary>
    /// True when <c>CAST(3.7 AS INTEGER)</c> rounds (to 4) as in Trino; false when it truncates (SQLite, ClickHouse), so
    /// fractional values are rounded first with <c>round(...)</c>.
    /// </summary>
    public bool CastToIntegerRounds { get; init; } = true;

    /// <summary>
    /// True when outer joins need a setting to give NULL, not the type's default, for a missing row; then
    /// <see cref="OuterJoinSuffix"/> is appended to the statement.
    /// </summary>
    public string? OuterJoinSuffix { get; init; }

    /// <summary>How TRUE and FALSE are written (<c>1</c> and <c>0</c> where the dialect has no boolean literals).</summary>
    public (string True, string False) BooleanLiterals { get; init; } = ("TRUE", "FALSE");

    /// <summary>
    /// How <c>DATE 'yyyy-MM-dd'</c> is written, <c>{0}</c> standing for the quoted text: <c>DATE {0}</c>, <c>toDate({0})</c>, or
    /// <c>{0}</c> where dates are ISO text (SQLite).
    /// </summary>
    public string DateLiteral { get; init; } = "DATE {0}";

    /// <summary>How <c>TIMESTAMP 'yyyy-MM-dd HH:mm:ss'</c> is written, as <see cref="DateLiteral"/>.</summary>
    public string TimestampLiteral { get; init; } = "TIMESTAMP {0}";

    /// <summary>True when a backslash in a string literal is an escape character (ClickHouse), so it is doubled.</summary>
    public bool BackslashEscapes { get; init; }

    /// <summary>
    /// The earliest and latest dates the dialect can hold, or null when unbounded (ClickHouse 18.16's Date:
    /// 1970-01-01 to 2105-12-31; outside, <c>toDate</c> silently gives 0000-00-00, so such literals are declined).
    /// </summary>
    public (DateOnly Min, DateOnly Max)? DateRange { get; init; }

    private static FrozenSet<string> BuildVariantNames(FrozenDictionary<string, FunctionMapping> functions)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in functions.Keys)
        {
            var end = key.IndexOfAny(['/', ':']);
            if (end > 0 && key[0] != '$')
            {
                names.Add(key[..end]);
            }
        }

        return names.ToFrozenSet(StringComparer.Ordinal);
    }
}

/// <summary>
/// How a dialect writes a Trino function (or an operator or cast keyed with <c>$</c>): renamed and reordered
/// (<c>strpos(s, sub)</c> as <c>position(s, sub)</c>), as a template (<c>CAST(strftime('%Y', {0}) AS INTEGER)</c>), or
/// declined with a reason.
/// </summary>
/// <param name="Name">The dialect's function name (ignored when <see cref="Template"/> is set).</param>
/// <param name="ArgumentOrder">
/// For each written argument, the index of the Trino argument it takes (<c>[1, 0]</c> swaps two); null keeps the order.
/// </param>
public sealed record FunctionMapping(string Name, IReadOnlyList<int>? ArgumentOrder = null)
{
    /// <summary>The template written instead of a call, or null for a plain call of <see cref="Name"/>.</summary>
    public FunctionTemplate? Template { get; init; }

    /// <summary>
    /// The template used when the function's date-time argument is a TIMESTAMP rather than a DATE (e.g. ClickHouse's
    /// <c>toStartOfMonth</c> gives a Date, so a timestamp needs <c>toDateTime(...)</c> around it); null when the same
    /// form serves both. When set and the argument's type is not known, the function is declined.
    /// </summary>
    public FunctionTemplate? TimestampTemplate { get; init; }

    /// <summary>Why the dialect cannot express the function exactly, or null when it can.</summary>
    public string? Unsupported { get; init; }

    /// <summary>
    /// True when a two-argument function stands for a variadic one: <c>greatest(a, b, c)</c> is written
    /// <c>f(a, f(b, c))</c>.
    /// </summary>
    public bool FoldPairwise { get; init; }

    /// <summary>A plain rename: <c>Rename("lengthUTF8")</c>.</summary>
    public static FunctionMapping Rename(string name) => new(name);

    /// <summary>A rename that folds more than two arguments pairwise (see <see cref="FoldPairwise"/>).</summary>
    public static FunctionMapping Pairwise(string name) => new(name) { FoldPairwise = true };

    /// <summary>A template (see <see cref="FunctionTemplate"/>), with an optional timestamp variant.</summary>
    public static FunctionMapping Form(string template, string? timestampTemplate = null) => new(string.Empty)
    {
        Template = FunctionTemplate.Parse(template),
        TimestampTemplate = timestampTemplate is null ? null : FunctionTemplate.Parse(timestampTemplate),
    };

    /// <summary>A function the dialect declines, with the reason.</summary>
    public static FunctionMapping Decline(string reason) => new(string.Empty) { Unsupported = reason };
}
