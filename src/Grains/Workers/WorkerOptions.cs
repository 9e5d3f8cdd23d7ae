namespace Hera.Grains.Workers;

/// <summary>Settings of this silo's worker. Validated at start by <see cref="Validate"/>.</summary>
public sealed record WorkerOptions
{
    /// <summary>Worker id, unique in the grid; defaults to the silo id.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Id of the silo the worker runs in; defaults to the worker id.</summary>
    public string SiloId { get => field ?? WorkerId; init; }

    /// <summary>The pool it serves (<c>--worker-pool</c>); queues of that pool are placed on it. Default <c>core</c>.</summary>
    public string Pool { get; init; } = Interfaces.Queues.QueueDefinition.DefaultPool;

    /// <summary>Concurrent adhoc task slots (<c>--worker-slots</c>); at least 1. Default: the number of cores.</summary>
    public int Slots { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory offered to tasks, in MiB (<c>--worker-memory-mb</c>); used by placement.</summary>
    public int MemoryMb { get; init; } = 1024;

    /// <summary>How often it writes a heartbeat. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a worker in a cluster asks the store for claims made for it, in case their change delivery was
    /// lost (a dropped connection). Default 5 s.
    /// </summary>
    public TimeSpan SafetyPollInterval { get; init; } = TimeSpan.FromSeconds(5);

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

        if (!Interfaces.Queues.QueueDefinition.IsValidName(Pool))
        {
            throw new ArgumentException($"--worker-pool must be 1 to 64 letters, digits, '-', '_' or '.'; got '{Pool}'");
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("heartbeat interval must be positive");
        }
    }
}
