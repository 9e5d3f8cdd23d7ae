using System.Data.Common;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Interfaces.Workers;

namespace Hera.Silo.Storage;

/// <summary>
/// Row mapping shared by the grid-store backends (<see cref="Sqlite.SqliteGridStore"/> and
/// <see cref="Postgres.PostgresGridStore"/>). Both store the same columns in the same order, times as Unix
/// microseconds (<c>bigint</c>/<c>INTEGER</c>), maps and lists as JSON text, so one reader by column ordinal serves
/// both. Each reader reads the column list declared next to it; select with that list, or the ordinals shift.
/// </summary>
internal static class GridRows
{
    /// <summary>Job specs as JSON text (web defaults: camelCase, as the API writes them).</summary>
    public static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web);

    // Maps and lists stored as JSON text. Non-ASCII is written as itself rather than \u-escaped so the database reads
    // as the API does; relaxed escaping is safe here because the text is never embedded in HTML.
    public static readonly JsonSerializerOptions ValueJson = new(JsonSerializerDefaults.General)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// The query of <c>JobListAsync</c> for <paramref name="parameters"/>, the same text for both backends but for the
    /// parameter marker (<c>$</c> for SQLite, <c>@</c> for Npgsql); argument names are given without it. Jobs never
    /// enqueued sort first in arrival order: SQLite sorts NULLs so by default (and the clause spelled out could cost
    /// it the index's order); PostgreSQL needs <paramref name="sayNullsFirst"/>.
    /// </summary>
    public static (string Sql, IReadOnlyList<(string Name, object Value)> Arguments) JobListQuery(JobListParams parameters, char marker, bool sayNullsFirst)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameters.Limit, 1);
        var where = new List<string>();
        var arguments = new List<(string Name, object Value)>();
        void Filter(string column, string name, object? value)
        {
            if (value is not null)
            {
                where.Add($"{column} = {marker}{name}");
                arguments.Add((name, value));
            }
        }

        Filter("state", "state", parameters.State?.ToWire());
        Filter("queue", "queue", parameters.Queue);
        Filter("worker_id", "worker", parameters.WorkerId);
        arguments.Add(("limit", parameters.Limit));
        var order = parameters.Order == JobListOrder.EnqueuedFirst ? (sayNullsFirst ? "enqueued_at NULLS FIRST, id" : "enqueued_at, id") : "submitted_at DESC, id DESC";
        var filter = where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "";
        return ($"SELECT {JobColumns} FROM jobs {filter} ORDER BY {order} LIMIT {marker}limit", arguments);
    }

    /// <summary>The columns <see cref="ReadJob"/> reads, in its order.</summary>
    public const string JobColumns =
        "id, spec, state, reason, error_code, error_message, engine, worker_id, attempts, version, " +
        "submitted_at, enqueued_at, started_at, finished_at, row_count, result_path, score";

    /// <summary>The columns <see cref="ReadQueue"/> reads, in its order.</summary>
    public const string QueueColumns =
        "name, weight, capacity, parallelism, max_resource_share, pool, state, version, created_at, updated_at, engines";

    /// <summary>The columns <see cref="ReadWorker"/> reads, in its order.</summary>
    public const string WorkerColumns =
        "id, silo, pool, slots, memory_mb, running, memory_used_mb, started_at, last_heartbeat, state";

    /// <summary>The columns <see cref="ReadEngine"/> reads, in its order.</summary>
    public const string EngineColumns =
        "name, kind, connection, max_concurrency, parameters, version, created_at, updated_at";

    /// <summary>The columns <see cref="ReadSilo"/> reads, in its order.</summary>
    public const string SiloColumns = "id, address, roles, started_at, last_heartbeat, state";

    /// <summary>
    /// The record a job inserted with <paramref name="parameters"/> starts as: version 1, in the state of its last
    /// event, enqueued at submission when that state is waiting. Throws when there is no event.
    /// </summary>
    public static JobRecord NewJob(JobInsertParams parameters)
    {
        if (parameters.Events.Count == 0)
        {
            throw new ArgumentException("a job starts with at least one event", nameof(parameters));
        }

        return new JobRecord
        {
            Id = parameters.Id,
            Spec = parameters.Spec,
            State = parameters.Events[^1].State,
            Version = 1,
            SubmittedAt = parameters.At,
            EnqueuedAt = parameters.Events[^1].State == JobState.Waiting ? parameters.At : null,
        };
    }

    /// <summary>Every row <paramref name="select"/> returns, mapped by <paramref name="read"/>, read asynchronously.</summary>
    public static async Task<IReadOnlyList<T>> ReadAllAsync<T>(DbCommand select, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    /// <summary>Every row <paramref name="select"/> returns, mapped by <paramref name="read"/>, for a store that reads synchronously.</summary>
    public static IReadOnlyList<T> ReadAll<T>(DbCommand select, Func<DbDataReader, T> read)
    {
        var rows = new List<T>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public static JobRecord ReadJob(DbDataReader r)
    {
        JobStateNames.TryParse(r.GetString(2), out var state);
        return new JobRecord
        {
            Id = r.GetString(0),
            Spec = JsonSerializer.Deserialize<JobSpec>(r.GetString(1), SpecJson)!,
            State = state,
            Reason = r.IsDBNull(3) ? null : r.GetString(3),
            Error = r.IsDBNull(4) ? null : new JobError(r.GetString(4), r.IsDBNull(5) ? "" : r.GetString(5)),
            Engine = r.IsDBNull(6) ? null : r.GetString(6),
            WorkerId = r.IsDBNull(7) ? null : r.GetString(7),
            Attempts = r.GetInt32(8),
            Version = r.GetInt64(9),
            SubmittedAt = FromMicros(r.GetInt64(10)),
            EnqueuedAt = r.IsDBNull(11) ? null : FromMicros(r.GetInt64(11)),
            StartedAt = r.IsDBNull(12) ? null : FromMicros(r.GetInt64(12)),
            FinishedAt = r.IsDBNull(13) ? null : FromMicros(r.GetInt64(13)),
            RowCount = r.IsDBNull(14) ? null : r.GetInt64(14),
            ResultPath = r.IsDBNull(15) ? null : r.GetString(15),
            Score = r.IsDBNull(16) ? null : r.GetDouble(16),
        };
    }

    /// <summary>One job event, from <c>seq, state, at, detail</c> of <c>job_events</c>.</summary>
    public static JobEvent ReadJobEvent(DbDataReader r)
    {
        JobStateNames.TryParse(r.GetString(1), out var state);
        return new JobEvent(r.GetInt32(0), state, FromMicros(r.GetInt64(2)), r.IsDBNull(3) ? null : r.GetString(3));
    }

    public static QueueRecord ReadQueue(DbDataReader r)
    {
        // An unknown state must not read as "open": that would silently reopen a closed queue.
        if (!QueueStateNames.TryParse(r.GetString(6), out var state))
        {
            throw new InvalidDataException($"queue '{r.GetString(0)}' has unknown state '{r.GetString(6)}'");
        }

        // NULL is a queue without routing, including every queue SQLite stored before its migration 0003.
        var engines = r.IsDBNull(10) ? null : JsonSerializer.Deserialize<string[]>(r.GetString(10), ValueJson);
        var definition = new QueueDefinition(r.GetString(0), r.GetDouble(1), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4), r.GetString(5), state, engines);
        return new QueueRecord(definition, r.GetInt64(7), FromMicros(r.GetInt64(8)), FromMicros(r.GetInt64(9)));
    }

    public static WorkerRecord ReadWorker(DbDataReader r)
    {
        // An unknown state must not read as "alive": placement would send work to a worker that is gone.
        if (!WorkerStateNames.TryParse(r.GetString(9), out var state))
        {
            throw new InvalidDataException($"worker '{r.GetString(0)}' has unknown state '{r.GetString(9)}'");
        }

        return new WorkerRecord
        {
            Id = r.GetString(0),
            Silo = r.GetString(1),
            Pool = r.GetString(2),
            Slots = r.GetInt32(3),
            MemoryMb = r.GetInt32(4),
            Running = r.GetInt32(5),
            MemoryUsedMb = r.GetInt32(6),
            StartedAt = FromMicros(r.GetInt64(7)),
            LastHeartbeat = FromMicros(r.GetInt64(8)),
            State = state,
        };
    }

    public static EngineRecord ReadEngine(DbDataReader r)
    {
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(4), ValueJson)!;
        var definition = new EngineDefinition(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), parameters);
        return new EngineRecord(definition, r.GetInt64(5), FromMicros(r.GetInt64(6)), FromMicros(r.GetInt64(7)));
    }

    /// <summary>One parameter layer, from <c>layer, key, targets, version, updated_at</c> of <c>parameter_layers</c>.</summary>
    public static ParameterLayerRecord ReadParameterLayer(DbDataReader r)
    {
        var targets = JsonSerializer.Deserialize<Dictionary<string, IReadOnlyDictionary<string, string>>>(r.GetString(2), ValueJson)!;
        return new ParameterLayerRecord(r.GetString(0), r.GetString(1), targets, r.GetInt64(3), FromMicros(r.GetInt64(4)));
    }

    public static SiloRecord ReadSilo(DbDataReader r)
    {
        if (!SiloStateNames.TryParse(r.GetString(5), out var state))
        {
            throw new InvalidDataException($"silo '{r.GetString(0)}' has unknown state '{r.GetString(5)}'");
        }

        return new SiloRecord
        {
            Id = r.GetString(0),
            Address = r.GetString(1),
            Roles = r.GetString(2).Split(',', StringSplitOptions.RemoveEmptyEntries),
            StartedAt = FromMicros(r.GetInt64(3)),
            LastHeartbeat = FromMicros(r.GetInt64(4)),
            State = state,
        };
    }

    /// <summary>A time as stored: Unix microseconds (sub-microsecond ticks are truncated).</summary>
    public static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static long? Micros(DateTimeOffset? at) => at is { } t ? Micros(t) : null;

    public static DateTimeOffset FromMicros(long micros) => new(DateTimeOffset.UnixEpoch.UtcTicks + (micros * 10), TimeSpan.Zero);
}
