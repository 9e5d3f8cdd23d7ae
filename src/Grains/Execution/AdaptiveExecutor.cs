using System.Collections.Concurrent;
using System.Globalization;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Jobs;
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
//   the previous has not finished by then. The first success wins and Polly cancels the rest; each loser is then
//   asked to confirm on its engine that its statement stopped. A caller's SQL error is accepted as the outcome
//   at once: racing it elsewhere cannot help.
// Each engine call also passes that engine's circuit breaker (EngineCatalog), and writes its rows to its own
// result file, so racers never share a file and the winner's becomes the job's result. With more than one
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
    public Task<EngineRun> ExecuteAsync(JobRecord claimed, IReadOnlyList<string> candidates, IJobGrain grain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count);
        var attempt = new AttemptContext(claimed, candidates, grain);
        return claimed.Spec.Mode == ExecutionModes.Race && candidates.Count > 1
            ? RaceAsync(attempt, cancellationToken)
            : FailoverAsync(attempt, cancellationToken);
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
                            return Outcome.FromResult(await RunOnAsync(attempt, engine, token).ConfigureAwait(false));
                        }
                        catch (Exception e)
                        {
                            return Outcome.FromException<EngineRun>(e);
                        }
                    };
                },
            })
            .Build();

        var winner = await pipeline.ExecuteAsync(
            async token => await RunOnAsync(attempt, candidates[0], token).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

        foreach (var loser in attempt.Started.Keys.Where(e => e != winner.Engine && !attempt.Failed.ContainsKey(e)))
        {
            var confirmed = await ConfirmStoppedAsync(attempt, loser).ConfigureAwait(false);
            await attempt.NoteAsync(
                $"engine {loser}: cancelled, lost the race to {winner.Engine} (stop on the engine {(confirmed ? "confirmed" : "not confirmed")})").ConfigureAwait(false);
        }

        return winner;
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
                    var rows = await adapter.ExecuteAsync(new EngineCommand(job.Spec.Sql, AttemptId(job, engine), settings), token).ConfigureAwait(false);
                    await using (rows.ConfigureAwait(false))
                    {
                        var (count, path) = await results.WriteAsync(job.Id, job.Attempts, engine, rows, token).ConfigureAwait(false);
                        return new EngineRun(engine, count, path, time.GetElapsedTime(started), settings);
                    }
                },
                cancellationToken).ConfigureAwait(false);
            catalog.RecordLatency(engine, run.Duration);
            if (attempt.Candidates.Count > 1)
            {
                await attempt.NoteAsync(Invariant($"engine {engine}: {run.Rows} rows in {Ms(run.Duration)} ms{With(settings)}")).ConfigureAwait(false);
            }

            return run;
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
    private sealed class AttemptContext(JobRecord job, IReadOnlyList<string> candidates, IJobGrain grain)
    {
        public JobRecord Job { get; } = job;

        public IReadOnlyList<string> Candidates { get; } = candidates;

        public ConcurrentDictionary<string, bool> Started { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, bool> Failed { get; } = new(StringComparer.Ordinal);

        public Task NoteAsync(string detail) => grain.NoteAsync(JobState.Running, detail, CancellationToken.None);
    }
}

/// <summary>The outcome of an attempt on the engine that produced the result.</summary>
/// <param name="Engine">The engine whose rows are the result.</param>
/// <param name="Rows">Rows in the result.</param>
/// <param name="Path">Result file, relative to the results directory.</param>
/// <param name="Duration">From the engine call to the last row written.</param>
/// <param name="Settings">The effective engine parameters it ran with.</param>
public sealed record EngineRun(string Engine, long Rows, string Path, TimeSpan Duration, IReadOnlyDictionary<string, string> Settings);
