using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Interfaces.Results;

namespace Hera.Grains.Results;

/// <summary>
/// Streams an engine's rows into a result file in Hera's result format: NDJSON whose first line is the column
/// array (<c>[{"name":"n","type":"bigint"}]</c>) and every further line one row as a JSON array. That is exactly
/// the API's <c>application/x-ndjson</c> answer, so the gateway can send the file as it is, and JSON and CSV
/// are cheap line-by-line transformations of it. Memory stays bounded by one flush buffer whatever the size.
/// </summary>
public static class ResultFileWriter
{
    private const int FlushThresholdBytes = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Rows are data, not HTML: keep non-ASCII text readable instead of \u-escaping it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>
    /// Writes every row of <paramref name="rows"/> to <paramref name="destination"/> and returns the row count.
    /// The caller owns the stream (and decides about fsync and renaming).
    /// </summary>
    public static async Task<long> WriteAsync(IRowStream rows, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushThresholdBytes * 2);
        await using var json = new Utf8JsonWriter(buffer, WriterOptions);

        WriteHeader(json, rows.Columns);
        EndLine(json, buffer);

        long count = 0;
        var width = rows.Columns.Count;
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            json.WriteStartArray();
            for (var i = 0; i < width; i++)
            {
                WriteValue(json, rows.GetValue(i));
            }

            json.WriteEndArray();
            EndLine(json, buffer);
            count++;

            if (buffer.WrittenCount >= FlushThresholdBytes)
            {
                await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static void WriteHeader(Utf8JsonWriter json, IReadOnlyList<ResultColumn> columns)
    {
        json.WriteStartArray();
        foreach (var column in columns)
        {
            json.WriteStartObject();
            json.WriteString("name", column.Name);
            json.WriteString("type", column.Type);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void EndLine(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer)
    {
        json.Flush();
        buffer.Write("\n"u8);

        // Each line is its own JSON document; resetting stops the writer from adding a separator.
        json.Reset(buffer);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
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
    internal static string FormatTimestamp(DateTime timestamp) =>
        timestamp.ToString(timestamp.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
