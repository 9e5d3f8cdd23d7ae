using Hera.Grains.Interfaces.Jobs;

namespace Hera.Grains.Scheduling;

/// <summary>
/// The scheduler's seam: decides which waiting jobs a worker with free slots should claim next. The worker only
/// claims and runs what it is given; the policy lives behind this interface.
/// </summary>
public interface IJobPicker
{
    /// <summary>Up to <paramref name="freeSlots"/> waiting jobs, best first. Claims may still lose races.</summary>
    Task<IReadOnlyList<JobRecord>> PickAsync(int freeSlots, CancellationToken cancellationToken);
}
