using System.Text.Json;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Npgsql;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Postgres;

/// <summary>Jobs and their histories (tables <c>jobs</c> and <c>job_events</c>).</summary>
public sealed partial class PostgresGridStore
{
    // The events given with a write, as three parallel arrays, numbered from the job's event_seq before the write.
    private const string EventRows = "unnest(@ev_states::text[], @ev_ats::bigint[], @ev_details::text[]) WITH ORDINALITY AS ev(state, at, detail, n)";

    /// <inheritdoc />
    public async Task<JobRecord> JobInsertAsync(JobInsertParams parameters, CancellationToken cancellationToken)
    {
        var job = NewJob(parameters);

        // One statement: the row, its history and the notification commit together, in one round trip.
        await using var insert = _source.CreateCommand($"""
            WITH job AS (
                INSERT INTO jobs (id, queue, type, spec, state, attempts, version, submitted_at, enqueued_at, event_seq)
                VALUES (@id, @queue, @type, @spec, @state, 0, 1, @submitted, @enqueued, @event_count)
                RETURNING id
            ), history AS (
                INSERT INTO job_events (job_id, seq, state, at, detail)
                SELECT job.id, ev.n, ev.state, ev.at, ev.detail FROM job, {EventRows}
            )
            SELECT pg_notify(@channel, @payload) FROM job
            """);
        var p = insert.Parameters;
        p.AddWithValue("id", job.Id);
        p.AddWithValue("queue", job.Spec.Queue);
        p.AddWithValue("type", job.Spec.Type);
        p.AddWithValue("spec", JsonSerializer.Serialize(job.Spec, SpecJson));
        p.AddWithValue("state", job.State.ToWire());
        p.AddWithValue("submitted", Micros(job.SubmittedAt));
        p.Add(new NpgsqlParameter<long?>("enqueued", Micros(job.EnqueuedAt)));
        p.AddWithValue("event_count", parameters.Events.Count);
        AddEvents(p, parameters.Events);
        await AddJobNotifyAsync(insert, job, cancellationToken).ConfigureAwait(false);
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateKeyException($"job {job.Id} already exists", e);
        }

        return job;
    }

    /// <inheritdoc />
    public async Task JobImportAsync(IReadOnlyList<JobImportParams> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Any(j => j.Events.Count == 0))
        {
            throw new ArgumentException("a job has at least one event", nameof(jobs));
        }

        if (jobs.Count == 0)
        {
            return;
        }

        // Every job, every event and every notification in one statement: a duplicate id fails all of it.
        await using var import = _source.CreateCommand("""
            WITH imported AS (
                INSERT INTO jobs (id, queue, type, spec, state, reason, error_code, error_message, engine, worker_id, attempts,
                    version, submitted_at, enqueued_at, started_at, finished_at, row_count, score, result_path, event_seq)
                SELECT * FROM unnest(@ids::text[], @queues::text[], @types::text[], @specs::text[], @states::text[],
                    @reasons::text[], @error_codes::text[], @error_messages::text[], @engines::text[], @workers::text[],
                    @attempts::integer[], @versions::bigint[], @submitted::bigint[], @enqueued::bigint[], @started::bigint[],
                    @finished::bigint[], @rows::bigint[], @scores::double precision[], @results::text[], @event_counts::integer[])
            ), history AS (
                INSERT INTO job_events (job_id, seq, state, at, detail)
                SELECT * FROM unnest(@ev_jobs::text[], @ev_seqs::integer[], @ev_states::text[], @ev_ats::bigint[], @ev_details::text[])
            )
            SELECT pg_notify(@channel, payload) FROM unnest(@payloads::text[]) AS payload
            """);
        var scope = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        var p = import.Parameters;
        var records = jobs.Select(j => j.Job).ToArray();
        p.AddWithValue("ids", records.Select(j => j.Id).ToArray());
        p.AddWithValue("queues", records.Select(j => j.Spec.Queue).ToArray());
        p.AddWithValue("types", records.Select(j => j.Spec.Type).ToArray());
        p.AddWithValue("specs", records.Select(j => JsonSerializer.Serialize(j.Spec, SpecJson)).ToArray());
        p.AddWithValue("states", records.Select(j => j.State.ToWire()).ToArray());
        p.AddWithValue("reasons", records.Select(j => j.Reason).ToArray());
        p.AddWithValue("error_codes", records.Select(j => j.Error?.Code).ToArray());
        p.AddWithValue("error_messages", records.Select(j => j.Error?.Message).ToArray());
        p.AddWithValue("engines", records.Select(j => j.Engine).ToArray());
        p.AddWithValue("workers", records.Select(j => j.WorkerId).ToArray());
        p.AddWithValue("attempts", records.Select(j => j.Attempts).ToArray());
        p.AddWithValue("versions", records.Select(j => j.Version).ToArray());
        p.AddWithValue("submitted", records.Select(j => Micros(j.SubmittedAt)).ToArray());
        p.AddWithValue("enqueued", records.Select(j => Micros(j.EnqueuedAt)).ToArray());
        p.AddWithValue("started", records.Select(j => Micros(j.StartedAt)).ToArray());
        p.AddWithValue("finished", records.Select(j => Micros(j.FinishedAt)).ToArray());
        p.AddWithValue("rows", records.Select(j => j.RowCount).ToArray());
        p.AddWithValue("scores", records.Select(j => j.Score).ToArray());
        p.AddWithValue("results", records.Select(j => j.ResultPath).ToArray());
        p.AddWithValue("event_counts", jobs.Select(j => j.Events.Count).ToArray());
        var events = jobs.SelectMany(j => j.Events.Select((e, i) => (j.Job.Id, Seq: i + 1, e))).ToArray();
        p.AddWithValue("ev_jobs", events.Select(e => e.Id).ToArray());
        p.AddWithValue("ev_seqs", events.Select(e => e.Seq).ToArray());
        AddEvents(p, events.Select(e => e.e).ToArray());
        p.AddWithValue("channel", scope.Channel);
        p.AddWithValue("payloads", records.Select(j => GridChangePayload.FormatJob(_origin, j)).ToArray());
        try
        {
            await import.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new DuplicateKeyException($"a job of the import already exists ({e.Detail ?? e.MessageText})", e);
        }
    }

    /// <inheritdoc />
    public async Task<JobRecord?> JobGetAsync(string id, CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand($"SELECT {JobColumns} FROM jobs WHERE id = @id");
        select.Parameters.AddWithValue("id", id);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadJob(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams parameters, CancellationToken cancellationToken)
    {
        var (sql, arguments) = JobListQuery(parameters, '@', sayNullsFirst: true);
        await using var select = _source.CreateCommand();
        select.CommandText = sql;
        foreach (var (name, value) in arguments)
        {
            select.Parameters.AddWithValue(name, value);
        }

        return await ReadAllAsync(select, ReadJob, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobEvent>> JobEventListAsync(string id, CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand("SELECT seq, state, at, detail FROM job_events WHERE job_id = @id ORDER BY seq");
        select.Parameters.AddWithValue("id", id);
        return await ReadAllAsync(select, ReadJobEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<JobRecord?> JobUpdateIfVersionAsync(JobUpdateParams parameters, CancellationToken cancellationToken)
    {
        var next = parameters.Next with { Version = parameters.ExpectedVersion + 1 };
        IReadOnlyList<JobEventDraft> events = [.. parameters.Notes ?? [], .. parameters.Event is { } e ? [e] : Array.Empty<JobEventDraft>()];

        // FOR SHARE makes the fence exact: a new leader's epoch bump waits for this write to commit, and this write,
        // if it waited for the bump, reads the new epoch (a row lock re-reads the latest row version).
        var fence = parameters.LeaderEpoch is null ? "" : "AND @epoch = (SELECT epoch FROM leader WHERE id = 1 FOR SHARE)";
        await using var update = _source.CreateCommand($"""
            WITH job AS (
                UPDATE jobs SET state = @state, reason = @reason, error_code = @error_code, error_message = @error_message,
                    engine = @engine, worker_id = @worker, attempts = @attempts, version = @version,
                    enqueued_at = @enqueued, started_at = @started, finished_at = @finished,
                    row_count = @rows, score = @score, result_path = @result, event_seq = event_seq + @event_count
                WHERE id = @id AND version = @expected {fence}
                RETURNING id, event_seq - @event_count AS first_seq
            ), history AS (
                INSERT INTO job_events (job_id, seq, state, at, detail)
                SELECT job.id, job.first_seq + ev.n, ev.state, ev.at, ev.detail FROM job, {EventRows}
            )
            SELECT pg_notify(@channel, @payload) FROM job
            """);
        var p = update.Parameters;
        p.AddWithValue("expected", parameters.ExpectedVersion);
        if (parameters.LeaderEpoch is { } epoch)
        {
            p.AddWithValue("epoch", epoch);
        }

        AddMutableColumns(p, next);
        p.AddWithValue("event_count", events.Count);
        AddEvents(p, events);
        await AddJobNotifyAsync(update, next, cancellationToken).ConfigureAwait(false);
        await using var reader = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? next : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<JobState, long>> JobCountByStateAsync(CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand("SELECT state, count(*) FROM jobs GROUP BY state");
        var counts = new Dictionary<JobState, long>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (JobStateNames.TryParse(reader.GetString(0), out var state))
            {
                counts[state] = reader.GetInt64(1);
            }
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task<bool> JobEventAppendAsync(string jobId, JobEventDraft draft, CancellationToken cancellationToken)
    {
        // Taking the number by bumping event_seq locks the job's row, so concurrent appends queue up and each gets the
        // next number; an unknown job updates nothing, so nothing is appended and nothing notified.
        await using var append = _source.CreateCommand("""
            WITH job AS (
                UPDATE jobs SET event_seq = event_seq + 1 WHERE id = @id RETURNING id, event_seq
            ), history AS (
                INSERT INTO job_events (job_id, seq, state, at, detail)
                SELECT job.id, job.event_seq, @state, @at, @detail FROM job
            )
            SELECT pg_notify(@channel, @payload) FROM job
            """);
        var p = append.Parameters;
        p.AddWithValue("id", jobId);
        p.AddWithValue("state", draft.State.ToWire());
        p.AddWithValue("at", Micros(draft.At));
        p.Add(new NpgsqlParameter<string?>("detail", draft.Detail));
        await AddNotifyAsync(append, GridChangeKind.JobNote, jobId, 0, cancellationToken).ConfigureAwait(false);
        await using var reader = await append.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Binds the <c>@ev_*</c> arrays of <see cref="EventRows"/> (and of the import).</summary>
    private static void AddEvents(NpgsqlParameterCollection p, IReadOnlyList<JobEventDraft> events)
    {
        p.AddWithValue("ev_states", events.Select(e => e.State.ToWire()).ToArray());
        p.AddWithValue("ev_ats", events.Select(e => Micros(e.At)).ToArray());
        p.AddWithValue("ev_details", events.Select(e => e.Detail).ToArray());
    }

    /// <summary>Binds the id and every column a job's life changes (the update's SET list).</summary>
    private static void AddMutableColumns(NpgsqlParameterCollection p, JobRecord job)
    {
        // Typed parameters: a null still carries its column's type, so one prepared statement serves every call.
        p.AddWithValue("id", job.Id);
        p.AddWithValue("state", job.State.ToWire());
        p.Add(new NpgsqlParameter<string?>("reason", job.Reason));
        p.Add(new NpgsqlParameter<string?>("error_code", job.Error?.Code));
        p.Add(new NpgsqlParameter<string?>("error_message", job.Error?.Message));
        p.Add(new NpgsqlParameter<string?>("engine", job.Engine));
        p.Add(new NpgsqlParameter<string?>("worker", job.WorkerId));
        p.AddWithValue("attempts", job.Attempts);
        p.AddWithValue("version", job.Version);
        p.Add(new NpgsqlParameter<long?>("enqueued", Micros(job.EnqueuedAt)));
        p.Add(new NpgsqlParameter<long?>("started", Micros(job.StartedAt)));
        p.Add(new NpgsqlParameter<long?>("finished", Micros(job.FinishedAt)));
        p.Add(new NpgsqlParameter<long?>("rows", job.RowCount));
        p.Add(new NpgsqlParameter<double?>("score", job.Score));
        p.Add(new NpgsqlParameter<string?>("result", job.ResultPath));
    }
}
