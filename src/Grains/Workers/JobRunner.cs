using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Execution;
using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Jobs;
using Hera.Grains.Results;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace Hera.Grains.Workers;

/// <summary>
/// Runs one claimed attempt of a job: engine statement → result file → <c>succeed</c>, or the failure with its
/// reason. The attempt stops on the engine as soon as the job stops being this attempt's (cancel, recovery),
/// when the job's timeout passes, or when the silo stops.
/// </summary>
public sealed partial class JobRunner(
    IGrainFactory grains, AdaptiveExecutor executor, EngineRouting routing, ResultStore results, JobChangeFeed feed, TimeProvider time, ILogger<JobRunner> logger)
{
    /// <summary>Runs the attempt recorded in <paramref name="claimed"/> (state running) to its end. Never throws
    /// for job-level failures; those become the job's state.</summary>
    public async Task RunAsync(JobRecord claimed, CancellationToken stopping)
    {
        var attempt = claimed.Attempts;
        var grain = new StoreOutageRetry(grains.GetJob(claimed.Id));
        var remaining = claimed.SubmittedAt.AddSeconds(claimed.Spec.TimeoutSeconds) - time.GetUtcNow();
        using var timeout = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time);
        using var ownershipLost = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, timeout.Token, ownershipLost.Token);

        void OnChanged(JobRecord job)
        {
            // Only a newer record counts: in a cluster a stale one can arrive after the claim (the submitting
            // silo publishing its "waiting" once the leader has already placed the job here).
            if (job.Id == claimed.Id && job.Version > claimed.Version && !(job.State == JobState.Running && job.Attempts == attempt))
            {
                try
                {
                    ownershipLost.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The attempt ended between the publisher's snapshot of handlers and this call.
                }
            }
        }

        feed.Changed += OnChanged;
        try
        {
            await ExecuteAsync(claimed, grain, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ownershipLost.IsCancellationRequested)
        {
            Log.AttemptAbandoned(logger, claimed.Id, attempt);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            await grain.FailAsync(attempt, JobFailureReasons.Timeout, new JobError(
                JobFailureReasons.Timeout, $"ran past its timeout of {claimed.Spec.TimeoutSeconds} s"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await grain.RecoverAsync(int.MaxValue, "worker stopping; job re-queued", CancellationToken.None, attempt).ConfigureAwait(false);
        }
        catch (EngineException e)
        {
            var reason = e.Kind == EngineFailureKind.CallerSql ? JobFailureReasons.SqlError : JobFailureReasons.EngineError;
            await grain.FailAsync(attempt, reason, new JobError(e.EngineCode, e.Message), CancellationToken.None).ConfigureAwait(false);
        }
        catch (BrokenCircuitException e)
        {
            await grain.FailAsync(attempt, JobFailureReasons.EngineError, new JobError(
                "circuit_open", $"every candidate engine is skipped after repeated failures: {e.Message}"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.ResultWriteFailed(logger, e, claimed.Id);
            await grain.FailAsync(attempt, JobFailureReasons.ResultError, new JobError(
                JobFailureReasons.ResultError, $"could not write the result: {e.Message}"), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A fault of Hera's own: the job must still end, or it would sit in running until a restart.
            Log.AttemptCrashed(logger, e, claimed.Id);
            await grain.FailAsync(attempt, JobFailureReasons.Internal, new JobError(
                JobFailureReasons.Internal, $"{e.GetType().Name}: {e.Message}"), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            feed.Changed -= OnChanged;
        }
    }

    /// <summary>Puts <paramref name="job"/>'s current attempt back in line (attempt-scoped: a later attempt is left alone).</summary>
    public Task<JobRecord?> HandBackAsync(JobRecord job, string detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new StoreOutageRetry(grains.GetJob(job.Id)).RecoverAsync(int.MaxValue, detail, cancellationToken, job.Attempts);
    }

    private async Task ExecuteAsync(JobRecord claimed, IJobGrain grain, CancellationToken cancellationToken)
    {
        var candidates = await routing.CandidatesAsync(claimed, cancellationToken).ConfigureAwait(false);
        var (runnable, declined) = routing.Prepare(claimed.Spec, candidates);
        foreach (var engine in declined)
        {
            await grain.NoteAsync(JobState.Running, $"engine {engine.Engine}: declined, {engine.Declined}", CancellationToken.None).ConfigureAwait(false);
        }

        if (runnable.Count == 0)
        {
            // The engines changed since submission (which refuses SQL no candidate can run).
            await grain.FailAsync(claimed.Attempts, JobFailureReasons.SqlError, new JobError(
                ProblemCodes.SqlUnsupported.Code, "no candidate engine can run this SQL: " + EngineRouting.Reasons(declined)), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        var run = await executor.ExecuteAsync(claimed, runnable, grain, cancellationToken).ConfigureAwait(false);
        JobRecord? done = null;
        try
        {
            done = await grain.CompleteAsync(claimed.Attempts, run.Rows, run.Path!, CancellationToken.None, run.Engine, run.Notes).ConfigureAwait(false);
            if (done is null && await grain.GetAsync(CancellationToken.None).ConfigureAwait(false) is { State: JobState.Succeed } stored && stored.ResultPath == run.Path)
            {
                // The write landed but its answer was lost (the connection dropped); the retry found it done.
                done = stored;
            }

            if (done is null)
            {
                // Cancelled or re-queued after the last row was read: this attempt's result is nobody's.
                results.Delete(run.Path!);
                Log.AttemptAbandoned(logger, claimed.Id, claimed.Attempts);
                return;
            }

            Log.AttemptSucceeded(logger, claimed.Id, claimed.Attempts, run.Engine, run.Rows, run.Duration.TotalMilliseconds);
        }
        finally
        {
            // Race losers are confirmed stopped after the outcome is written, so the caller never waits for them.
            var state = done?.State ?? (await grain.GetAsync(CancellationToken.None).ConfigureAwait(false))?.State ?? JobState.Failed;
            await run.SettleLosersAsync(state).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Job {JobId} attempt {Attempt} succeeded on {Engine}: {Rows} rows in {Ms:F1} ms")]
        public static partial void AttemptSucceeded(ILogger logger, string jobId, int attempt, string engine, long rows, double ms);

        [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Job {JobId} attempt {Attempt} abandoned: the job is no longer this attempt's")]
        public static partial void AttemptAbandoned(ILogger logger, string jobId, int attempt);

        [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Job {JobId}: writing the result failed")]
        public static partial void ResultWriteFailed(ILogger logger, Exception exception, string jobId);

        [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Job {JobId}: the attempt crashed")]
        public static partial void AttemptCrashed(ILogger logger, Exception exception, string jobId);
    }
}
