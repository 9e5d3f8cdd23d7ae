using System.Data;
using System.Runtime.ExceptionServices;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Interfaces.Results;
using Npgsql;

namespace Hera.EngineAdapters.Postgres;

// Design note. A stream owns one pooled connection and one transaction for its whole life.
// - Start, the long way: BEGIN (sent by Npgsql with the next command), then one round trip that sets the attempt's
//   application_name and the settings with SET LOCAL semantics and a savepoint; then the statement is described
//   (Parse/Describe, nothing runs) so that columns of types Hera does not read in binary can be requested in text
//   format; then it runs. Npgsql holds the current row whole in memory (not SequentialAccess), never the result,
//   so a row's values are read without waiting on the network, and without an await per value.
// - Describing can fail where running would not: a script whose later statement uses a table its earlier one
//   creates. Rolling back to the savepoint keeps the settings and the statement then runs undescribed.
// - Start, the short way: a text that ran before with a plain result (PostgresStatementShapes) needs no describe,
//   so BEGIN, the settings and the statement go in one round trip, and the settings' row is skipped. Should its
//   result not be plain after all (the schema changed), nothing has been read or committed: the stream rolls back
//   and the adapter starts the statement again the long way, on a fresh connection.
// - Rows: ReadAsync reads every column of the row into a buffer once Npgsql holds the row, so GetValue is
//   random-access and repeatable.
// - Cancellation: every Npgsql call gets _stop's token. It is linked to the execute token, and each read's own token
//   is registered into it for the length of that read; when it fires during a call, Npgsql sends PostgreSQL a
//   cancel request and waits for the statement to end. DisposeAsync cancels with NpgsqlCommand.Cancel, which also
//   ends a read running on another thread; _gate then waits for that read before releasing.
// - End: at the last row, the script's remaining statements run (rows discarded) and the transaction commits.
//   Released early (disposed, failed, cancelled), the statement is cancelled on the server first, because
//   disposing an Npgsql reader otherwise reads the rest of the result, then the transaction rolls back.

/// <summary>The rows of one PostgreSQL statement, read forward on demand; see the design note above.</summary>
internal sealed class PostgresRowStream : IRowStream
{
    private readonly string _engine;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlCommand _command;
    private readonly CancellationToken _executeToken;
    private readonly CancellationTokenSource _stop;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Action _onReleased;
    private NpgsqlTransaction? _transaction;
    private NpgsqlDataReader? _reader;
    private PostgresValueReader[] _readers = [];
    private object?[] _row = [];
    private bool _onRow;
    private bool _finished;
    private volatile bool _disposeRequested;
    private int _cancelSent;
    private int _released;

    private PostgresRowStream(string engine, NpgsqlConnection connection, NpgsqlCommand command, Action onReleased, CancellationToken token)
    {
        _engine = engine;
        _connection = connection;
        _command = command;
        _onReleased = onReleased;
        _executeToken = token;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(token);
    }

    /// <inheritdoc />
    public IReadOnlyList<ResultColumn> Columns { get; private set; } = [];

    /// <summary>
    /// Runs <paramref name="command"/> on <paramref name="connection"/> (which the stream then owns, and closes on
    /// failure) until its columns are known. <paramref name="token"/> stays in force for the stream's life;
    /// <paramref name="onReleased"/> is called once when the connection is given back.
    /// </summary>
    public static async Task<PostgresRowStream> StartAsync(
        string engine,
        NpgsqlConnection connection,
        EngineCommand command,
        PostgresEngineOptions options,
        PostgresStatementShapes shapes,
        Action onReleased,
        CancellationToken token)
    {
        var statement = new NpgsqlCommand(command.Sql, connection) { CommandTimeout = 0 };
        var stream = new PostgresRowStream(engine, connection, statement, onReleased, token);
        try
        {
            PostgresParameters.Bind(engine, statement, command.Parameters);
            await stream.RunAsync(command, options, shapes).ConfigureAwait(false);
            return stream;
        }
        catch (Exception exception)
        {
            var failure = exception as PostgresShapeChangedException ?? stream.Translate(exception, CancellationToken.None);
            await stream.ReleaseAsync().ConfigureAwait(false);
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposeRequested, this);
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposeRequested, this);
            _onRow = false;
            // After the last row, or after a failure already reported, as SQLite's stream does.
            if (_finished || Volatile.Read(ref _released) != 0)
            {
                return false;
            }

            Exception? failure = null;
            using (Link(cancellationToken))
            {
                try
                {
                    // Npgsql hands out buffered rows without looking at the token, and a token that fired between
                    // reads must still stop the statement on the server: the failure path below releases it.
                    cancellationToken.ThrowIfCancellationRequested();
                    _stop.Token.ThrowIfCancellationRequested();
                    return _onRow = await ReadRowAsync().ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    failure = Translate(exception, cancellationToken);
                }
            }

            await ReleaseAsync().ConfigureAwait(false);
            ExceptionDispatchInfo.Throw(failure);
            throw failure;
        }
        finally
        {
            _gate.Release();
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
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _row.Length);
        return _row[ordinal];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposeRequested = true;
        // Ends a read waiting on another thread for rows the server is slow to produce, so the gate frees promptly.
        CancelStatement();
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            _onRow = false;
            await ReleaseAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RunAsync(EngineCommand command, PostgresEngineOptions options, PostgresStatementShapes shapes)
    {
        var token = _stop.Token;
        _transaction = await _connection.BeginTransactionAsync(token).ConfigureAwait(false);
        if (shapes.IsPlain(command.Sql) &&
            PostgresSettings.TryPrepend(_engine, _command, command.AttemptId, command.Settings, options.ReadOnly))
        {
            shapes.CountShortStart();
            _reader = await _command.ExecuteReaderAsync(token).ConfigureAwait(false);
            await SkipSettingsAsync(_reader, token).ConfigureAwait(false);
            if (await SeekColumnsAsync(token).ConfigureAwait(false))
            {
                if (!IsPlain(_reader))
                {
                    shapes.Forget(command.Sql);
                    throw new PostgresShapeChangedException();
                }

                OpenColumns(_reader);
            }

            return;
        }

        await using (var configure = PostgresSettings.CreateCommand(_engine, _connection, command.AttemptId, command.Settings, options.ReadOnly))
        {
            await configure.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }

        var textColumns = await DescribeAsync(token).ConfigureAwait(false);
        if (textColumns is not null && textColumns.Contains(true))
        {
            // Npgsql applies this to the command's first statement only; OpenColumns checks what it got.
            _command.UnknownResultTypeList = textColumns;
        }

        _reader = await _command.ExecuteReaderAsync(token).ConfigureAwait(false);
        var hasColumns = await SeekColumnsAsync(token).ConfigureAwait(false);
        if (!hasColumns || IsPlain(_reader))
        {
            shapes.RememberPlain(command.Sql);
        }

        if (hasColumns)
        {
            OpenColumns(_reader);
        }
    }

    /// <summary>Moves past the results of the settings put in front of the statement (<see cref="PostgresSettings.TryPrepend"/>).</summary>
    private static async Task SkipSettingsAsync(NpgsqlDataReader reader, CancellationToken token)
    {
        while (reader.FieldCount == 0 || reader.GetName(0) != PostgresSettings.ResultColumn)
        {
            if (!await reader.NextResultAsync(token).ConfigureAwait(false))
            {
                throw new InvalidOperationException("The settings sent with the statement returned no row.");
            }
        }

        await reader.NextResultAsync(token).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves to the first result with columns: true there; false when the statements return none, after finishing
    /// (the rest run, the transaction commits).
    /// </summary>
    private async Task<bool> SeekColumnsAsync(CancellationToken token)
    {
        var reader = _reader!;
        while (reader.FieldCount == 0 && await reader.NextResultAsync(token).ConfigureAwait(false))
        {
        }

        if (reader.FieldCount > 0)
        {
            return true;
        }

        await FinishAsync(token).ConfigureAwait(false);
        return false;
    }

    /// <summary>True when every column of the current result has a type Hera reads in binary.</summary>
    private static bool IsPlain(NpgsqlDataReader reader)
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (PostgresTypeMap.NeedsTextFormat(reader.GetDataTypeOID(i)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>For the first statement with columns, which columns need text format; null when it cannot be described.</summary>
    private async Task<bool[]?> DescribeAsync(CancellationToken token)
    {
        try
        {
            await using var schema = await _command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, token).ConfigureAwait(false);
            do
            {
                if (schema.FieldCount > 0)
                {
                    return [.. Enumerable.Range(0, schema.FieldCount).Select(i => PostgresTypeMap.NeedsTextFormat(schema.GetDataTypeOID(i)))];
                }
            }
            while (await schema.NextResultAsync(token).ConfigureAwait(false));

            return null;
        }
        catch (PostgresException exception) when (exception.InvariantSeverity is not ("FATAL" or "PANIC"))
        {
            // The statement itself will report this failure when it runs, unless it is a script that needs its own
            // earlier statements to have run first; either way, running it decides. Not so for a FATAL error (the
            // backend terminated mid-describe): the connection is gone, so that error is the attempt's failure.
            await using var rollback = new NpgsqlCommand($"ROLLBACK TO SAVEPOINT {PostgresSettings.DescribeSavepoint}", _connection);
            await rollback.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            return null;
        }
    }

    private void OpenColumns(NpgsqlDataReader reader)
    {
        var columns = new ResultColumn[reader.FieldCount];
        _readers = new PostgresValueReader[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var oid = reader.GetDataTypeOID(i);
            if (PostgresTypeMap.Known.TryGetValue(oid, out var known))
            {
                _readers[i] = known.Read;
            }
            else if (IsReadableAsText(reader, i))
            {
                _readers[i] = PostgresTypeMap.TextForm.Read;
            }
            else
            {
                throw PostgresErrors.Caller(
                    _engine,
                    PostgresErrors.UnsupportedCode,
                    $"Column '{reader.GetName(i)}' has type {reader.GetDataTypeName(i)}, which Hera returns as text only when the " +
                    "result comes from the script's first statement. Cast it to text (::text).");
            }

            columns[i] = new ResultColumn(reader.GetName(i), PostgresTypeMap.ResultType(oid, reader.GetDataTypeName(i)));
        }

        _row = new object?[columns.Length];
        Columns = columns;
    }

    /// <summary>True when Npgsql reads column <paramref name="ordinal"/> as a string: text format was granted, or the type is text-like.</summary>
    private static bool IsReadableAsText(NpgsqlDataReader reader, int ordinal)
    {
        try
        {
            return reader.GetFieldType(ordinal) == typeof(string);
        }
        catch (InvalidCastException)
        {
            // Npgsql has no binary reader for the type at all (regclass, for one).
            return false;
        }
    }

    private async Task<bool> ReadRowAsync()
    {
        var token = _stop.Token;
        var reader = _reader!;
        if (!await reader.ReadAsync(token).ConfigureAwait(false))
        {
            await FinishAsync(token).ConfigureAwait(false);
            return false;
        }

        for (var i = 0; i < _readers.Length; i++)
        {
            try
            {
                _row[i] = reader.IsDBNull(i) ? null : _readers[i](reader, i);
            }
            catch (Exception exception) when (exception is InvalidCastException or OverflowException)
            {
                throw PostgresErrors.Caller(
                    _engine, PostgresErrors.ValueOutOfRangeCode, $"Column '{Columns[i].Name}' holds a value Hera cannot return: {exception.Message}", exception);
            }
        }

        return true;
    }

    /// <summary>Runs the script's remaining statements, discarding their rows, and commits.</summary>
    private async Task FinishAsync(CancellationToken token)
    {
        var reader = _reader!;
        while (await reader.NextResultAsync(token).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
            }
        }

        await reader.DisposeAsync().ConfigureAwait(false);
        await _transaction!.CommitAsync(token).ConfigureAwait(false);
        _finished = true;
        await ReleaseAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The exception a caller sees for <paramref name="exception"/>: cancellation by either token wins, then
    /// disposal, then the engine failure.
    /// </summary>
    private Exception Translate(Exception exception, CancellationToken readToken)
    {
        if (readToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The statement was cancelled.", exception, readToken);
        }

        if (_executeToken.IsCancellationRequested)
        {
            return new OperationCanceledException("The statement was cancelled.", exception, _executeToken);
        }

        if (_disposeRequested)
        {
            return new ObjectDisposedException(nameof(PostgresRowStream), "The row stream was disposed while a read was running.");
        }

        return PostgresErrors.IsEngineFailure(exception) ? PostgresErrors.Translate(_engine, exception) : exception;
    }

    private CancellationTokenRegistration Link(CancellationToken readToken) =>
        readToken.CanBeCanceled && readToken != _executeToken
            ? readToken.UnsafeRegister(
                static state =>
                {
                    try
                    {
                        ((CancellationTokenSource)state!).Cancel();
                    }
                    catch (ObjectDisposedException)
                    {
                        // The stream was released while the read's token fired: nothing is left to cancel.
                    }
                },
                _stop)
            : default;

    /// <summary>Asks the server, once, to cancel the statement if it may still be producing rows. Never throws.</summary>
    private void CancelStatement()
    {
        if (_finished || _reader is not { IsClosed: false } || Interlocked.Exchange(ref _cancelSent, 1) != 0)
        {
            return;
        }

        try
        {
            _command.Cancel();
        }
        catch (Exception exception) when (PostgresErrors.IsEngineFailure(exception) || exception is InvalidOperationException)
        {
            // The connection is already broken or idle: there is no statement left to cancel.
        }
    }

    /// <summary>
    /// Ends the statement and transaction and gives the connection back; idempotent, never throws. A connection
    /// broken on the way is discarded by the pool instead of reused.
    /// </summary>
    private async Task ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) != 0)
        {
            return;
        }

        // Without this, disposing the reader would read the rest of a result that may never end.
        CancelStatement();
        await QuietlyAsync(_reader).ConfigureAwait(false);
        await QuietlyAsync(_transaction).ConfigureAwait(false);
        await QuietlyAsync(_command).ConfigureAwait(false);
        await QuietlyAsync(_connection).ConfigureAwait(false);
        // Npgsql reuses a reader object for the connection's next command; this stream must not touch it again.
        _reader = null;
        _stop.Dispose();
        _onReleased();
    }

    private static async Task QuietlyAsync(IAsyncDisposable? disposable)
    {
        if (disposable is null)
        {
            return;
        }

        try
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresErrors.IsEngineFailure(exception) || exception is InvalidOperationException)
        {
            // Releasing must not fail: the statement's own failure, if any, was already reported.
        }
    }
}

/// <summary>
/// A statement started the short way found a column it must read in text format after all; its stream is released
/// (nothing read, nothing committed) and the adapter starts it again the long way.
/// </summary>
internal sealed class PostgresShapeChangedException()
    : Exception("The statement's result types changed since it last ran; it runs again with a describe.");
