using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hera.ClientGateway.Results;

/// <summary>
/// Streams a stored result file (NDJSON, columns first; see <c>ResultFileWriter</c>) in the negotiated format.
/// NDJSON is the file itself, sent with the OS's zero-copy path; JSON and CSV transform it line by line, so memory
/// stays at a few buffers whatever the result size.
/// </summary>
public sealed class ResultFileResult(string path, ResultFormat format, long? rowCount) : IResult
{
    /// <summary>Response header carrying the row count, so clients can size or verify a download.</summary>
    public const string RowCountHeader = "Hera-Row-Count";

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = format.ContentType();
        if (rowCount is { } rows)
        {
            response.Headers[RowCountHeader] = rows.ToString(CultureInfo.InvariantCulture);
        }

        if (format == ResultFormat.NdJson)
        {
            await response.SendFileAsync(path, httpContext.RequestAborted).ConfigureAwait(false);
            return;
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            var reader = PipeReader.Create(file, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
            ILineTransform transform = format == ResultFormat.Csv ? new CsvTransform() : new JsonTransform();
            await PumpAsync(reader, response.BodyWriter, transform, httpContext.RequestAborted).ConfigureAwait(false);
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(PipeReader reader, PipeWriter writer, ILineTransform transform, CancellationToken cancellationToken)
    {
        var lineNumber = 0L;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            while (TryReadLine(ref buffer, out var line))
            {
                transform.WriteLine(writer, line, lineNumber++);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            var flushed = await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (read.IsCompleted || flushed.IsCanceled || flushed.IsCompleted)
            {
                break;
            }
        }

        transform.WriteEnd(writer, lineNumber);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var position = buffer.PositionOf((byte)'\n');
        if (position is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, position.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, position.Value));
        return true;
    }

    /// <summary>Turns the file's lines (line 0: columns; then rows) into one output format.</summary>
    private interface ILineTransform
    {
        void WriteLine(PipeWriter output, ReadOnlySequence<byte> line, long lineNumber);

        void WriteEnd(PipeWriter output, long lineCount);
    }

    /// <summary><c>{"columns":LINE0,"rows":[LINE1,LINE2,...]}</c>: the lines are already JSON, so only glue is written.</summary>
    private sealed class JsonTransform : ILineTransform
    {
        public void WriteLine(PipeWriter output, ReadOnlySequence<byte> line, long lineNumber)
        {
            if (lineNumber == 0)
            {
                output.Write("{\"columns\":"u8);
                Write(output, line);
                output.Write(",\"rows\":["u8);
                return;
            }

            if (lineNumber > 1)
            {
                output.Write(","u8);
            }

            Write(output, line);
        }

        public void WriteEnd(PipeWriter output, long lineCount) =>
            output.Write(lineCount == 0 ? "{\"columns\":[],\"rows\":[]}"u8 : "]}"u8);
    }

    /// <summary>RFC 4180 CSV: a header of column names, then the rows; fields quoted only when they must be.</summary>
    private sealed class CsvTransform : ILineTransform
    {
        private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(",\"\r\n");

        public void WriteLine(PipeWriter output, ReadOnlySequence<byte> line, long lineNumber)
        {
            var json = new Utf8JsonReader(line);
            json.Read(); // StartArray
            var first = true;
            while (json.Read() && json.TokenType != JsonTokenType.EndArray)
            {
                if (!first)
                {
                    output.Write(","u8);
                }

                first = false;
                if (lineNumber == 0)
                {
                    // Header entries are {"name":..,"type":..}: the name is the CSV header.
                    using var column = JsonDocument.ParseValue(ref json);
                    WriteText(output, column.RootElement.GetProperty("name").GetString() ?? "");
                    continue;
                }

                WriteField(output, ref json);
            }

            output.Write("\r\n"u8);
        }

        public void WriteEnd(PipeWriter output, long lineCount)
        {
        }

        private static void WriteField(PipeWriter output, ref Utf8JsonReader json)
        {
            switch (json.TokenType)
            {
                case JsonTokenType.Null:
                    break;
                case JsonTokenType.String:
                    WriteText(output, json.GetString()!);
                    break;
                case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                    if (json.HasValueSequence)
                    {
                        Write(output, json.ValueSequence);
                    }
                    else
                    {
                        output.Write(json.ValueSpan);
                    }

                    break;
                default:
                    // Nested values do not occur in result files; write them as JSON text rather than lose them.
                    using (var nested = JsonDocument.ParseValue(ref json))
                    {
                        WriteText(output, nested.RootElement.GetRawText());
                    }

                    break;
            }
        }

        private static void WriteText(PipeWriter output, string text)
        {
            if (text.AsSpan().IndexOfAny(NeedsQuoting) < 0)
            {
                Encoding.UTF8.GetBytes(text, output);
                return;
            }

            output.Write("\""u8);
            Encoding.UTF8.GetBytes(text.Replace("\"", "\"\"", StringComparison.Ordinal), output);
            output.Write("\""u8);
        }
    }

    private static void Write(PipeWriter output, ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            output.Write(segment.Span);
        }
    }
}
