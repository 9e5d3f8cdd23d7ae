using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Renders bound parameter values as ClickHouse 18.16 literals, which has no server-side parameters: each value
/// becomes a typed, escaped literal through <see cref="Renderers"/>, one row per CLR type Hera binds
/// (<see cref="Abstractions.EngineCommand.Parameters"/>). Strings are single-quoted with every backslash, quote and
/// control character escaped, so a string is always compared as a value, never read as SQL. Values ClickHouse
/// would silently change are refused instead: dates outside 1970-01-01..2105-12-31 (18.16 turns them into
/// <c>0000-00-00</c>) and timestamps with fractions of a second (there is no DateTime64).
/// </summary>
internal static class ClickHouseLiterals
{
    /// <summary>Characters escaped inside quoted text; ClickHouse reads each escape back as the character.</summary>
    internal static readonly FrozenDictionary<char, string> Escapes = new Dictionary<char, string>
    {
        ['\\'] = "\\\\",
        ['\''] = "\\'",
        ['\0'] = "\\0",
        ['\b'] = "\\b",
        ['\f'] = "\\f",
        ['\n'] = "\\n",
        ['\r'] = "\\r",
        ['\t'] = "\\t",
    }.ToFrozenDictionary();

    /// <summary>The first and last date a ClickHouse 18.16 Date (and DateTime) represents.</summary>
    internal static readonly (DateOnly First, DateOnly Last) DateRange = (new DateOnly(1970, 1, 1), new DateOnly(2105, 12, 31));

    private static readonly SearchValues<char> Escaped = SearchValues.Create([.. Escapes.Keys]);

    /// <summary>CLR type to literal. Numbers that could meet a preceding <c>-</c> are parenthesised (<c>1-(-5)</c>, not a <c>--</c> comment).</summary>
    private static readonly FrozenDictionary<Type, Func<object, string>> Renderers = new Dictionary<Type, Func<object, string>>
    {
        [typeof(bool)] = value => (bool)value ? "1" : "0",
        [typeof(int)] = value => Integer((int)value),
        [typeof(long)] = value => Integer((long)value),
        [typeof(double)] = value => Double((double)value),
        [typeof(decimal)] = value => Decimal((decimal)value),
        [typeof(string)] = value => Quote((string)value),
        [typeof(DateOnly)] = value => Date((DateOnly)value),
        [typeof(DateTime)] = value => Timestamp((DateTime)value),
    }.ToFrozenDictionary();

    /// <summary>Non-finite doubles, which have no digits to wrap in <c>toFloat64</c>.</summary>
    private static readonly FrozenDictionary<double, string> SpecialDoubles = new Dictionary<double, string>
    {
        [double.PositiveInfinity] = "inf",
        [double.NegativeInfinity] = "(-inf)",
    }.ToFrozenDictionary();

    /// <summary>The literal for <paramref name="value"/>; <c>NULL</c> for null.</summary>
    /// <exception cref="ArgumentException">A CLR type Hera does not bind, or a value ClickHouse cannot hold exactly.</exception>
    public static string Render(object? value)
    {
        if (value is null)
        {
            return "NULL";
        }

        return Renderers.TryGetValue(value.GetType(), out var render)
            ? render(value)
            : throw new ArgumentException($"Hera does not bind a {value.GetType().Name} to ClickHouse.", nameof(value));
    }

    /// <summary>A single-quoted string literal.</summary>
    public static string Quote(string text) => $"'{Escape(text)}'";

    /// <summary><paramref name="text"/> with <see cref="Escapes"/> applied (valid in quoted literals and in TabSeparated input).</summary>
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Escaped);
        if (first < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            if (Escapes.TryGetValue(text[i], out var escape))
            {
                builder.Append(escape);
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static string Integer(long value) =>
        value < 0 ? $"({value.ToString(CultureInfo.InvariantCulture)})" : value.ToString(CultureInfo.InvariantCulture);

    // toFloat64 keeps the type double even for whole numbers, which would otherwise be read as UInt8 and so on.
    private static string Double(double value) =>
        double.IsNaN(value) ? "nan"
        : SpecialDoubles.TryGetValue(value, out var special) ? special
        : $"toFloat64({value.ToString("R", CultureInfo.InvariantCulture)})";

    // From text, so no digit passes through a double; the scale is the value's own.
    private static string Decimal(decimal value) =>
        string.Create(CultureInfo.InvariantCulture, $"toDecimal128('{value}', {value.Scale})");

    private static string Date(DateOnly value)
    {
        CheckRange(value);
        return $"toDate('{value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}')";
    }

    private static string Timestamp(DateTime value)
    {
        CheckRange(DateOnly.FromDateTime(value));
        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException(
                $"ClickHouse 18.16 has no fractional seconds (no DateTime64); {value:O} would be truncated.", nameof(value));
        }

        return $"toDateTime('{value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}')";
    }

    private static void CheckRange(DateOnly date)
    {
        if (date < DateRange.First || date > DateRange.Last)
        {
            throw new ArgumentException(
                $"ClickHouse 18.16 dates run from {DateRange.First:yyyy-MM-dd} to {DateRange.Last:yyyy-MM-dd}; {date:yyyy-MM-dd} would become 0000-00-00.",
                nameof(date));
        }
    }
}
