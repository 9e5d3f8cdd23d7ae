using System.Buffers;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Reads a response body line by line through one pooled buffer, so memory is bounded by the longest row, not the
/// result. <see cref="Line"/> stays valid until the next <see cref="NextLineAsync"/>. Not thread-safe.
/// </summary>
internal sealed class ClickHouseTsvReader : IDisposable
{
    private const int InitialBufferBytes = 64 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _lineStart;
    private int _lineLength = -1;
    private int _end;
    private bool _eof;

    /// <summary>A reader over <paramref name="stream"/>, which it does not own.</summary>
    public ClickHouseTsvReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>The current line, without its <c>\n</c>.</summary>
    public ReadOnlySpan<byte> Line => _buffer.AsSpan(_lineStart, Math.Max(0, _lineLength));

    /// <summary>True when the current line is the unterminated tail of the body.</summary>
    public bool LineIsUnterminated { get; private set; }

    /// <summary>Advances to the next line; false at the end of the body.</summary>
    public ValueTask<bool> NextLineAsync(CancellationToken cancellationToken)
    {
        if (LineIsUnterminated)
        {
            _lineLength = -1;
            return ValueTask.FromResult(false);
        }

        _lineStart += _lineLength + 1;
        _lineLength = 0;
        return TryTakeLine(_lineStart) ? ValueTask.FromResult(true) : NextLineSlowAsync(cancellationToken);
    }

    /// <summary>
    /// Reads ahead, keeping the current line, until the body ends or <paramref name="limit"/> bytes from the start of
    /// the current line are buffered. True when the body ends within them; <see cref="Rest"/> then holds it all.
    /// </summary>
    public async ValueTask<bool> EndsWithinAsync(int limit, CancellationToken cancellationToken)
    {
        while (!_eof && _end - _lineStart < limit)
        {
            await FillAsync(cancellationToken).ConfigureAwait(false);
        }

        return _eof && _end - _lineStart <= limit;
    }

    /// <summary>Everything buffered from the start of the current line.</summary>
    public ReadOnlySpan<byte> Rest => _buffer.AsSpan(_lineStart, _end - _lineStart);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask<bool> NextLineSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var scanned = _end - _lineStart;
            if (_eof)
            {
                if (scanned == 0)
                {
                    _lineLength = -1;
                    return false;
                }

                // The body ended without a final newline: the caller decides whether that is an error text or a cut.
                _lineLength = scanned;
                LineIsUnterminated = true;
                return true;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
            if (TryTakeLine(_lineStart + scanned))
            {
                return true;
            }
        }
    }

    /// <summary>Sets the current line when a newline is buffered at or after <paramref name="searchFrom"/>.</summary>
    private bool TryTakeLine(int searchFrom)
    {
        var newline = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf((byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        _lineLength = searchFrom - _lineStart + newline;
        return true;
    }

    /// <summary>Reads more of the body, first moving the current line to the front or growing the buffer.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_lineStart > 0)
        {
            _buffer.AsSpan(_lineStart, _end - _lineStart).CopyTo(_buffer);
            _end -= _lineStart;
            _lineStart = 0;
        }

        if (_end == _buffer.Length)
        {
            // One row longer than the buffer: grow to hold it; memory stays bounded by the longest row.
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
