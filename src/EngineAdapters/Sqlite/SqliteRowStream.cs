using System.Text;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Interfaces.Results;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Hera.EngineAdapters.Sqlite;

// Design note. A stream owns one connection and at most one prepared statement, stepped through SQLitePCL
// directly (Microsoft.Data.Sqlite's reader drops the precision of declared types such as DECIMAL(12,2)).
// - Scripts: every statement before the last runs to completion, its rows discarded; the last one is the result.
// - Peek: SQLite knows an expression column's storage class only after a row is stepped, so Start steps the result
//   statement once before returning; the first ReadAsync hands out that row without stepping.
// - Stopping has two mechanisms because each alone has a gap. A token registration calls sqlite3_interrupt, which
//   stops a step running now but is a no-op if no statement is active yet (a cancel landing between our token
//   check and sqlite3_step). The progress handler, called by SQLite every ProgressOpcodes VM instructions,
//   re-checks the tokens and the disposal flag, so such a step stops as soon as it starts.
// - Lifetime: _gate serialises steps, value reads and release, so disposal never finalises a statement under a
//   running step. _handleGate guards the connection handle, so an interrupt never reaches a closed connection.
//   Token callbacks take only _handleGate, never _gate, so disposing a registration under _gate (which waits for
//   a running callback) cannot deadlock.

/// <summary>The rows of one SQLite statement, stepped on demand; see the design note above.</summary>
internal sealed class SqliteRowStream : IRowStream
{
    private const int ProgressOpcodes = 1000;

    private readonly string _engine;
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly CancellationToken _executeToken;
    private readonly CancellationTokenRegistration _executeRegistration;
    private readonly Lock _gate = new();
    private readonly Lock _handleGate = new();
    private readonly IReadOnlyDictionary<string, object?>? _parameters;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationToken _stepToken;
    private sqlite3_stmt? _statement;
    private SqliteColumnType[] _types = [];
    private RowPosition _position = RowPosition.End;
    private volatile bool _disposeRequested;
    private bool _closed;

    private SqliteRowStream(string engine, SqliteConnection connection, IReadOnlyDictionary<string, object?>? parameters, CancellationToken token)
    {
        _engine = engine;
        _parameters = parameters;
        _connection = connection;
        _db = connection.Handle!;
        _executeToken = token;
        raw.sqlite3_progress_handler(_db, ProgressOpcodes, static state => ((SqliteRowStream)state).ShouldStop() ? 1 : 0, this);
        _executeRegistration = token.UnsafeRegister(static state => ((SqliteRowStream)state!).Interrupt(), this);
    }

    private enum RowPosition
    {
        Peeked,
        OnRow,
        End,
    }

    /// <inheritdoc />
    public IReadOnlyList<ResultColumn> Columns { get; private set; } = [];

    /// <summary>Completes once the statement is finalised and the connection closed (end of rows, failure or disposal).</summary>
    public Task Released => _released.Task;

    /// <summary>
    /// Runs <paramref name="sql"/> on <paramref name="connection"/> (which the stream then owns, and closes on
    /// failure) up to the result statement's first row, binding <paramref name="parameters"/> to every statement's
    /// <c>@name</c> placeholders. <paramref name="token"/> stays in force for the stream's life. <paramref name="started"/>
    /// is called with the stream before the statement runs, so a caller can track (and interrupt) it while its first
    /// step is still computing.
    /// </summary>
    public static SqliteRowStream Start(
        string engine, SqliteConnection connection, string sql, IReadOnlyDictionary<string, object?>? parameters,
        Action<SqliteRowStream>? started, CancellationToken token)
    {
        var stream = new SqliteRowStream(engine, connection, parameters, token);
        started?.Invoke(stream);
        lock (stream._gate)
        {
            try
            {
                stream.Run(Encoding.UTF8.GetBytes(sql));
            }
            catch
            {
                stream.Release();
                throw;
            }
        }

        return stream;
    }

    /// <inheritdoc />
    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposeRequested, this);
            cancellationToken.ThrowIfCancellationRequested();
            _executeToken.ThrowIfCancellationRequested();
            switch (_position)
            {
                case RowPosition.Peeked:
                    _position = RowPosition.OnRow;
                    return ValueTask.FromResult(true);
                case RowPosition.End:
                    return ValueTask.FromResult(false);
            }

            if (StepCurrent(cancellationToken))
            {
                return ValueTask.FromResult(true);
            }

            // Give the connection back as soon as the rows are exhausted, not only when the caller disposes.
            Release();
            return ValueTask.FromResult(false);
        }
    }

    /// <inheritdoc />
    public object? GetValue(int ordinal)
    {
        lock (_gate)
        {
            if (_position != RowPosition.OnRow || _statement is null)
            {
                throw new InvalidOperationException("There is no current row: GetValue is valid only after ReadAsync returned true.");
            }

            ArgumentOutOfRangeException.ThrowIfNegative(ordinal);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ordinal, _types.Length);
            return SqliteValues.Read(_statement, ordinal, _types[ordinal]);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _disposeRequested = true;
        // Ends a step running on another thread, so the gate below is released promptly.
        Interrupt();
        lock (_gate)
        {
            Release();
        }

        return ValueTask.CompletedTask;
    }

    private void Run(ReadOnlySpan<byte> script)
    {
        while (Prepare(ref script) is { } statement)
        {
            if (!SqliteScript.HasMoreStatements(script))
            {
                Peek(statement);
                return;
            }

            using (statement)
            {
                while (Step(statement) == raw.SQLITE_ROW)
                {
                }
            }
        }

        Columns = [];
        Release();
    }

    /// <summary>The next real statement of <paramref name="script"/>, advancing it past that statement; null at the end.</summary>
    private sqlite3_stmt? Prepare(ref ReadOnlySpan<byte> script)
    {
        while (SqliteScript.HasMoreStatements(script))
        {
            ThrowIfStopped();
            var resultCode = raw.sqlite3_prepare_v2(_db, script, out var statement, out var tail);
            var advanced = tail.Length < script.Length;
            script = tail;
            if (resultCode != raw.SQLITE_OK)
            {
                var failure = SqliteErrors.FromDatabase(_engine, _db, resultCode);
                statement.Dispose();
                throw failure;
            }

            if (!statement.IsInvalid)
            {
                BindParameters(statement);
                return statement;
            }

            statement.Dispose();
            if (!advanced)
            {
                break;
            }
        }

        return null;
    }

    // Each placeholder takes its value by name; one without a value is the caller's mistake, not a NULL.
    private void BindParameters(sqlite3_stmt statement)
    {
        var count = raw.sqlite3_bind_parameter_count(statement);
        for (var index = 1; index <= count; index++)
        {
            var placeholder = raw.sqlite3_bind_parameter_name(statement, index).utf8_to_string() ?? $"?{index}";
            var name = placeholder.Length > 1 && placeholder[0] is '@' or ':' or '$' ? placeholder[1..] : placeholder;
            if (_parameters is null || !_parameters.TryGetValue(name, out var value))
            {
                statement.Dispose();
                throw new EngineException(_engine, EngineFailureKind.CallerSql, "HERA_MISSING_PARAMETER", $"parameter {placeholder} has no value");
            }

            int resultCode;
            try
            {
                resultCode = SqliteValues.Bind(statement, index, value);
            }
            catch (ArgumentException e)
            {
                statement.Dispose();
                throw new EngineException(_engine, EngineFailureKind.CallerSql, "HERA_INVALID_PARAMETER", $"parameter {placeholder}: {e.Message}");
            }

            if (resultCode != raw.SQLITE_OK)
            {
                statement.Dispose();
                throw SqliteErrors.FromDatabase(_engine, _db, resultCode);
            }
        }
    }

    private void Peek(sqlite3_stmt statement)
    {
        _statement = statement;
        var hasRow = Step(statement) == raw.SQLITE_ROW;
        var count = raw.sqlite3_column_count(statement);
        var columns = new ResultColumn[count];
        _types = new SqliteColumnType[count];
        for (var i = 0; i < count; i++)
        {
            var storage = hasRow ? raw.sqlite3_column_type(statement, i) : raw.SQLITE_NULL;
            _types[i] = SqliteTypeMap.Map(raw.sqlite3_column_decltype(statement, i).utf8_to_string(), storage);
            var name = raw.sqlite3_column_name(statement, i).utf8_to_string() ?? $"column{i + 1}";
            columns[i] = new ResultColumn(name, _types[i].Type);
        }

        Columns = columns;
        if (hasRow)
        {
            _position = RowPosition.Peeked;
        }
        else
        {
            Release();
        }
    }

    private bool StepCurrent(CancellationToken readToken)
    {
        // The execute token is registered for the stream's life; a different read token only for this step.
        using var registration = readToken.CanBeCanceled && readToken != _executeToken
            ? readToken.UnsafeRegister(static state => ((SqliteRowStream)state!).Interrupt(), this)
            : default;
        _stepToken = readToken;
        try
        {
            return Step(_statement!) == raw.SQLITE_ROW;
        }
        catch
        {
            Release();
            throw;
        }
        finally
        {
            _stepToken = default;
        }
    }

    private int Step(sqlite3_stmt statement)
    {
        ThrowIfStopped();
        var resultCode = raw.sqlite3_step(statement);
        if (resultCode is raw.SQLITE_ROW or raw.SQLITE_DONE)
        {
            return resultCode;
        }

        if ((resultCode & 0xFF) == raw.SQLITE_INTERRUPT)
        {
            // Our own stop: surface it as cancellation or disposal, not as an engine failure.
            ThrowIfStopped();
        }

        throw SqliteErrors.FromDatabase(_engine, _db, resultCode);
    }

    private bool ShouldStop() =>
        _disposeRequested || _executeToken.IsCancellationRequested || _stepToken.IsCancellationRequested;

    private void ThrowIfStopped()
    {
        _executeToken.ThrowIfCancellationRequested();
        _stepToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(_disposeRequested, this);
    }

    /// <summary>Stops a running step now (from any thread); the owner's next read or disposal releases the stream.</summary>
    public void Interrupt()
    {
        lock (_handleGate)
        {
            if (!_closed)
            {
                raw.sqlite3_interrupt(_db);
            }
        }
    }

    /// <summary>Finalises the statement and closes the connection; idempotent. Called under <see cref="_gate"/>.</summary>
    private void Release()
    {
        _position = RowPosition.End;
        _executeRegistration.Dispose();
        _statement?.Dispose();
        _statement = null;
        lock (_handleGate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _connection.Dispose();
        }

        _released.TrySetResult();
    }
}
