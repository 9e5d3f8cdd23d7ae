namespace Hera.Grains.Interfaces.Workers;

/// <summary>Whether a worker is taking part: alive while its heartbeats arrive, dead once they stop.</summary>
public enum WorkerState
{
    /// <summary>Heartbeats arrive; placement may choose it.</summary>
    Alive,

    /// <summary>Its heartbeats stopped; its running jobs were handed back. A later heartbeat makes it alive again.</summary>
    Dead,

    /// <summary>It stopped on purpose (graceful shutdown) and handed its jobs back itself.</summary>
    Stopped,
}

/// <summary>Wire names of <see cref="WorkerState"/>: <c>alive</c>, <c>dead</c>, <c>stopped</c>.</summary>
public static class WorkerStateNames
{
    /// <summary>The wire name of a state.</summary>
    public static string ToWire(this WorkerState state) => state switch
    {
        WorkerState.Alive => "alive",
        WorkerState.Dead => "dead",
        WorkerState.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a wire name (case-sensitive); false for anything else.</summary>
    public static bool TryParse(string? wire, out WorkerState state)
    {
        foreach (var candidate in Enum.GetValues<WorkerState>())
        {
            if (candidate.ToWire() == wire)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}

/// <summary>
/// A worker grain's last heartbeat, as persisted in the grid store and shown by <c>GET /v1/workers</c>: what it
/// offers (slots, memory, pool) and what its running tasks use. Written by the worker every second; the
/// scheduler marks it <see cref="WorkerState.Dead"/> when heartbeats stop.
/// </summary>
public sealed record WorkerRecord
{
    /// <summary>Worker id, unique in the grid (the silo id by default).</summary>
    public required string Id { get; init; }

    /// <summary>Id of the silo it runs in.</summary>
    public required string Silo { get; init; }

    /// <summary>Pool it serves (<c>core</c>, <c>non-core</c> or any name).</summary>
    public required string Pool { get; init; }

    /// <summary>Adhoc task slots it offers.</summary>
    public required int Slots { get; init; }

    /// <summary>Memory it offers to tasks, in MiB.</summary>
    public required int MemoryMb { get; init; }

    /// <summary>Attempts running on it at the heartbeat.</summary>
    public int Running { get; init; }

    /// <summary>Memory estimated for its running tasks at the heartbeat, in MiB (each job's <c>memoryMb</c>, else its type's default).</summary>
    public int MemoryUsedMb { get; init; }

    /// <summary>Memory it offers minus what its running tasks are estimated to use, in MiB (never negative).</summary>
    public int MemoryFreeMb => Math.Max(0, MemoryMb - MemoryUsedMb);

    /// <summary>When this worker process started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When its last heartbeat was written.</summary>
    public required DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>Alive, dead or stopped.</summary>
    public WorkerState State { get; init; } = WorkerState.Alive;
}
