using System.Collections.Frozen;

namespace Hera.Sql.Printing;

/// <summary>
/// The spelling differences of one SQL dialect, as data (sqlglot's dialect tables are the model). A
/// <see cref="SqlPrinter"/> reads these tables; what tables cannot say, a dialect printer overrides.
/// </summary>
/// <param name="Name">The dialect's name, lower-case: <c>trino</c>, <c>postgresql</c>, <c>sqlite</c>, <c>clickhouse</c>.</param>
/// <param name="IdentifierQuote">
/// The opening and closing quote of a quoted identifier, e.g. <c>("\"", "\"")</c>; a closing quote inside the name
/// is doubled.
/// </param>
/// <param name="Functions">
/// Renamed or reordered functions, keyed by the Trino function name in lower case (<c>strpos</c>); functions not
/// listed keep their name and argument order.
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
    bool OffsetBeforeLimit);

/// <summary>How a dialect writes a Trino function: <c>strpos(s, sub)</c> as <c>position(s, sub)</c>.</summary>
/// <param name="Name">The dialect's function name.</param>
/// <param name="ArgumentOrder">
/// For each written argument, the index of the Trino argument it takes (<c>[1, 0]</c> swaps two); null keeps the order.
/// </param>
public sealed record FunctionMapping(string Name, IReadOnlyList<int>? ArgumentOrder = null);
