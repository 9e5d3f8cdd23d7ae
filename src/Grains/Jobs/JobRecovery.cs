using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Results;

namespace Hera.Grains.Jobs;

/// <summary>
/// Puts jobs whose worker is gone back in line: a job still <c>running</c> when no worker runs it goes back to
/// <c>waiting</c> (its next claim is attempt + 1), or fails <c>worker_lost</c> once it has used its attempts.
/// The embedded silo runs it once at start-up, before its worker, for the jobs the previous process left behind.
/// A lost attempt's result file, if it got as far as writing one, is removed.
/// </summary>
public sealed class JobRecovery(IGridStore store, IGrainFactory grains, ResultStore results)
{
    private const int PageSize = 500;

    /// <summary>Recovers every running job. Call only when no live worker can be running any of them.</summary>
    public Task<RecoveryResult> RecoverAllRunningAsync(int maxAttempts, string detail, CancellationToken cancellationToken) =>
        RecoverAsync(null, maxAttempts, detail, cancellationToken);

    /// <summary>
    /// Recovers the running jobs of worker <paramref name="workerId"/>: a silo restarting in a cluster calls it for
    /// its own worker before that worker starts, since its previous process died with them.
    /// </summary>
    public Task<RecoveryResult> RecoverWorkerAsync(string workerId, int maxAttempts, string detail, CancellationToken cancellationToken) =>
        RecoverAsync(workerId, maxAttempts, detail, cancellationToken);

    private async Task<RecoveryResult> RecoverAsync(string? workerId, int maxAttempts, string detail, CancellationToken cancellationToken)
    {
        int requeued = 0, failed = 0;
        while (true)
        {
            var page = await store.JobListAsync(
                new JobListParams(JobState.Running, Limit: PageSize, Order: JobListOrder.EnqueuedFirst, WorkerId: workerId), cancellationToken).ConfigureAwait(false);
            foreach (var job in page)
            {
                var recovered = await grains.GetJob(job.Id).RecoverAsync(maxAttempts, detail, cancellationToken, job.Attempts).ConfigureAwait(false);

                // The lost attempt may have renamed its complete file before dying; nobody will ever serve it.
                results.DeleteAttempt(job.Id, job.Attempts);
                if (recovered?.State == JobState.Waiting)
                {
                    requeued++;
                }
                else if (recovered?.State == JobState.Failed)
                {
                    failed++;
                }
            }

            if (page.Count < PageSize)
            {
                return new RecoveryResult(requeued, failed);
            }
        }
    }
}

/// <summary>What a recovery pass did.</summary>
/// <param name="Requeued">Jobs moved back to waiting.</param>
/// <param name="Failed">Jobs failed with <c>worker_lost</c>.</param>
public sealed record RecoveryResult(int Requeued, int Failed);
