namespace Hera.Grains.Scheduling.Policy;

/// <summary>What the scheduler knows about one job: enough to order it and to check limits, nothing more.</summary>
/// <param name="Id">Job id, unique among the jobs the scheduler holds (compared ordinally).</param>
/// <param name="Queue">Name of a queue known to the scheduler.</param>
/// <param name="EnqueuedAt">When it last entered waiting (the seed's "queue time").</param>
/// <param name="TimeoutSeconds">Its timeout in seconds (positive); its deadline is <paramref name="EnqueuedAt"/> plus this.</param>
/// <param name="MemoryMb">Memory estimate in MiB (the job's own, else its type's default); zero or more.</param>
/// <param name="Engine">The engine it will run on first; its free concurrency is checked before it starts.</param>
public sealed record WaitingJob(
    string Id,
    string Queue,
    DateTimeOffset EnqueuedAt,
    int TimeoutSeconds,
    int MemoryMb,
    string Engine)
{
    /// <summary>The instant it times out: <see cref="EnqueuedAt"/> + <see cref="TimeoutSeconds"/>.</summary>
    public DateTimeOffset Deadline => EnqueuedAt.AddSeconds(TimeoutSeconds);
}
