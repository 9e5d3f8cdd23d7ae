using System.Collections.Concurrent;
using System.Globalization;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Clock;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Results;
using Polly;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.Retry;

namespace Hera.Grains.Execution;

// Design note. One attempt of a job runs its statement on one of its candidate engines, in the seed's two
// adaptive modes, both built from Polly strategies rather than hand-written loops:
// - failover: a retry strategy with no delay whose every try takes the next candidate. It retries an engine's
//   own failure (transient or fatal, or a circuit open after repeated failures) and never the caller's SQL
//   error, which another engine would refuse too.
// - race: a hedging strategy whose hedged actions are the other candidates. With no delay every engine starts
//   at once; with a delay (fixed, or the first engine's recent 90th-percentile latency) the next starts only if
//   the previous has not finished by then. The first success wins and Polly cancels the rest. A loser's work is
//   detached from the race the moment its token fires, so the winner never waits for a loser's engine to wind
//   down; and that token does not reach the engine: stopping a statement is work (for PostgreSQL a cancel request
//   on a new connection, which forks a backend, sent synchronously by Npgsql on the cancelling thread), and on a
//   small machine that work delayed the winner by milliseconds. So the job completes first, and only then
//   (EngineRun.SettleLosersAsync) is each loser stopped on its engine, confirmed stopped, and noted. Without a
//   winner (the job cancelled, every engine failed) every racer is stopped at once. A caller's SQL error is
//   accepted as the outcome at once: racing it elsewhere cannot help.
// Each engine call also passes that engine's circuit breaker (EngineCatalog), and hands its rows to the attempt's
// sink: for a job, its own result file per engine, so racers never share a file and the winner's becomes the
// job's result; for an interactive query (failover only), the caller's response. With more than one
// candidate every engine try is noted on the job: engine, outcome, duration (and for a loser, whether its
// stop was confirmed). A single-candidate success adds no note: the running and succeed events say it all.

/// <summary>Runs one attempt of a job on its candidate engines by failover or race; see the design note above.</summary>
public sealed class AdaptiveExecutor(EngineCatalog catalog, IEngineRegistry engines, ResultStore results, TimeProvider time)
{
    /// <summary>How long a race loser's stop is awaited before it is reported unconfirmed.</summary>
    private static readonly TimeSpan StopConfirmation = TimeSpan.FromSeconds(5);

    /// <summary>Hedging delay for <see cref="JobSpec.AutoHedge"/> before an engine has any recorded latency.</summary>
    private static readonly TimeSpan DefaultHedgeDelay = TimeSpan.FromMilliseconds(200);

    private static readonly ConcurrentDictionary<int, ResiliencePipeline<EngineRun>> FailoverPipelines = new();

    /// <summary>
    /// Runs the attempt recorded in <paramref name="claimed"/> on <paramref name="candidates"/> (in preference
    /// order, at least one) and returns the winning engine's result. Throws the deciding
    /// <see cref="EngineException"/> when no engine succeeded, or <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task<EngineRun> ExecuteAsync(
        JobRecord claimed, IReadOnlyList<PreparedStatement> candidates, IJobGrain grain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(grain);
        return ExecuteAsync(
            new AttemptPlan(claimed, [.. candidates.Select(c => c.Engine)], ResultFileSink(claimed), grain.NoteAsync, candidates.ToDictionary(c => c.Engine)),
            cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="plan"/>: its job's statement on its candidates, rows into its sink. Throws the deciding
    /// <see cref="EngineException"/> when no engine succeeded, or <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task<EngineRun> ExecuteAsync(AttemptPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfZero(plan.Candidates.Count);
        var attempt = new AttemptContext(plan);
        return plan.Job.Spec.Mode == ExecutionModes.Race && plan.Candidates.Count > 1
            ? RaceAsync(attempt, cancellationToken)
            : FailoverAsync(attempt, cancellationToken);
    }

    /// <summary>The sink of a job's attempt: each engine's rows into that engine's result file of the attempt.</summary>
    public RowSink ResultFileSink(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return async (engine, rows, token) =>
        {
            var (count, path) = await results.WriteAsync(job.Id, job.Attempts, engine, rows, token).ConfigureAwait(false);
            return new SinkResult(count, path);
        };
    }

    /// <summary>The attempt id an engine sees (its query id / application name): job, attempt, engine.</summary>
    public static string AttemptId(JobRecord job, string engine)
    {
        ArgumentNullException.ThrowIfNull(job);
        return $"{job.Id}-{job.Attempts.ToString(CultureInfo.InvariantCulture)}-{engine}";
    }

    private async Task<EngineRun> FailoverAsync(AttemptContext attempt, CancellationToken cancellationToken)
    {
        // One candidate has nothing to fail over to (and Polly's retry needs at least one retry).
        var pipeline = FailoverPipelines.GetOrAdd(attempt.Candidates.Count, static count => count == 1 ? ResiliencePipeline<EngineRun>.Empty : new ResiliencePipelineBuilder<EngineRun>()
            .AddRetry(new RetryStrategyOptions<EngineRun>
            {
                MaxRetryAttempts = count - 1,
                Delay = TimeSpan.Zero,
                BackoffType = DelayBackoffType.Constant,
                UseJitter = false,
                ShouldHandle = new PredicateBuilder<EngineRun>().Handle<EngineException>(IsEngineSide).Handle<BrokenCircuitException>(),
            })
            .Build());

        var next = 0;
        return await pipeline.ExecuteAsync(
            async token => await RunOnAsync(attempt, attempt.Candidates[next++], token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<EngineRun> RaceAsync(AttemptContext attempt, CancellationToken cancellationToken)
    {
        var candidates = attempt.Candidates;
        var delay = attempt.Job.Spec.HedgeDelayMs switch
        {
            null => TimeSpan.Zero,
            JobSpec.AutoHedge => catalog.HedgeDelay(candidates[0], DefaultHedgeDelay),
            var ms => TimeSpan.FromMilliseconds(ms.Value),
        };
        var pipeline = new ResiliencePipelineBuilder<EngineRun>()
            .AddHedging(new HedgingStrategyOptions<EngineRun>
            {
                MaxHedgedAttempts = candidates.Count - 1,
                Delay = delay,
                ShouldHandle = new PredicateBuilder<EngineRun>().Handle<EngineException>(IsEngineSide).Handle<BrokenCircuitException>(),
                ActionGenerator = args =>
                {
                    var engine = candidates[Math.Min(args.AttemptNumber, candidates.Count - 1)];
                    var token = args.ActionContext.CancellationToken;
                    return async () =>
                    {
                        try
                        {
                            return Outcome.FromResult(await RunDetachedAsync(attempt, engine, token, cancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception e)
                        {
                            return Outcome.FromException<EngineRun>(e);
                        }
                    };
                },
            })
            .Build();

        EngineRun winner;
        try
        {
            winner = await pipeline.ExecuteAsync(
                async token => await RunDetachedAsync(attempt, candidates[0], token, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // No winner (an SQL error taken as the outcome, every engine failed, the job cancelled): nobody settles
            // the racers, so any still running is stopped on its engine now.
            StopAll(attempt, except: null);
            throw;
        }

        var losers = attempt.Work.Where(w => w.Key != winner.Engine && !attempt.Failed.ContainsKey(w.Key)).ToList();
        if (losers.Count == 0)
        {
            StopAll(attempt, except: winner.Engine);
            return winner;
        }

        // Never on the caller's thread, nor on a pool thread: cancelling a racer's token can block for milliseconds
        // (Npgsql sends its cancel request synchronously in the token's callback: a new connection, a forked backend,
        // a wait for the close). The caller is the one delivering the winner's rows, and on a small machine two pool
        // threads blocked at once stall every request until the pool grows (half a second). So the settling starts
        // on a thread of its own; after its first await it continues on the pool like any other work.
        return winner with
        {
            SettleLosersAsync = state => Task.Factory.StartNew(
                () => SettleAsync(attempt, winner.Engine, losers, state),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap(),
        };
    }

    /// <summary>Stops, on their engines, the engine calls of every racer but <paramref name="except"/>.</summary>
    private static void StopAll(AttemptContext attempt, string? except)
    {
        foreach (var (engine, stop) in attempt.Stops)
        {
            if (engine == except)
            {
                continue;
            }

            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Its engine call already ended (and freed the source): there is nothing to stop.
            }
        }
    }

    /// <summary>
    /// Runs on <paramref name="engine"/>, but gives up waiting as soon as <paramref name="raceToken"/> fires (this
    /// racer lost). The engine call itself is stopped only by <paramref name="jobToken"/> or by its entry in
    /// <see cref="AttemptContext.Stops"/>, which the settling cancels once the job's outcome is written: stopping a
    /// statement costs the engine work (for PostgreSQL a cancel request, a forked backend), and none of it may
    /// stand between the winner and the caller. Until then it is tracked in <see cref="AttemptContext.Work"/>.
    /// </summary>
    private Task<EngineRun> RunDetachedAsync(AttemptContext attempt, string engine, CancellationToken raceToken, CancellationToken jobToken)
    {
        var stop = CancellationTokenSource.CreateLinkedTokenSource(jobToken);
        attempt.Stops[engine] = stop;
        var cancellationToken = stop.Token;
        // On the thread pool: an engine call may do real work before its first await (opening a connection, a
        // native SQLite prepare), and the next racer must not wait for that to start.
        var work = Task.Run(() => RunOnAsync(attempt, engine, cancellationToken), CancellationToken.None);
        _ = work.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Dispose(), stop, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        attempt.Work[engine] = work;
        return work.WaitAsync(raceToken);
    }

    /// <summary>Waits for each loser's engine call to end, discards any rows it still produced, confirms its stop
    /// on the engine and notes it on the job (as an event in <paramref name="state"/>, the job's state by then).</summary>
    private async Task SettleAsync(AttemptContext attempt, string winner, IReadOnlyList<KeyValuePair<string, Task<EngineRun>>> losers, JobState state)
    {
        StopAll(attempt, except: winner);
        foreach (var (loser, work) in losers)
        {
            try
            {
                var late = await work.ConfigureAwait(false);
                if (late.Path is not null)
                {
                    // It finished before it saw the cancellation; its rows are nobody's.
                    results.Delete(late.Path);
                }
            }
            catch (Exception e) when (e is EngineException or OperationCanceledException or BrokenCircuitException or IOException)
            {
                // The expected end of a cancelled racer.
            }

            var confirmed = await ConfirmStoppedAsync(attempt, loser).ConfigureAwait(false);
            await attempt.Plan.Note(
                state,
                $"engine {loser}: cancelled, lost the race to {winner} (stop on the engine {(confirmed ? "confirmed" : "not confirmed")})",
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<EngineRun> RunOnAsync(AttemptContext attempt, string engine, CancellationToken cancellationToken)
    {
        var job = attempt.Job;
        var started = time.GetTimestamp();
        attempt.Started[engine] = true;
        try
        {
            var settings = catalog.Assemble(engine, job.Spec);
            var run = await catalog.RunGuardedAsync(
                engine,
                async token =>
                {
                    var adapter = engines.Find(engine) ?? throw new EngineException(
                        engine, EngineFailureKind.Fatal, "engine_not_found", $"engine '{engine}' is not registered on this worker");
                    var (sql, values) = attempt.Plan.StatementFor(engine);
                    var rows = await adapter.ExecuteAsync(new EngineCommand(sql, AttemptId(job, engine), settings, values), token).ConfigureAwait(false);
                    await using (rows.ConfigureAwait(false))
                    {
                        var (count, path) = await attempt.Plan.Sink(engine, rows, token).ConfigureAwait(false);
                        return new EngineRun(engine, count, path, time.GetElapsedTime(started), settings);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            catalog.RecordLatency(engine, run.Duration);

            // The winner's note is written with the outcome (EngineRun.Notes) rather than on its own: one commit less
            // between the last row and the caller.
            return attempt.Candidates.Count > 1
                ? run with { Notes = [new JobEventDraft(JobState.Running, time.UtcNowMicros(), Invariant($"engine {engine}: {run.Rows} rows in {Ms(run.Duration)} ms{With(settings)}"))] }
                : run;
        }
        catch (BrokenCircuitException)
        {
            attempt.Failed[engine] = true;
            await attempt.NoteAsync($"engine {engine}: skipped, its circuit is open after repeated failures{Next(attempt, engine, true)}").ConfigureAwait(false);
            throw;
        }
        catch (EngineException e)
        {
            attempt.Failed[engine] = true;
            if (attempt.Candidates.Count > 1)
            {
                var reason = e.Kind == EngineFailureKind.CallerSql ? JobFailureReasons.SqlError : JobFailureReasons.EngineError;
                await attempt.NoteAsync(Invariant(
                    $"engine {engine}: {reason} {e.EngineCode}: {e.Message} after {Ms(time.GetElapsedTime(started))} ms{Next(attempt, engine, IsEngineSide(e))}")).ConfigureAwait(false);
            }

            throw;
        }
    }

    private async Task<bool> ConfirmStoppedAsync(AttemptContext attempt, string engine)
    {
        if (engines.Find(engine) is not { } adapter)
        {
            return false;
        }

        using var limit = new CancellationTokenSource(StopConfirmation, time);
        try
        {
            return await adapter.EnsureStoppedAsync(AttemptId(attempt.Job, engine), limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or OperationCanceledException)
        {
            return false;
        }
    }

    private static bool IsEngineSide(EngineException e) => e.Kind != EngineFailureKind.CallerSql;

    private static string Next(AttemptContext attempt, string engine, bool engineSide)
    {
        if (!engineSide || attempt.Job.Spec.Mode == ExecutionModes.Race)
        {
            return string.Empty;
        }

        var at = attempt.Candidates.ToList().IndexOf(engine);
        return at >= 0 && at + 1 < attempt.Candidates.Count ? $"; failing over to {attempt.Candidates[at + 1]}" : string.Empty;
    }

    private static string With(IReadOnlyDictionary<string, string> settings) =>
        settings.Count == 0 ? string.Empty : $" with {ParameterAssembly.Describe(settings)}";

    private static string Ms(TimeSpan duration) => duration.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>One attempt's shared state: which engines started and which failed (for race bookkeeping).</summary>
    private sealed class AttemptContext(AttemptPlan plan)
    {
        public AttemptPlan Plan { get; } = plan;

        public JobRecord Job => Plan.Job;

        public IReadOnlyList<string> Candidates => Plan.Candidates;

        public ConcurrentDictionary<string, bool> Started { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, bool> Failed { get; } = new(StringComparer.Ordinal);

        /// <summary>Each racer's stop: cancels its engine call (the job's cancellation cancels them all).</summary>
        public ConcurrentDictionary<string, CancellationTokenSource> Stops { get; } = new(StringComparer.Ordinal);

        /// <summary>Each racer's engine call, including the ones the race stopped waiting for.</summary>
        public ConcurrentDictionary<string, Task<EngineRun>> Work { get; } = new(StringComparer.Ordinal);

        public Task NoteAsync(string detail) => Plan.Note(JobState.Running, detail, CancellationToken.None);
    }
}

/// <summary>Where an engine's rows go: drains <paramref name="rows"/> and says how many there were and where they are.</summary>
/// <param name="engine">The engine producing them.</param>
/// <param name="rows">The open row stream; the executor disposes it.</param>
/// <param name="cancellationToken">Stops the copy (and, through the stream, the statement).</param>
public delegate ValueTask<SinkResult> RowSink(string engine, IRowStream rows, CancellationToken cancellationToken);

/// <summary>What a <see cref="RowSink"/> did with an engine's rows.</summary>
/// <param name="Rows">Rows taken.</param>
/// <param name="Path">The result file, relative to the results directory; null when the rows were not kept.</param>
public readonly record struct SinkResult(long Rows, string? Path);

/// <summary>Writes a note event (a detail in the given state, not a transition) on the attempt's job.</summary>
public delegate Task<bool> AttemptNote(JobState state, string detail, CancellationToken cancellationToken);

/// <summary>One attempt to run: the job (statement, mode, parameters, attempt number), its candidate engines in
/// preference order, where the rows go, and where notes go.</summary>
/// <param name="Job">The job as claimed for this attempt.</param>
/// <param name="Candidates">Candidate engines, at least one.</param>
/// <param name="Sink">Where each engine's rows go. Racers call it concurrently, one call per engine.</param>
/// <param name="Note">Records engine tries on the job.</param>
/// <param name="Statements">What each candidate runs (<see cref="StatementPreparation"/>); null runs the job's SQL as written.</param>
public sealed record AttemptPlan(
    JobRecord Job, IReadOnlyList<string> Candidates, RowSink Sink, AttemptNote Note, IReadOnlyDictionary<string, PreparedStatement>? Statements = null)
{
    /// <summary>The command text and values <paramref name="engine"/> runs.</summary>
    public (string Sql, IReadOnlyDictionary<string, object?>? Parameters) StatementFor(string engine) =>
        Statements is not null && Statements.TryGetValue(engine, out var prepared) ? (prepared.Sql, prepared.Parameters) : (Job.Spec.Sql, null);
}

/// <summary>The outcome of an attempt on the engine that produced the result.</summary>
/// <param name="Engine">The engine whose rows are the result.</param>
/// <param name="Rows">Rows in the result.</param>
/// <param name="Path">Result file, relative to the results directory; null when the rows were streamed, not kept.</param>
/// <param name="Duration">From the engine call to the last row written.</param>
/// <param name="Settings">The effective engine parameters it ran with.</param>
public sealed record EngineRun(string Engine, long Rows, string? Path, TimeSpan Duration, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>
    /// For a race: waits for the losers' engine calls to end, confirms each stopped on its engine, and notes it on
    /// the job as an event in the given state. Call it once the job's outcome is written, so the caller of a race
    /// never waits for a loser. Completes at once when there were no losers.
    /// </summary>
    public Func<JobState, Task> SettleLosersAsync { get; init; } = static _ => Task.CompletedTask;

    /// <summary>Notes to write with the outcome, before it (the winning engine's try, when there were several candidates).</summary>
    public IReadOnlyList<JobEventDraft> Notes { get; init; } = [];
}
