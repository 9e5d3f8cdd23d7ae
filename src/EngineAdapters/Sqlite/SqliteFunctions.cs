using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Hera.EngineAdapters.Sqlite;

/// <summary>
/// The functions <c>Hera.Sql.Printing.SqlitePrinter</c> emits that SQLite lacks or has with other semantics, added to
/// a connection as deterministic functions. Dates are <c>yyyy-MM-dd</c> text and timestamps <c>yyyy-MM-dd
/// HH:mm:ss[.fff]</c> text (as the shop loader and <see cref="SqliteValues"/> store them); every date-time function
/// gives back the shape it was given. Any NULL argument gives NULL, as in Trino.
/// <list type="bullet">
/// <item><c>hera_lower(s)</c>, <c>hera_upper(s)</c>: Unicode case mapping (SQLite's own fold ASCII only).</item>
/// <item><c>hera_reverse(s)</c>: reverses code points.</item>
/// <item><c>hera_round(x[, n])</c>: rounds half away from zero in decimal, as Trino rounds a DECIMAL; SQLite's own
/// round works on the binary double, so <c>round(0.105, 2)</c> would give 0.1 where Trino gives 0.11.</item>
/// <item><c>hera_date_trunc(unit, x)</c>: Trino's date_trunc (second .. year; week starts on Monday).</item>
/// <item><c>hera_date_add(unit, n, x)</c>: Trino's date_add; adding months clamps to the month's last day.</item>
/// <item><c>hera_date_diff(unit, a, b)</c>: Trino's date_diff, whole units from a to b, truncated toward zero.</item>
/// <item><c>hera_day_of_week(x)</c>: ISO day of week, 1 = Monday .. 7 = Sunday. <c>hera_week(x)</c>: ISO week.</item>
/// <item><c>like(pattern, value[, escape])</c>: replaces SQLite's LIKE, which ignores ASCII case, with Trino's
/// case-sensitive LIKE (the operator <c>x LIKE p</c> calls this function).</item>
/// </list>
/// </summary>
public static class SqliteFunctions
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>Trino's round: integers stay integers (rounded to tens, hundreds.. for negative digits); doubles round
    /// half away from zero on their shortest decimal form.</summary>
    private static object? Round(object? value, object? digits)
    {
        if (value is null || digits is null)
        {
            return null;
        }

        var n = (int)Math.Clamp(Convert.ToInt64(digits, CultureInfo.InvariantCulture), -18, 28);
        switch (value)
        {
            case long whole when n >= 0:
                return whole;
            case long whole:
                var step = (decimal)Math.Pow(10, -n);
                return (long)(Math.Round(whole / step, MidpointRounding.AwayFromZero) * step);
            case double d when double.IsFinite(d) && Math.Abs(d) < 1e27:
                var exact = (decimal)d;
                if (n >= 0)
                {
                    return (double)Math.Round(exact, n, MidpointRounding.AwayFromZero);
                }

                var unit = (decimal)Math.Pow(10, -n);
                return (double)(Math.Round(exact / unit, MidpointRounding.AwayFromZero) * unit);
            case double d:
                return d;
            default:
                return value;
        }
    }
    private static readonly string[] TimestampFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"];

    /// <summary>Adds the functions to an open connection; call once per connection, before running statements.</summary>
    public static void Register(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.CreateFunction("hera_lower", (string? s) => s?.ToLowerInvariant(), isDeterministic: true);
        connection.CreateFunction("hera_upper", (string? s) => s?.ToUpperInvariant(), isDeterministic: true);
        connection.CreateFunction("hera_reverse", (string? s) => s is null ? null : Reverse(s), isDeterministic: true);
        connection.CreateFunction("hera_round", (object? x) => Round(x, 0L), isDeterministic: true);
        connection.CreateFunction("hera_round", (object? x, object? digits) => Round(x, digits), isDeterministic: true);
        connection.CreateFunction("hera_date_trunc", (string? unit, string? value) => Apply(value, v => Truncate(Unit(unit), v)), isDeterministic: true);
        connection.CreateFunction(
            "hera_date_add",
            (string? unit, object? amount, string? value) => amount is null ? null : Apply(value, v => Add(Unit(unit), Convert.ToInt64(amount, CultureInfo.InvariantCulture), v)),
            isDeterministic: true);
        connection.CreateFunction("hera_date_diff", (string? unit, string? from, string? to) => Diff(unit, from, to), isDeterministic: true);
        connection.CreateFunction("hera_day_of_week", (string? value) => Parse(value) is { } v ? (long?)(((int)v.Value.DayOfWeek + 6) % 7 + 1) : null, isDeterministic: true);
        connection.CreateFunction("hera_week", (string? value) => Parse(value) is { } v ? (long?)ISOWeek.GetWeekOfYear(v.Value) : null, isDeterministic: true);
        connection.CreateFunction("like", (string? pattern, string? value) => Like(pattern, value, null), isDeterministic: true);
        connection.CreateFunction("like", (string? pattern, string? value, string? escape) => Like(pattern, value, escape), isDeterministic: true);
    }

    /// <summary>Trino's LIKE: <c>%</c> any run, <c>_</c> one character, case-sensitive; null when any input is null.</summary>
    internal static long? Like(string? pattern, string? value, string? escape)
    {
        if (pattern is null || value is null)
        {
            return null;
        }

        if (escape is { Length: not 1 })
        {
            throw new SqliteException("LIKE escape must be a single character", 1);
        }

        return Matches(pattern, value, escape?[0]) ? 1 : 0;
    }

    private static bool Matches(string pattern, string value, char? escape)
    {
        // Greedy match with backtracking to the last %: linear for patterns with one %, as most are.
        int p = 0, v = 0, starP = -1, starV = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && pattern[p] == '%')
            {
                starP = ++p;
                starV = v;
                continue;
            }

            if (p < pattern.Length && TryLiteral(pattern, ref p, escape, out var expected, out var any) && (any || expected == value[v]))
            {
                v++;
                continue;
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP;
            v = ++starV;
        }

        while (p < pattern.Length && pattern[p] == '%')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Reads one pattern character at <paramref name="p"/>, advancing past it (and its escape) on success.</summary>
    private static bool TryLiteral(string pattern, ref int p, char? escape, out char expected, out bool any)
    {
        var c = pattern[p];
        any = false;
        expected = c;
        if (escape is { } e && c == e)
        {
            if (p + 1 >= pattern.Length)
            {
                throw new SqliteException("LIKE pattern ends with the escape character", 1);
            }

            expected = pattern[p + 1];
            p += 2;
            return true;
        }

        if (c == '%')
        {
            return false;
        }

        any = c == '_';
        p++;
        return true;
    }

    private static string Reverse(string s)
    {
        var runes = new List<Rune>(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            runes.Add(rune);
        }

        var sb = new StringBuilder(s.Length);
        for (var i = runes.Count - 1; i >= 0; i--)
        {
            sb.Append(runes[i].ToString());
        }

        return sb.ToString();
    }

    private static string Unit(string? unit) =>
        unit?.ToLowerInvariant() ?? throw new SqliteException("date-time unit is NULL", 1);

    /// <summary>A date-time value as text: a date (the bool is true) or a timestamp.</summary>
    private static (DateTime Value, bool IsDate)? Parse(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var invariant = CultureInfo.InvariantCulture;
        if (text.Length == 10 && DateTime.TryParseExact(text, DateFormat, invariant, DateTimeStyles.None, out var date))
        {
            return (date, true);
        }

        return DateTime.TryParseExact(text, TimestampFormats, invariant, DateTimeStyles.None, out var timestamp)
            ? (timestamp, false)
            : throw new SqliteException($"'{text}' is not a date or timestamp", 1);
    }

    private static string? Apply(string? text, Func<DateTime, DateTime> change)
    {
        if (Parse(text) is not { } parsed)
        {
            return null;
        }

        var result = change(parsed.Value);
        var invariant = CultureInfo.InvariantCulture;
        return parsed.IsDate && result.TimeOfDay == TimeSpan.Zero
            ? result.ToString(DateFormat, invariant)
            : result.ToString(result.Millisecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.fff", invariant);
    }

    private static DateTime Truncate(string unit, DateTime v) => unit switch
    {
        "second" => new DateTime(v.Year, v.Month, v.Day, v.Hour, v.Minute, v.Second),
        "minute" => new DateTime(v.Year, v.Month, v.Day, v.Hour, v.Minute, 0),
        "hour" => new DateTime(v.Year, v.Month, v.Day, v.Hour, 0, 0),
        "day" => v.Date,
        "week" => v.Date.AddDays(-(((int)v.DayOfWeek + 6) % 7)),
        "month" => new DateTime(v.Year, v.Month, 1),
        "quarter" => new DateTime(v.Year, ((v.Month - 1) / 3 * 3) + 1, 1),
        "year" => new DateTime(v.Year, 1, 1),
        _ => throw new SqliteException($"'{unit}' is not a date_trunc unit", 1),
    };

    private static DateTime Add(string unit, long n, DateTime v) => unit switch
    {
        "millisecond" => v.AddMilliseconds(n),
        "second" => v.AddSeconds(n),
        "minute" => v.AddMinutes(n),
        "hour" => v.AddHours(n),
        "day" => v.AddDays(n),
        "week" => v.AddDays(7 * n),
        "month" => v.AddMonths(checked((int)n)),
        "quarter" => v.AddMonths(checked((int)(3 * n))),
        "year" => v.AddYears(checked((int)n)),
        _ => throw new SqliteException($"'{unit}' is not a date_add unit", 1),
    };

    private static long? Diff(string? unit, string? fromText, string? toText)
    {
        if (Parse(fromText) is not { } from || Parse(toText) is not { } to)
        {
            return null;
        }

        var a = from.Value;
        var b = to.Value;
        var ticks = (b - a).Ticks;
        return Unit(unit) switch
        {
            "millisecond" => ticks / TimeSpan.TicksPerMillisecond,
            "second" => ticks / TimeSpan.TicksPerSecond,
            "minute" => ticks / TimeSpan.TicksPerMinute,
            "hour" => ticks / TimeSpan.TicksPerHour,
            "day" => ticks / TimeSpan.TicksPerDay,
            "week" => ticks / (TimeSpan.TicksPerDay * 7),
            "month" => Months(a, b),
            "quarter" => Months(a, b) / 3,
            "year" => Months(a, b) / 12,
            var other => throw new SqliteException($"'{other}' is not a date_diff unit", 1),
        };
    }

    /// <summary>Whole months from <paramref name="a"/> to <paramref name="b"/>, truncated toward zero.</summary>
    private static long Months(DateTime a, DateTime b)
    {
        var months = ((b.Year - a.Year) * 12) + b.Month - a.Month;
        if (months > 0 && a.AddMonths(months) > b)
        {
            months--;
        }
        else if (months < 0 && a.AddMonths(months) < b)
        {
            months++;
        }

        return months;
    }
}
