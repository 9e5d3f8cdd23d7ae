using System.Collections.Concurrent;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Clock;
using Hera.Grains.Engines;
using Hera.Grains.Execution;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Results;
using Hera.Grains.Scheduling;
using Polly.CircuitBreaker;

namespace Hera.Grains.Interactive;

// Design note. A job is durable: three commits, a result file fsynced and renamed, then a second request for the
// rows. That is right for work that must survive a silo, and ruinous for a dashboard's point query that an
// engine answers in a tenth of a millisecond. An interactive query is the other trade: the gateway that takes the
// request runs it at once, on the same candidates, parameters, circuit breakers and failover as a job, and streams
// the rows straight into the response; the query is recorded as a job afterwards (InteractiveJournal), so
// operators still see it in /v1/jobs. It skips the queue's scheduling (a caller waiting on a socket is not
// queued work) but not its gates: the queue must exist and be open, and an engine at its maxConcurrency is
// passed over. Failover stays possible until the first bytes reach the caller; after that a failure can only
// cut the stream short, which the gateway does loudly (the connection is aborted, never a clean end). A race
// needs every racer's rows held apart until one wins: each racer holds its rows in memory up to RacerMemoryBytes and
// spills to a result file (not synced: it is read once, at once, and deleted) past that, and the winner's are
// streamed.

/// <summary>Runs interactive queries (<c>POST /v1/query</c>): at once, streamed, recorded afterwards; see the design note.</summary>
public sealed class InteractiveQueries(
    AdaptiveExecutor executor,
    EngineRouting routing,
    EngineCatalog catalog,
    IEngineRegistry engines,
    JobScheduler scheduler,
    InteractiveJournal journal,
    ResultStore results,
    SiloIdentity silo,
    TimeProvider time)
{
    /// <summary>
    /// Result bytes each racer of an interactive race holds in memory before it spills to a file: a small result
    /// never touches the disk, and a race's memory stays bounded by this per racer whatever the result size.
    /// </summary>
    public const int RacerMemoryBytes = 1024 * 1024;

    /// <summary>How the worker of an interactive query's record begins: <c>gateway {silo id}</c>.</summary>
    public const string WorkerPrefix = "gateway ";

    /// <summary>True for the record of an interactive query (it ran on a gateway; its rows were not kept).</summary>
    public static bool IsInteractive(JobRecord job) => job?.WorkerId?.StartsWith(WorkerPrefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// Checks that <paramref name="spec"/> may run now: its engines exist, its queue exists and is open, and at least
    /// one candidate engine has a free slot. Returns the candidates with a free slot, in preference order.
    /// </summary>
    /// <exception cref="HeraProblemException"><c>engine_not_found</c>, <c>queue_not_found</c>, <c>queue_closed</c> or <c>engines_busy</c>.</exception>
    public IReadOnlyList<PreparedStatement> Admit(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var engine in spec.Engines)
        {
            if (catalog.Find(engine) is null)
            {
                throw catalog.NotFound(engine);
            }
        }

        var queue = scheduler.RequireOpenQueue(spec.Queue);
        var runnable = routing.PrepareNew(spec, queue);
        var all = runnable.Select(p => p.Engine).ToList();
        var free = runnable.Where(p => HasFreeSlot(p.Engine)).ToList();
        return free.Count > 0
            ? free
            : throw new HeraProblemException(
                ProblemCodes.EnginesBusy,
                $"every candidate engine is at its maxConcurrency ({string.Join(", ", all.Select(e => $"{e} {Running(e)}/{catalog.MaxConcurrency(e)}"))}); retry, or submit a job to queue");
    }

    /// <summary>
    /// Runs <paramref name="spec"/> on the engines <paramref name="prepared"/> holds (from <see cref="Admit"/>). In failover mode the
    /// winning engine's rows go to the sink <paramref name="stream"/> makes for the query's job id; in race mode they land in a result file first
    /// (<see cref="InteractiveResult.Path"/>), to be streamed and then released by the caller. The query is recorded
    /// as a job either way. A failure throws <see cref="InteractiveQueryException"/> carrying the recorded job.
    /// </summary>
    public async Task<InteractiveResult> RunAsync(JobSpec spec, IReadOnlyList<PreparedStatement> prepared, Func<string, RowSink> stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(prepared);
        ArgumentNullException.ThrowIfNull(stream);
        var candidates = prepared.Select(p => p.Engine).ToList();
        var submitted = time.UtcNowMicros();
        var job = new JobRecord
        {
            Id = GrainFactory.NewJobId(),
            Spec = spec,
            State = JobState.Running,
            Engine = candidates[0],
            WorkerId = WorkerPrefix + silo.Id,
            Attempts = 1,
            SubmittedAt = submitted,
            StartedAt = submitted,
        };
        var settings = catalog.Assemble(candidates[0], spec);
        var history = new ConcurrentQueue<JobEventDraft>();
        history.Enqueue(new(JobState.New, submitted, null));
        history.Enqueue(new(JobState.Running, submitted, $"interactive on silo {silo.Id} engine {candidates[0]}" +
            (settings.Count == 0 ? string.Empty : $" parameters {ParameterAssembly.Describe(settings)}")));

        var recorded = false;
        async Task<bool> Note(JobState state, string detail, CancellationToken _)
        {
            // During the attempt notes gather into the record; after it (a race loser settled) they follow it.
            var note = new JobEventDraft(state, time.UtcNowMicros(), detail);
            if (Volatile.Read(ref recorded))
            {
                await journal.AddNoteAsync(job.Id, note, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                history.Enqueue(note);
            }

            return true;
        }

        var race = spec.Mode == ExecutionModes.Race && candidates.Count > 1;
        var held = new ConcurrentDictionary<string, HeldResult>(StringComparer.Ordinal);
        RowSink hold = async (engine, rows, token) =>
        {
            var result = await results.HoldAsync(job.Id, job.Attempts, engine, rows, RacerMemoryBytes, token).ConfigureAwait(false);
            held[engine] = result;
            return new SinkResult(result.Rows, result.Path);
        };
        var plan = new AttemptPlan(job, candidates, race ? hold : stream(job.Id), Note, prepared.ToDictionary(p => p.Engine));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(spec.TimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        EngineRun run;
        try
        {
            run = await executor.ExecuteAsync(plan, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (Classify(e, timeout.IsCancellationRequested, spec.TimeoutSeconds) is { } failure)
        {
            var failed = job with
            {
                State = JobState.Failed,
                Reason = failure.Reason,
                Error = failure.Error,
                Engine = failure.Engine ?? job.Engine,
                FinishedAt = time.UtcNowMicros(),
            };
            await RecordAsync(failed, history, $"{failure.Error.Code}: {failure.Error.Message}").ConfigureAwait(false);
            throw new InteractiveQueryException(failed, e);
        }

        foreach (var note in run.Notes)
        {
            history.Enqueue(note);
        }

        var done = job with { State = JobState.Succeed, Engine = run.Engine, RowCount = run.Rows, FinishedAt = time.UtcNowMicros() };
        Volatile.Write(ref recorded, true);
        await RecordAsync(done, history, null).ConfigureAwait(false);

        // Race losers are confirmed stopped while the caller already reads the winner's rows; their notes follow the record.
        _ = run.SettleLosersAsync(JobState.Succeed);

        return new InteractiveResult(job.Id, run.Engine, run.Rows, run.Path, results)
        {
            Held = race && held.TryGetValue(run.Engine, out var winner) ? winner.Memory : null,
        };
    }

    private async Task RecordAsync(JobRecord job, ConcurrentQueue<JobEventDraft> history, string? detail)
    {
        history.Enqueue(new(job.State, job.FinishedAt ?? time.UtcNowMicros(), detail));
        var events = history.ToList();
        await journal.AddAsync(new JobImportParams(job with { Version = events.Count }, events), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>How a failed interactive query ends, as a job would: reason, error, and the engine that failed.</summary>
    private static (string Reason, JobError Error, string? Engine)? Classify(Exception e, bool timedOut, int timeoutSeconds) => e switch
    {
        OperationCanceledException when timedOut => (JobFailureReasons.Timeout, new JobError(JobFailureReasons.Timeout, $"ran past its timeout of {timeoutSeconds} s"), null),
        OperationCanceledException => (JobFailureReasons.Cancelled, new JobError(JobFailureReasons.Cancelled, "the caller went away"), null),
        EngineException x => (x.Kind == EngineFailureKind.CallerSql ? JobFailureReasons.SqlError : JobFailureReasons.EngineError, new JobError(x.EngineCode, x.Message), x.Engine),
        BrokenCircuitException x => (JobFailureReasons.EngineError, new JobError("circuit_open", $"every candidate engine is skipped after repeated failures: {x.Message}"), null),
        StreamedResultBrokenException { InnerException: EngineException x } =>
            (x.Kind == EngineFailureKind.CallerSql ? JobFailureReasons.SqlError : JobFailureReasons.EngineError, new JobError(x.EngineCode, $"{x.Message} (after rows had been sent)"), x.Engine),
        StreamedResultBrokenException { InnerException: OperationCanceledException } when timedOut =>
            (JobFailureReasons.Timeout, new JobError(JobFailureReasons.Timeout, $"ran past its timeout of {timeoutSeconds} s (after rows had been sent)"), null),
        StreamedResultBrokenException { InnerException: OperationCanceledException or IOException } => (JobFailureReasons.Cancelled, new JobError(JobFailureReasons.Cancelled, "the caller went away"), null),
        StreamedResultBrokenException x => (JobFailureReasons.Internal, new JobError(JobFailureReasons.Internal, x.Message), null),
        _ => null,
    };

    private bool HasFreeSlot(string engine) => Running(engine) < catalog.MaxConcurrency(engine);

    private int Running(string engine) => engines.Find(engine)?.Running ?? 0;
}

/// <summary>
/// A finished interactive query. A race's winner is in <see cref="Held"/> (memory) or at <see cref="Path"/> (a file
/// to stream, then <see cref="Release"/>); otherwise the rows were streamed already.
/// </summary>
/// <param name="JobId">The id it is recorded under.</param>
/// <param name="Engine">The engine whose rows were the answer.</param>
/// <param name="Rows">How many rows.</param>
/// <param name="Path">The winner's result file (relative to the results directory) for a race whose rows did not fit in
/// memory; null otherwise.</param>
/// <param name="Results">Where <paramref name="Path"/> lives.</param>
public sealed record InteractiveResult(string JobId, string Engine, long Rows, string? Path, ResultStore Results)
{
    /// <summary>The race winner's result lines (Hera's NDJSON) when they fitted in memory; null otherwise.</summary>
    public ReadOnlyMemory<byte>? Held { get; init; }

    /// <summary>The absolute path of <see cref="Path"/>, or null.</summary>
    public string? File => Path is null ? null : Results.Find(Path);

    /// <summary>Removes the race's result file: an interactive query's rows are not kept.</summary>
    public void Release()
    {
        if (Path is not null)
        {
            Results.Delete(Path);
        }
    }
}

/// <summary>An interactive query failed; <see cref="Job"/> is how it was recorded (reason and error).</summary>
public sealed class InteractiveQueryException(JobRecord job, Exception inner)
    : Exception($"interactive query {job.Id} failed: {job.Reason}", inner)
{
    /// <summary>The failed query as recorded.</summary>
    public JobRecord Job { get; } = job;
}

/// <summary>
/// Thrown by a streaming <see cref="RowSink"/> when rows had already reached the caller and the copy then failed
/// (the engine failed, the caller left): failing over would send a second result after part of the first, so this
/// is deliberately not an <see cref="EngineException"/> and ends the query instead.
/// </summary>
public sealed class StreamedResultBrokenException(Exception inner)
    : Exception($"the result stream broke after rows had been sent: {inner.Message}", inner);
