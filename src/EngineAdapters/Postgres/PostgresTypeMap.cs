using System.Collections.Frozen;
using System.Globalization;
using Hera.Grains.Interfaces.Results;
using Npgsql;

namespace Hera.EngineAdapters.Postgres;

/// <summary>
/// Decides a result column's engine-neutral type (<see cref="ResultTypes"/>) and how its values are read, from the
/// type OID PostgreSQL reports for the column (a domain reports its base type). <see cref="Known"/> lists the types
/// Hera reads in binary as the CLR type <see cref="Abstractions.IRowStream.GetValue"/> promises; <c>numeric(p,s)</c>
/// becomes <c>decimal(p,s)</c> and <c>numeric</c> without a type modifier plain <c>decimal</c>. Every other type
/// (interval, arrays, enums, money, inet, …) is <c>varchar</c> holding PostgreSQL's own text output of the value:
/// the adapter asks the server for those columns in text format, which Npgsql allows for the first statement of a
/// command only, so in a script whose result is not its first statement such a column is refused with
/// <see cref="PostgresErrors.UnsupportedCode"/> and a hint to cast it to text.
/// </summary>
internal static class PostgresTypeMap
{
    /// <summary>Reads a non-null value in text format, for the types <see cref="Known"/> does not list.</summary>
    public static PostgresType TextForm { get; } = new("(text output)", ResultTypes.Varchar, ReadString);

    /// <summary>Built-in type OID (<c>pg_type.oid</c>, fixed across versions) to Hera type and binary reader.</summary>
    internal static readonly FrozenDictionary<uint, PostgresType> Known = new Dictionary<uint, PostgresType>
    {
        [21] = new("int2", ResultTypes.Integer, static (r, i) => (long)r.GetFieldValue<short>(i)),
        [23] = new("int4", ResultTypes.Integer, static (r, i) => (long)r.GetFieldValue<int>(i)),
        [20] = new("int8", ResultTypes.BigInt, static (r, i) => r.GetFieldValue<long>(i)),
        [700] = new("float4", ResultTypes.Double, static (r, i) => Widen(r.GetFieldValue<float>(i))),
        [701] = new("float8", ResultTypes.Double, static (r, i) => r.GetFieldValue<double>(i)),
        [1700] = new("numeric", ResultTypes.Decimal, static (r, i) => r.GetFieldValue<decimal>(i)),
        [25] = new("text", ResultTypes.Varchar, ReadString),
        [1043] = new("varchar", ResultTypes.Varchar, ReadString),
        [1042] = new("bpchar", ResultTypes.Varchar, ReadString),
        [19] = new("name", ResultTypes.Varchar, ReadString),
        [114] = new("json", ResultTypes.Varchar, ReadString),
        [3802] = new("jsonb", ResultTypes.Varchar, ReadString),
        // Guid's "D" format is PostgreSQL's uuid output: lower-case hex with hyphens.
        [2950] = new("uuid", ResultTypes.Varchar, static (r, i) => r.GetFieldValue<Guid>(i).ToString("D")),
        [16] = new("bool", ResultTypes.Boolean, static (r, i) => r.GetFieldValue<bool>(i)),
        [1082] = new("date", ResultTypes.Date, static (r, i) => r.GetFieldValue<DateOnly>(i)),
        [1114] = new("timestamp", ResultTypes.Timestamp, static (r, i) => r.GetFieldValue<DateTime>(i)),
        // Npgsql reads timestamptz as a UTC DateTime; Hera's timestamps carry no zone, so the kind is dropped.
        [1184] = new("timestamptz", ResultTypes.Timestamp, static (r, i) =>
            DateTime.SpecifyKind(r.GetFieldValue<DateTime>(i), DateTimeKind.Unspecified)),
        [17] = new("bytea", ResultTypes.VarBinary, static (r, i) => r.GetFieldValue<byte[]>(i)),
    }.ToFrozenDictionary();

    /// <summary>True when a column of type <paramref name="oid"/> must be requested in text format.</summary>
    public static bool NeedsTextFormat(uint oid) => !Known.ContainsKey(oid);

    /// <summary>
    /// The Hera type name for a column of type <paramref name="oid"/> whose type Npgsql displays as
    /// <paramref name="displayName"/> (<c>numeric(12, 2)</c>), adding precision and scale to decimals.
    /// </summary>
    public static string ResultType(uint oid, string displayName) =>
        Known.TryGetValue(oid, out var type)
            ? type.ResultType == ResultTypes.Decimal ? DecimalType(displayName) : type.ResultType
            : TextForm.ResultType;

    /// <summary><c>decimal(p,s)</c> from a display name such as <c>numeric(12, 2)</c> or <c>numeric(5)</c>.</summary>
    internal static string DecimalType(string displayName)
    {
        var open = displayName.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return ResultTypes.Decimal;
        }

        var parts = displayName[(open + 1)..].TrimEnd(')').Split(',', StringSplitOptions.TrimEntries);
        var invariant = CultureInfo.InvariantCulture;
        var scale = 0;
        // PostgreSQL 15 allows a negative scale (numeric(5,-2) rounds to hundreds); Hera's decimal(p,s) does not.
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, invariant, out var precision)
            && (parts.Length == 1 || int.TryParse(parts[1], NumberStyles.None, invariant, out scale)))
        {
            return string.Create(invariant, $"{ResultTypes.Decimal}({precision},{scale})");
        }

        return ResultTypes.Decimal;
    }

    private static object ReadString(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<string>(ordinal);

    /// <summary>
    /// A float4 as the double PostgreSQL prints for it (<c>0.1</c>, not <c>0.100000001490116</c>): the shortest text
    /// that round-trips the float, parsed as a double.
    /// </summary>
    private static double Widen(float value) =>
        float.IsFinite(value)
            ? double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : value;
}

/// <summary>
/// Reads the non-null value at <paramref name="ordinal"/> of the reader's current row, which Npgsql holds in memory
/// whole (the stream reads without <c>SequentialAccess</c>), so reading never waits on the network.
/// </summary>
internal delegate object PostgresValueReader(NpgsqlDataReader reader, int ordinal);

/// <summary>A PostgreSQL type as Hera returns it.</summary>
/// <param name="Name">PostgreSQL's internal type name, for messages and reviewers.</param>
/// <param name="ResultType">The <see cref="ResultTypes"/> name, before any precision is added.</param>
/// <param name="Read">Reads a non-null value as the CLR type promised for <paramref name="ResultType"/>.</param>
internal sealed record PostgresType(string Name, string ResultType, PostgresValueReader Read);
