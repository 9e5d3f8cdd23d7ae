using System.Globalization;
using SQLitePCL;

namespace Hera.EngineAdapters.Sqlite;

/// <summary>
/// Reads the current row's value of one column as the CLR type <see cref="Abstractions.IRowStream.GetValue"/>
/// promises for the column's type. SQLite is dynamically typed, so a value may not fit its column; the rule is:
/// a value is converted to the column's type when the conversion is exact (an integer into a double up to 2^53,
/// any number into text using SQLite's own rendering, an integral REAL into an integer, a number or numeric text into
/// a decimal, 0/1 or 'true'/'false' into a boolean, <c>yyyy-MM-dd</c> text into a date, <c>yyyy-MM-dd HH:mm:ss[.f]</c>
/// text into a timestamp); otherwise it is returned as stored: <see cref="long"/> for INTEGER, <see cref="double"/>
/// for REAL, <see cref="string"/> for TEXT, <see cref="byte"/>[] for BLOB. Numbers are never read as dates, because
/// SQLite allows both Unix seconds and Julian days and guessing would be silently wrong.
/// </summary>
internal static class SqliteValues
{
    private const string DateFormat = "yyyy-MM-dd";

    // Exactly the integers a double represents without rounding.
    private const long MaxExactDoubleInteger = 1L << 53;

    // The dot before F digits is optional when parsing, so these also accept whole seconds.
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-ddTHH:mm",
        DateFormat,
    ];

    // Adding a zero of scale s raises a decimal's scale to s (decimal addition keeps the larger scale).
    private static readonly decimal[] ZeroWithScale =
        [.. Enumerable.Range(0, 29).Select(scale => new decimal(0, 0, 0, false, (byte)scale))];

    /// <summary>The value at <paramref name="ordinal"/> of the row <paramref name="statement"/> is on.</summary>
    public static object? Read(sqlite3_stmt statement, int ordinal, SqliteColumnType column)
    {
        var storage = raw.sqlite3_column_type(statement, ordinal);
        if (column.Kind == SqliteValueKind.Text && storage is raw.SQLITE_INTEGER or raw.SQLITE_FLOAT)
        {
            return raw.sqlite3_column_text(statement, ordinal).utf8_to_string();
        }

        return storage switch
        {
            raw.SQLITE_NULL => null,
            raw.SQLITE_INTEGER => FromInteger(raw.sqlite3_column_int64(statement, ordinal), column),
            raw.SQLITE_FLOAT => FromReal(raw.sqlite3_column_double(statement, ordinal), column),
            raw.SQLITE_TEXT => FromText(raw.sqlite3_column_text(statement, ordinal).utf8_to_string(), column),
            _ => raw.sqlite3_column_blob(statement, ordinal).ToArray(),
        };
    }

    internal static object FromInteger(long value, SqliteColumnType column) => column.Kind switch
    {
        SqliteValueKind.Double when value is >= -MaxExactDoubleInteger and <= MaxExactDoubleInteger => (double)value,
        SqliteValueKind.Decimal => WithScale(value, column.Scale),
        SqliteValueKind.Boolean when value is 0 or 1 => value == 1,
        _ => value,
    };

    internal static object FromReal(double value, SqliteColumnType column) => column.Kind switch
    {
        SqliteValueKind.Integer when IsExactLong(value) => (long)value,
        SqliteValueKind.Decimal when double.IsFinite(value) && Math.Abs(value) < 7.9e28 => WithScale((decimal)value, column.Scale),
        SqliteValueKind.Boolean when value is 0 or 1 => value == 1,
        _ => value,
    };

    internal static object FromText(string text, SqliteColumnType column)
    {
        var invariant = CultureInfo.InvariantCulture;
        return column.Kind switch
        {
            SqliteValueKind.Integer when long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var number) => number,
            SqliteValueKind.Double when double.TryParse(text, NumberStyles.Float, invariant, out var number) => number,
            SqliteValueKind.Decimal when decimal.TryParse(text, NumberStyles.Float, invariant, out var number) => WithScale(number, column.Scale),
            SqliteValueKind.Boolean when bool.TryParse(text, out var flag) => flag,
            SqliteValueKind.Date when DateOnly.TryParseExact(text, DateFormat, invariant, DateTimeStyles.None, out var date) => date,
            SqliteValueKind.Timestamp when DateTime.TryParseExact(text, TimestampFormats, invariant, DateTimeStyles.None, out var timestamp) => timestamp,
            _ => text,
        };
    }

    /// <summary>Rounds half away from zero to <paramref name="scale"/> places and writes it with exactly that many.</summary>
    internal static decimal WithScale(decimal value, int? scale)
    {
        if (scale is not { } places || places > 28)
        {
            return value;
        }

        return Math.Round(value, places, MidpointRounding.AwayFromZero) + ZeroWithScale[places];
    }

    private static bool IsExactLong(double value) =>
        value >= -9.2233720368547758E18 && value < 9.2233720368547758E18 && Math.Floor(value) == value;

    /// <summary>
    /// Binds a value as Hera stores it in SQLite (the shop loader and bound parameters alike): integers and
    /// booleans as INTEGER, doubles and decimals as REAL (SQLite has no decimal storage class), dates as
    /// <c>yyyy-MM-dd</c> text, timestamps as <c>yyyy-MM-dd HH:mm:ss[.fff]</c> text. Returns SQLite's result code.
    /// </summary>
    /// <exception cref="ArgumentException">A value of a CLR type Hera does not bind.</exception>
    public static int Bind(sqlite3_stmt statement, int index, object? value)
    {
        Span<char> text = stackalloc char[32];
        var invariant = CultureInfo.InvariantCulture;
        return value switch
        {
            null => raw.sqlite3_bind_null(statement, index),
            int number => raw.sqlite3_bind_int64(statement, index, number),
            long number => raw.sqlite3_bind_int64(statement, index, number),
            bool flag => raw.sqlite3_bind_int64(statement, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(statement, index, real),
            decimal money => raw.sqlite3_bind_double(statement, index, (double)money),
            string characters => raw.sqlite3_bind_text16(statement, index, characters),
            DateOnly date when date.TryFormat(text, out var length, DateFormat, invariant) =>
                raw.sqlite3_bind_text16(statement, index, text[..length]),
            DateTime timestamp when timestamp.TryFormat(
                text, out var length, timestamp.Millisecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.fff", invariant) =>
                raw.sqlite3_bind_text16(statement, index, text[..length]),
            _ => throw new ArgumentException($"Hera does not bind a {value.GetType().Name} to SQLite.", nameof(value)),
        };
    }
}
