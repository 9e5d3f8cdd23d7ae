using System.Collections.Frozen;

namespace Hera.Sql.Printing;

/// <summary>
/// Prints syntax trees as Trino SQL, the dialect callers write: the canonical form, so
/// <c>SqlParser.ParseQuery(TrinoPrinter.Instance.Print(query))</c> equals <c>query</c>. Trino is the reference
/// dialect, so it overrides nothing: its tables are empty.
/// </summary>
public sealed class TrinoPrinter : SqlPrinter
{
    private TrinoPrinter()
        : base(TrinoDialect)
    {
    }

    /// <summary>The Trino dialect: double-quoted identifiers, no renames, OFFSET before LIMIT.</summary>
    public static SqlDialect TrinoDialect { get; } = new(
        "trino",
        ("\"", "\""),
        FrozenDictionary<string, FunctionMapping>.Empty,
        FrozenDictionary<string, string>.Empty,
        OffsetBeforeLimit: true)
    {
        IsReference = true,
    };

    /// <summary>The shared instance; printers are stateless and thread-safe.</summary>
    public static TrinoPrinter Instance { get; } = new();
}
