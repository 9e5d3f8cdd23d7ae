namespace Hera.Client;

/// <summary>A queue as the gateway reports it (<c>GET /v1/queues/{name}</c>): its settings, then its live numbers.</summary>
public sealed record HeraQueue
{
    /// <summary>Queue name: 1 to 64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Priority; a higher weight runs first. 0 or more.</summary>
    public double Weight { get; init; }

    /// <summary>Waiting jobs the queue holds before it refuses more with <c>queue_full</c>. At least 1.</summary>
    public int Capacity { get; init; }

    /// <summary>Jobs of the queue that may run at once. At least 1.</summary>
    public int Parallelism { get; init; }

    /// <summary>Fraction of the cluster's memory its running jobs may hold, in (0, 1].</summary>
    public double MaxResourceShare { get; init; }

    /// <summary>Worker pool its jobs run on (<c>core</c> unless set).</summary>
    public required string Pool { get; init; }

    /// <summary><c>open</c> (takes jobs) or <c>closed</c> (refuses them with <c>queue_closed</c>; waiting ones stay).</summary>
    public required string State { get; init; }

    /// <summary>Waiting jobs now.</summary>
    public int Size { get; init; }

    /// <summary>Running jobs now.</summary>
    public int Running { get; init; }

    /// <summary>The scheduler's dynamic factor: how full the queue is relative to its capacity.</summary>
    public double DynamicFactor { get; init; }

    /// <summary>Memory its running jobs hold, in MiB.</summary>
    public long RunningMemoryMb { get; init; }

    /// <summary>Why the queue's next job did not start at the scheduler's last walk; null when nothing held it back.</summary>
    public string? WaitReason { get; init; }

    /// <summary>When the queue was created (UTC).</summary>
    public DateTime CreatedAt { get; init; }

    /// <summary>When its settings last changed (UTC).</summary>
    public DateTime UpdatedAt { get; init; }
}

/// <summary>
/// The body of <c>PUT /v1/queues/{name}</c>. Every member is optional: null ones are not sent and keep the queue's
/// current value (for a new queue, the default: weight 1, capacity 10000, parallelism 64, share 1, pool
/// <c>core</c>, open).
/// </summary>
public sealed record HeraQueueSettings
{
    /// <summary>Priority; a higher weight runs first. Finite, 0 or more.</summary>
    public double? Weight { get; init; }

    /// <summary>Waiting jobs held before <c>queue_full</c>. At least 1.</summary>
    public int? Capacity { get; init; }

    /// <summary>Jobs of the queue running at once. At least 1.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Fraction of the cluster's memory its running jobs may hold, in (0, 1].</summary>
    public double? MaxResourceShare { get; init; }

    /// <summary>Worker pool its jobs run on.</summary>
    public string? Pool { get; init; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string? State { get; init; }
}

/// <summary>The answer to <see cref="HeraClient.PutQueueAsync"/>.</summary>
/// <param name="Queue">The queue as stored after the change.</param>
/// <param name="Created">True when the request created the queue (201), false when it changed an existing one (200).</param>
public sealed record HeraQueuePutResult(HeraQueue Queue, bool Created);
