namespace Hera.Client;

/// <summary><c>GET /v1/cluster</c>: who leads, the silos with their gateways, and the workers (queues and engines are left to their own calls).</summary>
public sealed record HeraCluster
{
    /// <summary>The leading silo's id; null while no live silo leads.</summary>
    public string? Leader { get; init; }

    /// <summary>The leader's epoch, raised by every new leader.</summary>
    public long? LeaderEpoch { get; init; }

    /// <summary>Since when it leads.</summary>
    public DateTime? LeaderSince { get; init; }

    /// <summary>The silo whose gateway answered.</summary>
    public string AnsweredBy { get; init; } = "";

    /// <summary>Every silo that ever joined, by id.</summary>
    public IReadOnlyList<HeraSilo> Silos { get; init; } = [];

    /// <summary>Every worker the grid has seen.</summary>
    public IReadOnlyList<HeraWorker> Workers { get; init; } = [];
}

/// <summary>A silo's membership entry.</summary>
public sealed record HeraSilo
{
    /// <summary>Silo id.</summary>
    public required string Id { get; init; }

    /// <summary>Its gateway's URL.</summary>
    public required string Address { get; init; }

    /// <summary>Roles it plays.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary><c>alive</c>, <c>dead</c> or <c>stopped</c>.</summary>
    public required string State { get; init; }

    /// <summary>When its last heartbeat was written.</summary>
    public DateTime LastHeartbeat { get; init; }

    /// <summary>When it started.</summary>
    public DateTime StartedAt { get; init; }
}
