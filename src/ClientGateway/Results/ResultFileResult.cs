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
            var transform = ResultLineTransform.For(format)!;
            await PumpAsync(reader, response.BodyWriter, transform, httpContext.RequestAborted).ConfigureAwait(false);
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(PipeReader reader, PipeWriter writer, ResultLineTransform transform, CancellationToken cancellationToken)
    {
        var lineNumber = 0L;

        // Transformed into a local buffer and handed to the response once per read: the pipe's small writes (several
        // per row) cost more than the transformation.
        var transformed = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            while (TryReadLine(ref buffer, out var line))
            {
                transform.WriteLine(transformed, line, lineNumber++);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
            var flushed = await writer.WriteAsync(transformed.WrittenMemory, cancellationToken).ConfigureAwait(false);
            transformed.ResetWrittenCount();
            if (read.IsCompleted || flushed.IsCanceled || flushed.IsCompleted)
            {
                break;
            }
        }

        transform.WriteEnd(transformed, lineNumber);
        await writer.WriteAsync(transformed.WrittenMemory, cancellationToken).ConfigureAwait(false);
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
}
