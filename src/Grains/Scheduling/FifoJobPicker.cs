using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;

namespace Hera.Grains.Scheduling;

/// <summary>
/// Arrival order within the <c>default</c> queue: the earliest enqueued waiting job first. The weighted
/// multi-queue policy replaces this picker; the worker does not change.
/// </summary>
public sealed class FifoJobPicker(IGridStore store) : IJobPicker
{
    /// <inheritdoc />
    public Task<IReadOnlyList<JobRecord>> PickAsync(int freeSlots, CancellationToken cancellationToken) =>
        freeSlots <= 0
            ? Task.FromResult<IReadOnlyList<JobRecord>>([])
            : store.JobListAsync(new JobListParams(JobState.Waiting, JobSpec.DefaultQueue, freeSlots, JobListOrder.EnqueuedFirst), cancellationToken);
}
