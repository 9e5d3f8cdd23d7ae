using System.Buffers;
using System.Globalization;
using System.Text;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Interfaces.Results;

namespace Hera.EngineAdapters.ClickHouse;

// Design note. The body is TabSeparatedWithNamesAndTypes: a names line, a types line, then one line per row. Rows
// are parsed from ClickHouseTsvReader's buffer as they are read, so memory is bounded by the longest row.
// - Errors mid-stream: once output began, ClickHouse can no longer change the status (200), so it appends its error
//   text ("Code: NNN, e.displayText() = …") to the body and ends it. A line containing that marker is an error when
//   the body ends within ErrorTailLimit bytes of it; otherwise it is data that happens to contain the words.
// - Stopping: closing the connection does not stop a statement on 18.16, so every stop is "close, then KILL QUERY …
//   SYNC on another request". Closing first matters: a server blocked writing to a full socket only notices a KILL
//   when its write fails. A stop may start on any thread (the execute token's callback, EnsureStoppedAsync), but
//   only the reading thread touches the reader's buffer; other threads only dispose the response.
// - The execute token is registered for the stream's life (cancelling it stops the statement even between reads);
//   a read token is passed to the body read only, so a read costs no linked token source.
// - Result lines (IResultLineSource): a result writer may take the rows as Hera result lines instead of values; then
//   each line is transcoded by ClickHouseResultLines without being parsed into objects, and everything else (error
//   tails, stopping, failures) is the same ReadAsync.

/// <summary>The rows of one ClickHouse statement, parsed as they arrive; see the design note above.</summary>
internal sealed class ClickHouseRowStream : IRowStream, IResultLineSource
{
    private const int ErrorTailLimit = 64 * 1024;

    private readonly ClickHouseAttempt _attempt;
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly ClickHouseTsvReader _reader;
    private readonly CancellationToken _executeToken;
    private CancellationTokenRegistration _executeRegistration;
    private ClickHouseColumnType[] _types = [];
    private object?[] _values = [];
    private ClickHouseResultLines? _lines;
    private bool _writingLines;
    private Task? _stopping;
    private bool _onRow;
    private bool _exhausted;
    private volatile bool _stoppedByAdapter;
    private volatile bool _aborted;
    private volatile bool _disposed;

    private ClickHouseRowStream(ClickHouseAttempt attempt, HttpResponseMessage response, Stream body, CancellationToken executeToken)
    {
        _attempt = attempt;
        _response = response;
        _body = body;
        _reader = new ClickHouseTsvReader(body);
        _executeToken = executeToken;
    }

    private static ReadOnlySpan<byte> ErrorMarker => "e.displayText() = "u8;

    /// <inheritdoc />
    public IReadOnlyList<ResultColumn> Columns { get; private set; } = [];

    /// <summary>The attempt's query id.</summary>
    public string QueryId => _attempt.QueryId;

    /// <summary>
    /// Takes over <paramref name="response"/> (HTTP 200) and reads its names and types lines. On failure or
    /// cancellation the statement is stopped and the attempt ended before the exception propagates.
    /// </summary>
    public static async Task<ClickHouseRowStream> OpenAsync(
        ClickHouseAttempt attempt, HttpResponseMessage response, CancellationToken executeToken)
    {
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(executeToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            response.Dispose();
            await attempt.KillAsync().ConfigureAwait(false);
            attempt.End();
            throw Translate(attempt, exception, executeToken, CancellationToken.None);
        }

        var stream = new ClickHouseRowStream(attempt, response, body, executeToken);
        try
        {
            await stream.ReadHeaderAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await stream.StopAsync().ConfigureAwait(false);
            stream._reader.Dispose();
            throw stream.Fail(exception, CancellationToken.None);
        }

        stream._executeRegistration = executeToken.UnsafeRegister(static state => ((ClickHouseRowStream)state!).StopAsync(), stream);
        return stream;
    }

    /// <inheritdoc />
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _onRow = false;
        if (_exhausted)
        {
            return ValueTask.FromResult(false);
        }

        if (cancellationToken.IsCancellationRequested || _executeToken.IsCancellationRequested)
        {
            return FailAsync(new OperationCanceledException(), cancellationToken);
        }

        try
        {
            var next = _reader.NextLineAsync(cancellationToken);
            if (!next.IsCompletedSuccessfully)
            {
                return ReadSlowAsync(next, cancellationToken);
            }

            var hasLine = next.Result;
            return !hasLine || IsPlainRow() ? ValueTask.FromResult(Accept(hasLine)) : AcceptCheckedAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            return FailAsync(exception, cancellationToken);
        }
    }

    /// <inheritdoc />
    public object? GetValue(int ordinal)
    {
        if (!_onRow)
        {
            throw new InvalidOperationException("There is no current row: GetValue is valid only after ReadAsync returned true.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _values.Length);
        return _values[ordinal];
    }

    /// <summary>
    /// Transcodes every remaining row into a result line (<see cref="ClickHouseResultLines"/>); after it
    /// <see cref="GetValue"/> has no row. Failures are ReadAsync's, and a bad value stops the statement as there.
    /// </summary>
    public async ValueTask<long> WriteRowLinesAsync(
        ArrayBufferWriter<byte> buffer, Stream destination, int flushThresholdBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentNullException.ThrowIfNull(destination);
        _writingLines = true;
        long count = 0;
        while (await ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                _lines!.WriteRow(_reader.Line, buffer);
            }
            catch (EngineException exception)
            {
                await FailAsync(exception, cancellationToken).ConfigureAwait(false);
            }

            count++;
            if (buffer.WrittenCount >= flushThresholdBytes)
            {
                await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.ResetWrittenCount();
            }
        }

        return count;
    }

    /// <summary>Stops the statement if it is still running (close, then KILL … SYNC), and frees the buffer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _onRow = false;
        if (!_attempt.HasEnded)
        {
            await StopAsync().ConfigureAwait(false);
        }

        await _executeRegistration.DisposeAsync().ConfigureAwait(false);
        _reader.Dispose();
    }

    /// <summary>
    /// Closes the connection without killing, for <see cref="IEngineAdapter.EnsureStoppedAsync"/>, which kills and
    /// confirms itself. The reader then fails with a transient cancellation, not a connection error.
    /// </summary>
    public void Abort()
    {
        _stoppedByAdapter = true;
        _aborted = true;
        _response.Dispose();
    }

    private async ValueTask<bool> ReadSlowAsync(ValueTask<bool> next, CancellationToken cancellationToken)
    {
        try
        {
            var hasLine = await next.ConfigureAwait(false);
            if (hasLine && !IsPlainRow())
            {
                await CheckLineAsync(cancellationToken).ConfigureAwait(false);
            }

            return Accept(hasLine);
        }
        catch (Exception exception)
        {
            return await FailAsync(exception, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> AcceptCheckedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckLineAsync(cancellationToken).ConfigureAwait(false);
            return Accept(hasLine: true);
        }
        catch (Exception exception)
        {
            return await FailAsync(exception, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Throws when the current line starts the server's error text or is the cut-off end of the body.</summary>
    private async Task CheckLineAsync(CancellationToken cancellationToken)
    {
        await ThrowIfErrorTailAsync(cancellationToken).ConfigureAwait(false);
        if (_reader.LineIsUnterminated)
        {
            throw ClickHouseErrors.Connection(_attempt.Engine, new IOException("The result ended in the middle of a row."));
        }
    }

    /// <summary>True when the current line is a complete row without ClickHouse's error marker.</summary>
    private bool IsPlainRow() => !_reader.LineIsUnterminated && _reader.Line.IndexOf(ErrorMarker) < 0;

    /// <summary>Parses the current line (or, at the end, releases the statement).</summary>
    private bool Accept(bool hasLine)
    {
        if (!hasLine)
        {
            // Disposing the response makes the body end early but cleanly: that is a stop, not the end of the rows.
            if (_aborted)
            {
                throw new IOException("The connection was closed to stop the statement.");
            }

            _exhausted = true;
            Release();
            _reader.Dispose();
            return false;
        }

        // Writing result lines, the caller transcodes the line itself: no values are made.
        if (!_writingLines)
        {
            ParseRow(_reader.Line);
            _onRow = true;
        }

        return true;
    }

    private async Task ReadHeaderAsync()
    {
        if (!await NextLineAsync().ConfigureAwait(false))
        {
            // DDL and INSERT answer with an empty body: no columns, no rows.
            _exhausted = true;
            Release();
            return;
        }

        var names = UnescapeFields(_reader.Line);
        if (!await NextLineAsync().ConfigureAwait(false))
        {
            throw ClickHouseErrors.Protocol(_attempt.Engine, "The result has a names line but no types line.");
        }

        var typeNames = UnescapeFields(_reader.Line);
        if (typeNames.Length != names.Length)
        {
            throw ClickHouseErrors.Protocol(
                _attempt.Engine, $"The result names {names.Length} columns but types {typeNames.Length}.");
        }

        _types = [.. typeNames.Select(ClickHouseTypeMap.Map)];
        _values = new object?[_types.Length];
        Columns = [.. names.Select((name, i) => new ResultColumn(name, _types[i].Type))];
        _lines = new ClickHouseResultLines([.. _types.Select(t => t.Kind)], BadValue, WrongWidth);
    }

    private async ValueTask<bool> NextLineAsync()
    {
        if (!await _reader.NextLineAsync(_executeToken).ConfigureAwait(false))
        {
            return false;
        }

        if (!IsPlainRow())
        {
            await ThrowIfErrorTailAsync(_executeToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Throws the server's error when the body ends with its error text starting in the current line.</summary>
    private async Task ThrowIfErrorTailAsync(CancellationToken cancellationToken)
    {
        if (!await _reader.EndsWithinAsync(ErrorTailLimit, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var tail = Encoding.UTF8.GetString(_reader.Rest);
        if (ClickHouseErrors.TryParseTail(tail, out var code, out var message))
        {
            // The server ended the statement itself: nothing to kill.
            Release();
            throw ClickHouseErrors.Create(_attempt.Engine, code, message, _attempt.Settings);
        }
    }

    private void ParseRow(ReadOnlySpan<byte> line)
    {
        var column = 0;
        while (true)
        {
            var tab = line.IndexOf((byte)'\t');
            var field = tab < 0 ? line : line[..tab];
            if (column >= _types.Length)
            {
                throw WrongWidth(-1);
            }

            if (!ClickHouseValues.TryRead(field, _types[column].Kind, out _values[column]))
            {
                throw BadValue(column, field);
            }

            column++;
            if (tab < 0)
            {
                break;
            }

            line = line[(tab + 1)..];
        }

        if (column != _types.Length)
        {
            throw WrongWidth(column);
        }
    }

    /// <summary>The failure for a row of <paramref name="fields"/> fields (-1: more than the columns).</summary>
    private EngineException WrongWidth(int fields) => fields < 0
        ? ClickHouseErrors.Protocol(_attempt.Engine, $"A row has more than the {_types.Length} fields of the result's columns.")
        : ClickHouseErrors.Protocol(_attempt.Engine, $"A row has {fields} fields; the result has {_types.Length} columns.");

    private EngineException BadValue(int column, ReadOnlySpan<byte> field)
    {
        var text = Encoding.UTF8.GetString(field[..Math.Min(field.Length, 100)]);
        var name = Columns[column].Name;
        return _types[column].Kind == ClickHouseValueKind.Decimal
            ? ClickHouseErrors.Caller(
                _attempt.Engine,
                ClickHouseErrors.ValueOutOfRangeCode,
                $"Column '{name}' ({Columns[column].Type}) holds {text}, beyond the 28-29 digits of a .NET decimal; cast it to Float64 or String.")
            : ClickHouseErrors.Protocol(_attempt.Engine, $"Column '{name}' ({Columns[column].Type}) holds '{text}', which is not a value of that type.");
    }

    /// <summary>The fields of a header line (names, or types such as <c>Enum8(\'a\' = 1)</c>), escapes undone.</summary>
    private static string[] UnescapeFields(ReadOnlySpan<byte> line)
    {
        var fields = new List<string>();
        foreach (var range in line.Split((byte)'\t'))
        {
            fields.Add(ClickHouseValues.Unescape(line[range]));
        }

        return [.. fields];
    }

    /// <summary>Ends the read after <paramref name="exception"/>: stops the statement when needed and throws what the caller should see.</summary>
    private async ValueTask<bool> FailAsync(Exception exception, CancellationToken readToken)
    {
        _exhausted = true;
        _onRow = false;
        await StopAsync().ConfigureAwait(false);
        _reader.Dispose();
        throw Fail(exception, readToken);
    }

    private Exception Fail(Exception exception, CancellationToken readToken)
    {
        if (_stoppedByAdapter && !_executeToken.IsCancellationRequested && !readToken.IsCancellationRequested)
        {
            return new EngineException(
                _attempt.Engine,
                EngineFailureKind.Transient,
                ClickHouseErrors.QueryWasCancelled.ToString(CultureInfo.InvariantCulture),
                "Query was cancelled: the attempt was stopped by EnsureStoppedAsync.", exception);
        }

        return Translate(_attempt, exception, _executeToken, readToken);
    }

    /// <summary>Cancellation (whatever the transport threw once a token fired) as OperationCanceledException; transport failures as transient.</summary>
    private static Exception Translate(ClickHouseAttempt attempt, Exception exception, CancellationToken executeToken, CancellationToken readToken)
    {
        if (readToken.IsCancellationRequested || executeToken.IsCancellationRequested)
        {
            var token = readToken.IsCancellationRequested ? readToken : executeToken;
            return new OperationCanceledException("The statement was cancelled and killed on the server.", exception, token);
        }

        return exception switch
        {
            EngineException engine => engine,
            IOException or HttpRequestException or ObjectDisposedException => ClickHouseErrors.Connection(attempt.Engine, exception),
            _ => exception,
        };
    }

    /// <summary>
    /// Stops the statement once, from any thread: closes the connection, then, unless the body was read to its end,
    /// kills the statement and waits for the server to confirm (bounded by the kill timeout).
    /// </summary>
    private Task StopAsync()
    {
        var stopping = Volatile.Read(ref _stopping);
        if (stopping is not null)
        {
            return stopping;
        }

        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stopping = Interlocked.CompareExchange(ref _stopping, created.Task, null);
        if (stopping is not null)
        {
            return stopping;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (!_attempt.HasEnded)
                {
                    _aborted = true;
                    _response.Dispose();
                    await _attempt.KillAsync().ConfigureAwait(false);
                    Release();
                }
            }
            finally
            {
                created.SetResult();
            }
        });
        return created.Task;
    }

    /// <summary>The statement is over on the server: gives back the connection and ends the attempt.</summary>
    private void Release()
    {
        _response.Dispose();
        _body.Dispose();
        _attempt.End();
    }
}
