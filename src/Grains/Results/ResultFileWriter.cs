using System.Buffers;
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
    private const int InitialBufferBytes = 1024;

    /// <summary>
    /// Writes every row of <paramref name="rows"/> to <paramref name="destination"/> and returns the row count.
    /// The caller owns the stream (and decides about fsync and renaming).
    /// </summary>
    public static async Task<long> WriteAsync(IRowStream rows, Stream destination, CancellationToken cancellationToken)
    {
        // Starts small and grows to about twice the threshold only for results that need it: a point query must not
        // allocate a large-object-heap buffer (128 KiB) per call, which drives gen 2 collections under load.
        var buffer = new ArrayBufferWriter<byte>(InitialBufferBytes);
        await using var json = new Utf8JsonWriter(buffer, ResultJson.WriterOptions);

        WriteHeader(json, rows.Columns);
        EndLine(json, buffer);

        // An engine that sends text writes its rows itself (same bytes, no value objects): the scan's hot path.
        var count = rows is IResultLineSource lines
            ? await lines.WriteRowLinesAsync(buffer, destination, FlushThresholdBytes, cancellationToken).ConfigureAwait(false)
            : await WriteValuesAsync(rows, json, buffer, destination, cancellationToken).ConfigureAwait(false);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await destination.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static async Task<long> WriteValuesAsync(
        IRowStream rows, Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, Stream destination, CancellationToken cancellationToken)
    {
        long count = 0;
        var width = rows.Columns.Count;
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            json.WriteStartArray();
            for (var i = 0; i < width; i++)
            {
                ResultJson.WriteValue(json, rows.GetValue(i));
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
}
