using System.Collections.Frozen;
using System.Globalization;
using Hera.Grains.Interfaces.Results;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Maps ClickHouse type names, as the types line of <c>TabSeparatedWithNamesAndTypes</c> spells them, to Hera's
/// <see cref="ResultTypes"/> and to the way each value is read. Plain names are looked up in
/// <see cref="PlainTypes"/>, parametric ones (<c>Name(arguments)</c>) in <see cref="ParametricTypes"/>;
/// <c>Nullable(T)</c> and <c>LowCardinality(T)</c> are unwrapped first. A type in neither table (a newer server's,
/// an <c>AggregateFunction</c> state) is read as its text, <c>varchar</c>: ClickHouse renders every type as text,
/// so nothing is lost but the type.
/// </summary>
internal static class ClickHouseTypeMap
{
    private static readonly ClickHouseColumnType Integer = new(ResultTypes.Integer, ClickHouseValueKind.Integer);
    private static readonly ClickHouseColumnType BigInt = new(ResultTypes.BigInt, ClickHouseValueKind.Integer);
    private static readonly ClickHouseColumnType Text = new(ResultTypes.Varchar, ClickHouseValueKind.Text);

    /// <summary>Wrappers that only change storage or nullability, not the values: the inner type is the column's.</summary>
    private static readonly FrozenSet<string> Wrappers = FrozenSet.ToFrozenSet(["Nullable", "LowCardinality"], StringComparer.Ordinal);

    /// <summary>Types without arguments.</summary>
    internal static readonly FrozenDictionary<string, ClickHouseColumnType> PlainTypes = new Dictionary<string, ClickHouseColumnType>
    {
        ["Int8"] = Integer,
        ["Int16"] = Integer,
        ["Int32"] = Integer,
        ["UInt8"] = Integer,
        ["UInt16"] = Integer,
        ["Int64"] = BigInt,
        ["UInt32"] = BigInt,
        // Up to 2^64-1 does not fit a signed 64-bit integer; decimal(20,0) holds every value exactly.
        ["UInt64"] = new("decimal(20,0)", ClickHouseValueKind.Decimal),
        ["Float32"] = new(ResultTypes.Double, ClickHouseValueKind.Double),
        ["Float64"] = new(ResultTypes.Double, ClickHouseValueKind.Double),
        ["String"] = Text,
        ["UUID"] = Text,
        ["Date"] = new(ResultTypes.Date, ClickHouseValueKind.Date),
        ["DateTime"] = new(ResultTypes.Timestamp, ClickHouseValueKind.Timestamp),
        // The type of a bare NULL: every value is \N.
        ["Nothing"] = new(ResultTypes.Unknown, ClickHouseValueKind.Text),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Types written <c>Name(arguments)</c>; the function gets the text between the parentheses.</summary>
    internal static readonly FrozenDictionary<string, Func<string, ClickHouseColumnType?>> ParametricTypes =
        new Dictionary<string, Func<string, ClickHouseColumnType?>>
        {
            // Padded with \0 to its width; the padding is storage, not text.
            ["FixedString"] = _ => new ClickHouseColumnType(ResultTypes.Varchar, ClickHouseValueKind.FixedText),
            ["Decimal"] = DecimalType,
            ["Decimal32"] = scale => DecimalType($"9, {scale}"),
            ["Decimal64"] = scale => DecimalType($"18, {scale}"),
            ["Decimal128"] = scale => DecimalType($"38, {scale}"),
            // Values are rendered in the column's zone; Hera's timestamps carry no zone, so the wall-clock time stays.
            ["DateTime"] = _ => PlainTypes["DateTime"],
            ["Enum8"] = _ => Text,
            ["Enum16"] = _ => Text,
            // Rendered as ClickHouse literals ([1,'a\'b']) that must not be unescaped again: kept verbatim.
            ["Array"] = _ => new ClickHouseColumnType(ResultTypes.Varchar, ClickHouseValueKind.Literal),
            ["Tuple"] = _ => new ClickHouseColumnType(ResultTypes.Varchar, ClickHouseValueKind.Literal),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The column type for <paramref name="typeName"/> (already unescaped, e.g. <c>Nullable(Decimal(12, 2))</c>).</summary>
    public static ClickHouseColumnType Map(string typeName)
    {
        var name = typeName.Trim();
        while (true)
        {
            var open = name.IndexOf('(', StringComparison.Ordinal);
            if (open < 0)
            {
                return PlainTypes.GetValueOrDefault(name, Text);
            }

            var outer = name[..open].Trim();
            var arguments = name.EndsWith(')') ? name[(open + 1)..^1].Trim() : name[(open + 1)..];
            if (Wrappers.Contains(outer))
            {
                name = arguments;
                continue;
            }

            return ParametricTypes.TryGetValue(outer, out var map) ? map(arguments) ?? Text : Text;
        }
    }

    /// <summary><c>decimal(p,s)</c> from <c>p, s</c>; null when the arguments are not two integers with 0 ≤ s ≤ p.</summary>
    private static ClickHouseColumnType? DecimalType(string arguments)
    {
        var parts = arguments.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var precision)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var scale)
            && precision > 0
            && scale <= precision)
        {
            return new ClickHouseColumnType(
                string.Create(CultureInfo.InvariantCulture, $"{ResultTypes.Decimal}({precision},{scale})"), ClickHouseValueKind.Decimal);
        }

        return null;
    }
}

/// <summary>How values of a result column are read from their TabSeparated text.</summary>
internal enum ClickHouseValueKind
{
    /// <summary>Escaped text as string.</summary>
    Text,

    /// <summary>Escaped text as string, trailing <c>\0</c> padding removed (FixedString).</summary>
    FixedText,

    /// <summary>The field exactly as sent (Array and Tuple literals, whose escapes belong to the literal).</summary>
    Literal,

    /// <summary>Decimal digits as long.</summary>
    Integer,

    /// <summary>Decimal text as decimal (Decimal, UInt64).</summary>
    Decimal,

    /// <summary>Decimal text or <c>nan</c>/<c>inf</c>/<c>-inf</c> as double.</summary>
    Double,

    /// <summary><c>yyyy-MM-dd</c> as DateOnly.</summary>
    Date,

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> as DateTime of unspecified kind.</summary>
    Timestamp,
}

/// <summary>A result column's neutral type name and how its values are read.</summary>
/// <param name="Type">The <see cref="ResultTypes"/> name, possibly with precision.</param>
/// <param name="Kind">The value conversion.</param>
internal sealed record ClickHouseColumnType(string Type, ClickHouseValueKind Kind);
