namespace Hera.Grains.Workers;

/// <summary>Settings of this silo's worker. Validated at start by <see cref="Validate"/>.</summary>
public sealed record WorkerOptions
{
    /// <summary>Worker id, unique in the grid; defaults to the silo id.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Concurrent adhoc task slots (<c>--worker-slots</c>); at least 1. Default: the number of cores.</summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory offered to tasks, in MiB (<c>--worker-memory-mb</c>); used by placement.</summary>
    public int MemoryMb { get; init; } = 1024;

    /// <summary>Attempts a job may start before a lost worker fails it with <c>worker_lost</c>. Default 3.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Safety poll of the dispatch loop when no wake-up arrives. Default 1 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(WorkerId))
        {
            throw new ArgumentException("worker id must not be empty");
        }

        if (Slots < 1)
        {
            throw new ArgumentException($"--worker-slots must be at least 1, got {Slots}");
        }

        if (MemoryMb < 1)
        {
            throw new ArgumentException($"--worker-memory-mb must be at least 1, got {MemoryMb}");
        }

        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"max attempts must be at least 1, got {MaxAttempts}");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("poll interval must be positive");
        }
    }
}
