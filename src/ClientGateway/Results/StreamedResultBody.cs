using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Hera.ClientGateway.Results;

/// <summary>
/// The body of a live result (<c>POST /v1/query</c>): takes Hera's NDJSON result lines as <c>ResultFileWriter</c>
/// writes them and sends them to the caller in the negotiated format. Nothing reaches the caller before the first
/// write: that is when the answer is committed (status 200 and its headers, through <c>commit</c>). Until then the
/// query may still fail over to another engine or answer with a problem; <see cref="Committed"/> tells which.
/// The writer hands over whole lines in buffers of about 64 KiB, so memory stays at one buffer whatever the size.
/// </summary>
internal sealed class StreamedResultBody(HttpResponse response, ResultFormat format, Action<HttpResponse> commit) : Stream
{
    private readonly ResultLineTransform? _transform = ResultLineTransform.For(format);
    private readonly ArrayBufferWriter<byte> _partialLine = new();

    // What the transform makes of one written buffer, handed to the response in one write: the pipe's own small
    // writes (several per row) cost more than transforming the row.
    private readonly ArrayBufferWriter<byte> _transformed = new();
    private long _lines;

    /// <summary>True once bytes went to the caller: from then on a failure can only cut the answer short.</summary>
    public bool Committed { get; private set; }

    /// <inheritdoc />
    public override bool CanRead => false;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var output = Commit();
        if (_transform is null)
        {
            await output.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        var rest = buffer.Span;
        for (var end = rest.IndexOf((byte)'\n'); end >= 0; end = rest.IndexOf((byte)'\n'))
        {
            if (_partialLine.WrittenCount > 0)
            {
                _partialLine.Write(rest[..end]);
                _transform.WriteLine(_transformed, new ReadOnlySequence<byte>(_partialLine.WrittenMemory), _lines++);
                _partialLine.Clear();
            }
            else
            {
                _transform.WriteLine(_transformed, new ReadOnlySequence<byte>(buffer.Slice(buffer.Length - rest.Length, end)), _lines++);
            }

            rest = rest[(end + 1)..];
        }

        _partialLine.Write(rest);
        await SendTransformedAsync(output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the answer: what follows the last line in this format, then a flush.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        var output = Commit();
        _transform?.WriteEnd(_transformed, _lines);
        await SendTransformedAsync(output, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes (and flushes) what the transform made so far, then empties the local buffer.</summary>
    private async Task SendTransformedAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(_transformed.WrittenMemory, cancellationToken).ConfigureAwait(false);
        _transformed.ResetWrittenCount();
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        Committed ? response.BodyWriter.FlushAsync(cancellationToken).AsTask() : Task.CompletedTask;

    /// <inheritdoc />
    public override void Flush() => throw new NotSupportedException("the result body is written asynchronously");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the result body is written asynchronously");

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    private PipeWriter Commit()
    {
        if (!Committed)
        {
            commit(response);
            response.ContentType = format.ContentType();
            Committed = true;
        }

        return response.BodyWriter;
    }
}
