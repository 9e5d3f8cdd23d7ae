using Hera.Grains.Interfaces.Jobs;

namespace Hera.Client;

/// <summary>A job as the gateway reports it (<c>GET /v1/jobs/{id}</c>).</summary>
public sealed record HeraJob
{
    /// <summary>Job id.</summary>
    public required string Id { get; init; }

    /// <summary>Queue name.</summary>
    public required string Queue { get; init; }

    /// <summary>Task type.</summary>
    public required string Type { get; init; }

    /// <summary>Wire state: <c>new, waiting, running, succeed, failed</c>.</summary>
    public required string State { get; init; }

    /// <summary>Failure reason when failed.</summary>
    public string? Reason { get; init; }

    /// <summary>Engine of the current or last attempt.</summary>
    public string? Engine { get; init; }

    /// <summary>Attempts started.</summary>
    public int Attempts { get; init; }

    /// <summary>Scheduler score while waiting, when the scheduler computes one.</summary>
    public double? Score { get; init; }

    /// <summary>
    /// Why a waiting job has not started, as of the scheduler's last walk (e.g. <c>queue parallelism 1/1</c>,
    /// <c>no live worker in pool 'ghost'</c>); null when it is not waiting or nothing held it back.
    /// </summary>
    public string? WaitReason { get; init; }

    /// <summary>Submission time (UTC).</summary>
    public DateTime SubmittedAt { get; init; }

    /// <summary>Start of the current or last attempt.</summary>
    public DateTime? StartedAt { get; init; }

    /// <summary>When it finished.</summary>
    public DateTime? FinishedAt { get; init; }

    /// <summary>Rows in the result when succeeded.</summary>
    public long? RowCount { get; init; }

    /// <summary>Error when failed.</summary>
    public JobError? Error { get; init; }

    /// <summary>History, oldest first.</summary>
    public IReadOnlyList<HeraJobEvent> Events { get; init; } = [];

    /// <summary>True when succeed or failed.</summary>
    public bool IsFinished => State is "succeed" or "failed";
}

/// <summary>One history entry.</summary>
public sealed record HeraJobEvent(string State, DateTime At, string? Detail);

/// <summary>The answer to a cancel.</summary>
public sealed record HeraCancelResult(bool Cancelled, string Detail, HeraJob Job);

/// <summary>What to submit: the body of <c>POST /v1/jobs</c>. Only <see cref="Sql"/> is required.</summary>
public sealed record HeraJobRequest
{
    /// <summary>SQL to run.</summary>
    public required string Sql { get; init; }

    /// <summary>Queue; null for <c>default</c>.</summary>
    public string? Queue { get; init; }

    /// <summary>Task type; null for <c>adhoc</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Candidate engines in order.</summary>
    public IReadOnlyList<string>? Engines { get; init; }

    /// <summary><c>failover</c> or <c>race</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Timeout in seconds.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Memory estimate in MiB.</summary>
    public int? MemoryMb { get; init; }

    /// <summary>Engine parameters for this task.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Labels such as <c>business</c> and <c>account</c>.</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary><c>trino</c> (the gateway's default: parsed and rewritten for each engine) or <c>native</c> (sent as written).</summary>
    public string? Dialect { get; init; }
}
