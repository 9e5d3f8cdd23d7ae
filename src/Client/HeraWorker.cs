namespace Hera.Client;

/// <summary>A worker as of its last heartbeat (<c>GET /v1/workers</c>).</summary>
public sealed record HeraWorker
{
    /// <summary>Worker id.</summary>
    public required string Id { get; init; }

    /// <summary>Id of the silo it runs in.</summary>
    public required string Silo { get; init; }

    /// <summary>Pool it serves; a queue's jobs run only on workers of the queue's pool.</summary>
    public required string Pool { get; init; }

    /// <summary>Memory its running tasks hold, in MiB.</summary>
    public int MemoryUsedMb { get; init; }

    /// <summary>Memory it still offers, in MiB.</summary>
    public int MemoryFreeMb { get; init; }

    /// <summary>Tasks running on it.</summary>
    public int Running { get; init; }

    /// <summary>Its last heartbeat (UTC).</summary>
    public DateTime LastHeartbeat { get; init; }

    /// <summary><c>alive</c>, <c>dead</c> (heartbeats stopped) or <c>stopped</c> (shut down cleanly).</summary>
    public required string State { get; init; }

    /// <summary>Task slots it offers.</summary>
    public int Slots { get; init; }

    /// <summary>Memory it offers to tasks in all, in MiB.</summary>
    public int MemoryMb { get; init; }

    /// <summary>When it started (UTC).</summary>
    public DateTime StartedAt { get; init; }
}
