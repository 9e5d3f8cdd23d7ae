using System.Collections.Frozen;

namespace Hera.Sql.Lexing;

/// <summary>
/// The words the lexer reads as <see cref="TokenKind.Keyword"/>, as data. Matching ignores ASCII case; a word
/// with any non-ASCII letter is never a keyword (so <c>lımıt</c> with a dotless ı stays an identifier).
/// </summary>
public static class SqlKeywords
{
    /// <summary>
    /// Trino's reserved words (<c>trino.io/docs/current/language/reserved.html</c>): never a name unless
    /// double-quoted. Upper-case.
    /// </summary>
    public static FrozenSet<string> Reserved { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "ALTER", "AND", "AS", "BETWEEN", "BY", "CASE", "CAST", "CONSTRAINT", "CREATE", "CROSS", "CUBE",
        "CURRENT_CATALOG", "CURRENT_DATE", "CURRENT_PATH", "CURRENT_ROLE", "CURRENT_SCHEMA", "CURRENT_TIME",
        "CURRENT_TIMESTAMP", "CURRENT_USER", "DEALLOCATE", "DELETE", "DESCRIBE", "DISTINCT", "DROP", "ELSE", "END",
        "ESCAPE", "EXCEPT", "EXECUTE", "EXISTS", "EXTRACT", "FALSE", "FOR", "FROM", "FULL", "GROUP", "GROUPING",
        "HAVING", "IN", "INNER", "INSERT", "INTERSECT", "INTO", "IS", "JOIN", "JSON_ARRAY", "JSON_EXISTS",
        "JSON_OBJECT", "JSON_QUERY", "JSON_TABLE", "JSON_VALUE", "LEFT", "LIKE", "LISTAGG", "LOCALTIME",
        "LOCALTIMESTAMP", "NATURAL", "NORMALIZE", "NOT", "NULL", "ON", "OR", "ORDER", "OUTER", "PREPARE", "RECURSIVE",
        "RIGHT", "ROLLUP", "SELECT", "SKIP", "TABLE", "THEN", "TRIM", "TRUE", "UESCAPE", "UNION", "UNNEST", "USING",
        "VALUES", "WHEN", "WHERE", "WITH");

    /// <summary>
    /// Trino's non-reserved keywords that the analytic subset of the grammar uses (Trino has more; add one here
    /// when the parser needs it). They are keywords in their clause and names elsewhere, so the parser accepts
    /// them wherever a name is expected (<c>SELECT first, last FROM t</c>) and reads <see cref="Token.SourceText"/>
    /// for the spelling. Upper-case.
    /// </summary>
    public static FrozenSet<string> NonReserved { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "ALL", "ANY", "ARRAY", "ASC", "AT", "CURRENT", "DATE", "DAY", "DESC", "FETCH", "FILTER", "FIRST", "FOLLOWING",
        "GROUPS", "HOUR", "IGNORE", "INTERVAL", "LAST", "LATERAL", "LIMIT", "MAP", "MINUTE", "MONTH", "NEXT", "NULLS",
        "OFFSET", "ONLY", "ORDINALITY", "OVER", "PARTITION", "POSITION", "PRECEDING", "RANGE", "RESPECT", "ROW", "ROWS",
        "SECOND", "SETS", "SOME", "TIES", "TIME", "TIMESTAMP", "TO", "TRY_CAST", "UNBOUNDED", "WINDOW", "YEAR", "ZONE");

    /// <summary>True when <paramref name="keyword"/> (upper-case, as in a token value) is in <see cref="Reserved"/>.</summary>
    public static bool IsReserved(string keyword) => Reserved.Contains(keyword);

    /// <summary>
    /// True when <paramref name="word"/>, compared ignoring ASCII case, is in <see cref="Reserved"/>: for a caller
    /// holding a name in its written case, without upper-casing it first.
    /// </summary>
    internal static bool IsReservedIgnoreCase(ReadOnlySpan<char> word) => ReservedIgnoreCase.Contains(word);

    /// <summary>
    /// Finds <paramref name="word"/> among all keywords ignoring case and returns the shared upper-case string,
    /// so a keyword token allocates nothing. The caller has checked that the word is ASCII.
    /// </summary>
    internal static bool TryFind(ReadOnlySpan<char> word, out string keyword)
    {
        if (word.Length <= MaxLength && Lookup.TryGetValue(word, out var found))
        {
            keyword = found;
            return true;
        }

        keyword = string.Empty;
        return false;
    }

    private static readonly FrozenSet<string> All = Reserved.Concat(NonReserved).ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        All.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ReservedIgnoreCase =
        Reserved.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly int MaxLength = All.Max(k => k.Length);
}
