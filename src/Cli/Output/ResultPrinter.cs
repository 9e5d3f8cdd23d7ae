using System.Text.Json;
using Hera.Client;

namespace Hera.Cli.Output;

/// <summary>
/// Prints a succeeded job's result in bounded memory: the table holds at most <see cref="MaxTableRows"/> rows read
/// from the NDJSON stream; the other formats copy the gateway's body through in fixed-size chunks.
/// </summary>
internal static class ResultPrinter
{
    /// <summary>Most rows a table shows; the rest are left unread and a note says so.</summary>
    public const int MaxTableRows = 1000;

    private const int ChunkChars = 16 * 1024;

    /// <summary>
    /// Writes job <paramref name="jobId"/>'s result to <paramref name="output"/> in <paramref name="format"/>.
    /// <paramref name="rowCount"/> (the job's, when known) only words the note under a cut table.
    /// </summary>
    public static Task WriteAsync(HeraClient client, string jobId, ResultFormat format, long? rowCount, TextWriter output, CancellationToken cancellationToken) =>
        format == ResultFormat.Table
            ? WriteTableAsync(client, jobId, rowCount, output, cancellationToken)
            : CopyAsync(client, jobId, format, output, cancellationToken);

    private static async Task CopyAsync(HeraClient client, string jobId, ResultFormat format, TextWriter output, CancellationToken cancellationToken)
    {
        using var response = await client.OpenResultAsync(jobId, ResultFormats.MediaType(format), cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        var buffer = new char[ChunkChars];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteTableAsync(HeraClient client, string jobId, long? rowCount, TextWriter output, CancellationToken cancellationToken)
    {
        using var response = await client.OpenResultAsync(jobId, "application/x-ndjson", cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        var header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "[]";
        var columns = ColumnNames(header);
        var rows = new List<JsonElement[]>();
        var more = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (rows.Count == MaxTableRows)
            {
                more = true;
                break;
            }

            using var row = JsonDocument.Parse(line);
            rows.Add([.. row.RootElement.EnumerateArray().Select(v => v.Clone())]);
        }

        var numeric = columns.Select((_, i) => rows.All(r => i >= r.Length || r[i].ValueKind is JsonValueKind.Number or JsonValueKind.Null)).ToArray();
        var table = new TextTable(columns, numeric);
        foreach (var row in rows)
        {
            table.Add([.. row.Select(Cell)]);
        }

        await table.WriteAsync(output).ConfigureAwait(false);
        await output.WriteLineAsync(more
            ? $"({MaxTableRows} of {(rowCount is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "more")} rows shown; use --format csv, json or ndjson for all of them)"
            : rows.Count == 1 ? "(1 row)" : $"({rows.Count} rows)").ConfigureAwait(false);
    }

    private static string[] ColumnNames(string header)
    {
        using var columns = JsonDocument.Parse(header);
        return [.. columns.RootElement.EnumerateArray().Select(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("name", out var name)
            ? name.GetString() ?? ""
            : c.ToString())];
    }

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "NULL",
        JsonValueKind.String => Printable(value.GetString() ?? ""),
        _ => value.GetRawText(),
    };

    private static string Printable(string text) =>
        text.AsSpan().IndexOfAny('\n', '\r', '\t') < 0 ? text : text.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", " ");
}
