using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;

namespace Hera.Grains;

/// <summary><see cref="IGrainFactory"/> for grains whose state lives in the grid store.</summary>
public sealed class GrainFactory(IGridStore store, TimeProvider time, JobChangeFeed feed) : IGrainFactory
{
    /// <inheritdoc />
    public IJobGrain GetJob(string id) => new JobGrain(id, store, time, feed, null);

    /// <inheritdoc />
    public IJobGrain GetJob(string id, long? leaderEpoch) => new JobGrain(id, store, time, feed, leaderEpoch);

    /// <summary>A new job id: a version-7 GUID in hex, so ids sort by submission time and are URL-safe.</summary>
    public static string NewJobId() => Guid.CreateVersion7().ToString("N");
}
