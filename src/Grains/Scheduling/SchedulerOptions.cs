namespace Hera.Grains.Scheduling;

/// <summary>Settings of the scheduler grain: cluster limits, engine concurrency and worker liveness.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Jobs that may run at once across the grid (<c>--max-running-tasks</c>). Default: no limit beyond the workers' slots.</summary>
    public int MaxRunningTasks { get; init; } = int.MaxValue;

    /// <summary>Memory, in MiB, running jobs' estimates may add up to across the grid (<c>--max-memory-mb</c>).
    /// Default: no limit beyond the workers' memory.</summary>
    public long MaxMemoryMb { get; init; } = long.MaxValue;

    /// <summary>How often the scheduler re-checks timeouts and workers when nothing wakes it. Default 1 s.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the leader of a cluster re-reads the waiting and running jobs, in case a change notification was
    /// lost. Default 5 s.
    /// </summary>
    public TimeSpan SafetyPoll { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A worker whose last heartbeat is older than this is dead (<c>--worker-dead-after-seconds</c>). Default 5 s.</summary>
    public TimeSpan WorkerDeadAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Attempts a job may start before a lost worker fails it with <c>worker_lost</c>. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxRunningTasks < 1)
        {
            throw new ArgumentException($"--max-running-tasks must be at least 1, got {MaxRunningTasks}");
        }

        if (MaxMemoryMb < 1)
        {
            throw new ArgumentException($"--max-memory-mb must be at least 1, got {MaxMemoryMb}");
        }

        if (Tick <= TimeSpan.Zero || WorkerDeadAfter <= Tick)
        {
            throw new ArgumentException("the worker dead-after time must be longer than the scheduler tick");
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"max attempts must be at least 1, got {MaxAttempts}");
        }
    }
}
