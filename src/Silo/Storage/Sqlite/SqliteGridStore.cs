using System.Text.Json;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Microsoft.Data.Sqlite;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Sqlite;

/// <summary>
/// The embedded grid store: one SQLite file in WAL mode. Readers run concurrently on pooled connections; every
/// write goes through one long-lived writer connection behind an in-process gate (the embedded silo is the file's
/// only process), which avoids SQLite's busy-retry sleeps and keeps the writer's statements prepared. Commits are
/// fully synchronous, so an acknowledged job survives a crash of the process and of the machine.
/// </summary>
// Jobs and the shared plumbing live here; queues, workers and engines in SqliteGridStore.Queues.cs, .Workers.cs
// and .Engines.cs.
public sealed partial class SqliteGridStore : IGridStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    // Opened on first use and kept for the store's life; only touched while holding _writeGate.
    private SqliteConnection? _writer;

    /// <summary>A store over the database named by <paramref name="connectionString"/> (a Microsoft.Data.Sqlite
    /// connection string, e.g. <c>Data Source=/var/hera/grid.db</c>). Call <see cref="MigrateAsync"/> first.</summary>
    public SqliteGridStore(string connectionString)
    {
        SQLitePCL.Batteries_V2.Init();
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>A store over the file <c>grid.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static SqliteGridStore InDirectory(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        return new SqliteGridStore($"Data Source={Path.Combine(dataDirectory, "grid.db")}");
    }

    /// <inheritdoc />
    public string Name => "sqlite";

    /// <inheritdoc />
    public bool SupportsListenNotify => false;

    /// <inheritdoc />
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return SqliteMigrator.Apply(Writer());
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc />
    public Task<JobRecord> JobInsertAsync(JobInsertParams parameters, CancellationToken cancellationToken)
    {
        var job = NewJob(parameters);

        return WriteAsync(
            (connection, transaction) =>
            {
                using var insert = Command(connection, transaction, """
                    INSERT INTO jobs (id, queue, type, spec, state, attempts, version, submitted_at, enqueued_at)
                    VALUES ($id, $queue, $type, $spec, $state, 0, 1, $submitted, $enqueued)
                    """);
                insert.Parameters.AddWithValue("$id", job.Id);
                insert.Parameters.AddWithValue("$queue", job.Spec.Queue);
                insert.Parameters.AddWithValue("$type", job.Spec.Type);
                insert.Parameters.AddWithValue("$spec", JsonSerializer.Serialize(job.Spec, SpecJson));
                insert.Parameters.AddWithValue("$state", job.State.ToWire());
                insert.Parameters.AddWithValue("$submitted", Micros(job.SubmittedAt));
                insert.Parameters.AddWithValue("$enqueued", (object?)Micros(job.EnqueuedAt) ?? DBNull.Value);
                try
                {
                    insert.ExecuteNonQuery();
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */)
                {
                    throw new DuplicateKeyException($"job {job.Id} already exists", e);
                }

                foreach (var draft in parameters.Events)
                {
                    AppendEvent(connection, transaction, job.Id, draft);
                }

                return job;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task JobImportAsync(IReadOnlyList<JobImportParams> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Any(j => j.Events.Count == 0))
        {
            throw new ArgumentException("a job has at least one event", nameof(jobs));
        }

        return WriteAsync(
            (connection, transaction) =>
            {
                using var insert = Command(connection, transaction, """
                    INSERT INTO jobs (id, queue, type, spec, state, reason, error_code, error_message, engine, worker_id, attempts,
                        version, submitted_at, enqueued_at, started_at, finished_at, row_count, score, result_path)
                    VALUES ($id, $queue, $type, $spec, $state, $reason, $errorCode, $errorMessage, $engine, $worker, $attempts,
                        $version, $submitted, $enqueued, $started, $finished, $rows, $score, $result)
                    """);
                using var appendNew = Command(connection, transaction, """
                    INSERT INTO job_events (job_id, seq, state, at, detail) VALUES ($id, $seq, $state, $at, $detail)
                    """);
                foreach (var (job, events) in jobs)
                {
                    var p = insert.Parameters;
                    p.Clear();
                    p.AddWithValue("$queue", job.Spec.Queue);
                    p.AddWithValue("$type", job.Spec.Type);
                    p.AddWithValue("$spec", JsonSerializer.Serialize(job.Spec, SpecJson));
                    p.AddWithValue("$submitted", Micros(job.SubmittedAt));
                    AddMutableColumns(p, job);
                    try
                    {
                        insert.ExecuteNonQuery();
                    }
                    catch (SqliteException e) when (e.SqliteErrorCode == 19 /* SQLITE_CONSTRAINT */)
                    {
                        throw new DuplicateKeyException($"job {job.Id} already exists", e);
                    }

                    // A new job's history numbers from 1; one prepared statement serves every event of the batch.
                    for (var seq = 0; seq < events.Count; seq++)
                    {
                        var e = appendNew.Parameters;
                        e.Clear();
                        e.AddWithValue("$id", job.Id);
                        e.AddWithValue("$seq", seq + 1);
                        e.AddWithValue("$state", events[seq].State.ToWire());
                        e.AddWithValue("$at", Micros(events[seq].At));
                        e.AddWithValue("$detail", Db(events[seq].Detail));
                        appendNew.ExecuteNonQuery();
                    }
                }

                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<JobRecord?> JobGetAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = $id");
        select.Parameters.AddWithValue("$id", id);
        using var reader = select.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadJob(reader) : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams parameters, CancellationToken cancellationToken)
    {
        var (sql, arguments) = JobListQuery(parameters, '$', sayNullsFirst: false);
        using var connection = Open();
        using var select = connection.CreateCommand();
        select.CommandText = sql;
        foreach (var (name, value) in arguments)
        {
            select.Parameters.AddWithValue("$" + name, value);
        }

        return Task.FromResult(ReadAll(select, ReadJob));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<JobEvent>> JobEventListAsync(string id, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, "SELECT seq, state, at, detail FROM job_events WHERE job_id = $id ORDER BY seq");
        select.Parameters.AddWithValue("$id", id);
        return Task.FromResult(ReadAll(select, ReadJobEvent));
    }

    /// <inheritdoc />
    public Task<JobRecord?> JobUpdateIfVersionAsync(JobUpdateParams parameters, CancellationToken cancellationToken)
    {
        var next = parameters.Next with { Version = parameters.ExpectedVersion + 1 };
        return WriteAsync<JobRecord?>(
            (connection, transaction) =>
            {
                using var update = Command(connection, transaction, """
                    UPDATE jobs SET state = $state, reason = $reason, error_code = $errorCode, error_message = $errorMessage,
                        engine = $engine, worker_id = $worker, attempts = $attempts, version = $version,
                        enqueued_at = $enqueued, started_at = $started, finished_at = $finished,
                        row_count = $rows, score = $score, result_path = $result
                    WHERE id = $id AND version = $expected
                      AND ($epoch IS NULL OR $epoch = (SELECT epoch FROM leader WHERE id = 1))
                    """);
                var p = update.Parameters;
                p.AddWithValue("$expected", parameters.ExpectedVersion);
                p.AddWithValue("$epoch", Db(parameters.LeaderEpoch));
                AddMutableColumns(p, next);
                if (update.ExecuteNonQuery() == 0)
                {
                    return null;
                }

                foreach (var note in parameters.Notes ?? [])
                {
                    AppendEvent(connection, transaction, next.Id, note);
                }

                if (parameters.Event is { } draft)
                {
                    AppendEvent(connection, transaction, next.Id, draft);
                }

                return next;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<JobState, long>> JobCountByStateAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, "SELECT state, COUNT(*) FROM jobs GROUP BY state");
        var counts = new Dictionary<JobState, long>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            if (JobStateNames.TryParse(reader.GetString(0), out var state))
            {
                counts[state] = reader.GetInt64(1);
            }
        }

        return Task.FromResult<IReadOnlyDictionary<JobState, long>>(counts);
    }

    /// <inheritdoc />
    public Task<bool> JobEventAppendAsync(string jobId, JobEventDraft draft, CancellationToken cancellationToken) =>
        WriteAsync((connection, transaction) => AppendEvent(connection, transaction, jobId, draft), cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // A heartbeat or an outcome may still be writing as the host shuts down: closing the writer under it
        // would roll its transaction back from another thread. Wait for it (bounded), then close.
        var entered = await _writeGate.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _writer?.Dispose();
        _writer = null;
        if (entered)
        {
            _writeGate.Release();
        }

        _writeGate.Dispose();
        _leadership.Dispose();
        SqliteConnection.ClearPool(new SqliteConnection(_connectionString));
    }

    /// <summary>Appends the job's next event; false, appending nothing, when the job does not exist.</summary>
    private static bool AppendEvent(SqliteConnection connection, SqliteTransaction transaction, string jobId, JobEventDraft draft)
    {
        // The existence check and the next sequence number are read in the same statement, under the one writer,
        // so no other append can take the number in between. Inside insert and update the job always exists.
        using var insert = Command(connection, transaction, """
            INSERT INTO job_events (job_id, seq, state, at, detail)
            SELECT $id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM job_events WHERE job_id = $id), $state, $at, $detail
            WHERE EXISTS (SELECT 1 FROM jobs WHERE id = $id)
            """);
        insert.Parameters.AddWithValue("$id", jobId);
        insert.Parameters.AddWithValue("$state", draft.State.ToWire());
        insert.Parameters.AddWithValue("$at", Micros(draft.At));
        insert.Parameters.AddWithValue("$detail", Db(draft.Detail));
        return insert.ExecuteNonQuery() == 1;
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = Writer();
            using var transaction = connection.BeginTransaction();
            var result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>The writer connection, opened and configured on first use. Call only under the write gate.</summary>
    private SqliteConnection Writer()
    {
        if (_writer is not null)
        {
            return _writer;
        }

        // Not pooled: the writer lives as long as the store, with its settings applied once.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL";
        pragma.ExecuteNonQuery();
        return _writer = connection;
    }

    /// <summary>A pooled read connection. Reads need no pragmas: WAL is a property of the file.</summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static object Db(object? value) => value ?? DBNull.Value;

    /// <summary>Binds the id and every column a job's life changes (the update's SET list, and the import's too).</summary>
    private static void AddMutableColumns(SqliteParameterCollection p, JobRecord job)
    {
        p.AddWithValue("$id", job.Id);
        p.AddWithValue("$state", job.State.ToWire());
        p.AddWithValue("$reason", Db(job.Reason));
        p.AddWithValue("$errorCode", Db(job.Error?.Code));
        p.AddWithValue("$errorMessage", Db(job.Error?.Message));
        p.AddWithValue("$engine", Db(job.Engine));
        p.AddWithValue("$worker", Db(job.WorkerId));
        p.AddWithValue("$attempts", job.Attempts);
        p.AddWithValue("$version", job.Version);
        p.AddWithValue("$enqueued", Db(Micros(job.EnqueuedAt)));
        p.AddWithValue("$started", Db(Micros(job.StartedAt)));
        p.AddWithValue("$finished", Db(Micros(job.FinishedAt)));
        p.AddWithValue("$rows", Db(job.RowCount));
        p.AddWithValue("$score", Db(job.Score));
        p.AddWithValue("$result", Db(job.ResultPath));
    }
}
