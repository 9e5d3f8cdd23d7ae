using System.Collections.Frozen;

namespace Hera.Sql.Rewriting;

/// <summary>
/// The types of the columns queries may name, by unqualified column name (the <c>shop</c> warehouse's names are
/// unique per type: every <c>dt</c> is a date, every <c>*_id</c> an integer). Lets the lowering tell that
/// <c>quantity / 2</c> divides integers or that <c>date_trunc('month', order_ts)</c> truncates a timestamp. A name
/// given two different types is <see cref="SqlValueType.Unknown"/>. Immutable and thread-safe.
/// </summary>
public sealed class SqlColumnTypes
{
    private readonly FrozenDictionary<string, SqlValueType> _types;

    private SqlColumnTypes(FrozenDictionary<string, SqlValueType> types) => _types = types;

    /// <summary>No columns known.</summary>
    public static SqlColumnTypes Empty { get; } = new(FrozenDictionary<string, SqlValueType>.Empty);

    /// <summary>
    /// A catalog from column names and type names in Trino's (or SHOP.md's) spelling: <c>("price", "decimal(12,2)")</c>.
    /// Names compare case-insensitively.
    /// </summary>
    public static SqlColumnTypes From(IEnumerable<(string Column, string TypeName)> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var types = new Dictionary<string, SqlValueType>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, typeName) in columns)
        {
            var type = FromTypeName(typeName);
            types[column] = types.TryGetValue(column, out var seen) && seen != type ? SqlValueType.Unknown : type;
        }

        return new SqlColumnTypes(types.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>The type of <paramref name="column"/>, or <see cref="SqlValueType.Unknown"/>.</summary>
    public SqlValueType Find(string column) => _types.TryGetValue(column, out var type) ? type : SqlValueType.Unknown;

    /// <summary>The coarse type of a type name: <c>bigint</c>, <c>DECIMAL(12,2)</c>, <c>varchar</c>, <c>timestamp(3)</c>.</summary>
    public static SqlValueType FromTypeName(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var paren = typeName.IndexOf('(', StringComparison.Ordinal);
        var name = (paren < 0 ? typeName : typeName[..paren]).Trim().ToUpperInvariant();
        return name switch
        {
            "TINYINT" or "SMALLINT" or "INT" or "INTEGER" or "BIGINT" => SqlValueType.Integer,
            "DECIMAL" or "NUMERIC" => SqlValueType.Decimal,
            "REAL" or "DOUBLE" or "FLOAT" => SqlValueType.Double,
            "VARCHAR" or "CHAR" or "TEXT" or "STRING" => SqlValueType.String,
            "DATE" => SqlValueType.Date,
            "TIMESTAMP" => SqlValueType.Timestamp,
            "BOOLEAN" => SqlValueType.Boolean,
            _ => SqlValueType.Unknown,
        };
    }
}
