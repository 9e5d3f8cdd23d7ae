using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Hera.Grains.Interfaces.Results;

/// <summary>
/// How one value looks in a Hera result line (NDJSON, see <c>ResultFileWriter</c>): the single definition shared by
/// the value-by-value writer and by engines that write their rows as result lines themselves
/// (<c>IResultLineSource</c>), so both produce the same bytes. Numbers are JSON numbers (non-finite doubles as
/// strings: <c>NaN</c>, <c>Infinity</c>), text is a JSON string with non-ASCII kept as UTF-8, dates
/// <c>yyyy-MM-dd</c>, timestamps <c>yyyy-MM-dd HH:mm:ss[.fffffff]</c>, bytes base64.
/// </summary>
public static class ResultJson
{
    /// <summary>The writer options of every result line: relaxed escaping, no validation.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        // Rows are data, not HTML: keep non-ASCII text readable instead of \u-escaping it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>
    /// Writes <paramref name="value"/> (a value as <c>IRowStream.GetValue</c> returns it: null, long, int, double,
    /// float, decimal, string, bool, byte[], DateOnly, DateTime, DateTimeOffset; anything else as its invariant text).
    /// </summary>
    public static void WriteValue(Utf8JsonWriter json, object? value)
    {
        ArgumentNullException.ThrowIfNull(json);
        switch (value)
        {
            case null or DBNull:
                json.WriteNullValue();
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case double d:
                json.WriteStringValue(d.ToString(CultureInfo.InvariantCulture));
                break;
            case float f:
                json.WriteNumberValue(f);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case byte[] bytes:
                json.WriteBase64StringValue(bytes);
                break;
            case DateOnly date:
                json.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTime timestamp:
                json.WriteStringValue(FormatTimestamp(timestamp));
                break;
            case DateTimeOffset offset:
                json.WriteStringValue(FormatTimestamp(offset.UtcDateTime));
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c>, with a fraction only when there is one (Trino's text form).</summary>
    public static string FormatTimestamp(DateTime timestamp) =>
        timestamp.ToString(timestamp.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
