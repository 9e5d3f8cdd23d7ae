using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Reads one TabSeparated field (UTF-8 bytes as ClickHouse sent them) as the CLR type
/// <see cref="Abstractions.IRowStream.GetValue"/> promises for its column: <c>\N</c> is null, integers long,
/// Decimal and UInt64 decimal, floats double, text string (escapes undone), Date DateOnly, DateTime DateTime of
/// unspecified kind. ClickHouse writes the zero Date and DateTime as <c>0000-00-00</c>; that is day 0 of the Unix
/// epoch, returned as 1970-01-01 (for a DateTime, 00:00:00: exact on a UTC server). Text that is not what the
/// column's type renders returns null from <see cref="TryRead"/>, for the caller to report.
/// </summary>
internal static class ClickHouseValues
{
    /// <summary>Escape letter after a backslash to the byte it stands for (ClickHouse's <c>parseEscapeSequence</c>); any other byte stands for itself.</summary>
    internal static readonly FrozenDictionary<byte, byte> Unescapes = new Dictionary<byte, byte>
    {
        [(byte)'a'] = 0x07,
        [(byte)'b'] = 0x08,
        [(byte)'e'] = 0x1B,
        [(byte)'f'] = 0x0C,
        [(byte)'n'] = (byte)'\n',
        [(byte)'r'] = (byte)'\r',
        [(byte)'t'] = (byte)'\t',
        [(byte)'v'] = 0x0B,
        [(byte)'0'] = 0,
    }.ToFrozenDictionary();

    /// <summary>The non-finite floats as ClickHouse writes them.</summary>
    private static readonly (byte[] Text, double Value)[] SpecialDoubles =
    [
        ("nan"u8.ToArray(), double.NaN),
        ("-nan"u8.ToArray(), double.NaN),
        ("inf"u8.ToArray(), double.PositiveInfinity),
        ("+inf"u8.ToArray(), double.PositiveInfinity),
        ("-inf"u8.ToArray(), double.NegativeInfinity),
    ];

    private static ReadOnlySpan<byte> Null => "\\N"u8;

    private static ReadOnlySpan<byte> ZeroDate => "0000-00-00"u8;

    /// <summary>Reads <paramref name="field"/> as <paramref name="kind"/>; false when the text does not fit the kind.</summary>
    public static bool TryRead(ReadOnlySpan<byte> field, ClickHouseValueKind kind, out object? value)
    {
        if (field.SequenceEqual(Null))
        {
            value = null;
            return true;
        }

        var invariant = CultureInfo.InvariantCulture;
        value = kind switch
        {
            ClickHouseValueKind.Text => Unescape(field),
            ClickHouseValueKind.FixedText => Unescape(field).TrimEnd('\0'),
            ClickHouseValueKind.Literal => Encoding.UTF8.GetString(field),
            ClickHouseValueKind.Integer when long.TryParse(field, NumberStyles.AllowLeadingSign, invariant, out var number) => number,
            ClickHouseValueKind.Decimal when decimal.TryParse(field, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, invariant, out var number) => number,
            ClickHouseValueKind.Double => ReadDouble(field),
            ClickHouseValueKind.Date => ReadDate(field),
            ClickHouseValueKind.Timestamp => ReadTimestamp(field),
            _ => null,
        };
        return value is not null;
    }

    /// <summary>Undoes TabSeparated escaping (<c>\t</c>, <c>\n</c>, <c>\\</c>, <c>\'</c>, <c>\xHH</c> …) and decodes UTF-8.</summary>
    public static string Unescape(ReadOnlySpan<byte> field)
    {
        if (field.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(field);
        }

        var rented = ArrayPool<byte>.Shared.Rent(field.Length);
        try
        {
            return Encoding.UTF8.GetString(rented, 0, UnescapeTo(field, rented));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Undoes TabSeparated escaping into <paramref name="destination"/> (at least as long as <paramref name="field"/>:
    /// unescaping never lengthens) and returns the byte count. The bytes are what <see cref="Unescape"/> decodes.
    /// </summary>
    public static int UnescapeTo(ReadOnlySpan<byte> field, Span<byte> destination)
    {
        var length = 0;
        for (var i = 0; i < field.Length; i++)
        {
            var b = field[i];
            if (b == '\\' && i + 1 < field.Length)
            {
                b = field[++i];
                if (b == 'x' && i + 2 < field.Length && TryHex(field[i + 1], field[i + 2], out var hex))
                {
                    b = hex;
                    i += 2;
                }
                else
                {
                    b = Unescapes.GetValueOrDefault(b, b);
                }
            }

            destination[length++] = b;
        }

        return length;
    }

    /// <summary>True when <paramref name="field"/> is a Date <see cref="TryRead"/> accepts: the zero date or a real <c>yyyy-MM-dd</c>.</summary>
    public static bool IsDate(ReadOnlySpan<byte> field) => field.SequenceEqual(ZeroDate) || TryDate(field, out _);

    /// <summary>True when <paramref name="field"/> is the zero DateTime (<c>0000-00-00 hh:mm:ss</c>), read as the epoch.</summary>
    public static bool IsZeroTimestamp(ReadOnlySpan<byte> field) =>
        field.Length == 19 && field[10] == ' ' && field[13] == ':' && field[16] == ':' && field[..10].SequenceEqual(ZeroDate);

    /// <summary>True when <paramref name="field"/> is a real <c>yyyy-MM-dd HH:mm:ss</c> (not the zero DateTime).</summary>
    public static bool IsTimestamp(ReadOnlySpan<byte> field) => TryTimestamp(field, out _);

    private static bool TryHex(byte high, byte low, out byte value)
    {
        var h = HexDigit(high);
        var l = HexDigit(low);
        value = (byte)((h << 4) | l);
        return h >= 0 && l >= 0;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static object? ReadDouble(ReadOnlySpan<byte> field)
    {
        foreach (var (text, special) in SpecialDoubles)
        {
            if (field.SequenceEqual(text))
            {
                return special;
            }
        }

        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    private static object? ReadDate(ReadOnlySpan<byte> field)
    {
        if (field.SequenceEqual(ZeroDate))
        {
            return DateOnly.FromDateTime(DateTime.UnixEpoch);
        }

        return TryDate(field, out var date) ? date : null;
    }

    private static object? ReadTimestamp(ReadOnlySpan<byte> field)
    {
        if (IsZeroTimestamp(field))
        {
            return DateTime.SpecifyKind(DateTime.UnixEpoch, DateTimeKind.Unspecified);
        }

        return TryTimestamp(field, out var timestamp) ? timestamp : null;
    }

    private static bool TryTimestamp(ReadOnlySpan<byte> field, out DateTime timestamp)
    {
        timestamp = default;
        if (field.Length != 19 || field[10] != ' ' || field[13] != ':' || field[16] != ':'
            || !TryDate(field[..10], out var date)
            || !TryDigits(field.Slice(11, 2), out var hour)
            || !TryDigits(field.Slice(14, 2), out var minute)
            || !TryDigits(field.Slice(17, 2), out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        timestamp = date.ToDateTime(new TimeOnly(hour, minute, second), DateTimeKind.Unspecified);
        return true;
    }

    private static bool TryDate(ReadOnlySpan<byte> field, out DateOnly date)
    {
        date = default;
        if (field.Length != 10 || field[4] != '-' || field[7] != '-'
            || !TryDigits(field[..4], out var year)
            || !TryDigits(field.Slice(5, 2), out var month)
            || !TryDigits(field.Slice(8, 2), out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9')
            {
                return false;
            }

            value = (value * 10) + (digit - '0');
        }

        return true;
    }
}
