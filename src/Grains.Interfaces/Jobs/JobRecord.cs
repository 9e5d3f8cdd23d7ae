namespace Hera.Grains.Interfaces.Jobs;

/// <summary>
/// A job as persisted in the grid store: its spec plus everything that changes over its life.
/// <see cref="Version"/> increases by one with every write and guards every update (optimistic concurrency).
/// </summary>
public sealed record JobRecord
{
    /// <summary>Opaque, URL-safe, unique id assigned at submission.</summary>
    public required string Id { get; init; }

    /// <summary>What the caller asked for.</summary>
    public required JobSpec Spec { get; init; }

    /// <summary>Current state.</summary>
    public required JobState State { get; init; }

    /// <summary>Why it failed (one of <see cref="JobFailureReasons"/>); null unless <see cref="JobState.Failed"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>Error detail when failed: a stable code and the message (the engine's own for engine errors).</summary>
    public JobError? Error { get; init; }

    /// <summary>Engine of the current or last attempt.</summary>
    public string? Engine { get; init; }

    /// <summary>Worker of the current or last attempt.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Attempts started so far (0 until the first claim).</summary>
    public int Attempts { get; init; }

    /// <summary>Row version; every update compares and increments it.</summary>
    public long Version { get; init; }

    /// <summary>When the gateway accepted it.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>When it most recently entered <see cref="JobState.Waiting"/> (the scheduler's enqueue time).</summary>
    public DateTimeOffset? EnqueuedAt { get; init; }

    /// <summary>When its current or last attempt started running.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it reached a terminal state.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Rows in the result; set when it succeeds.</summary>
    public long? RowCount { get; init; }

    /// <summary>
    /// The scheduler's score when its current or last attempt was started (job weight + dynamic factor + queue
    /// weight, the seed's formula); null until then.
    /// </summary>
    public double? Score { get; init; }

    /// <summary>Result file name relative to the results directory; set when it succeeds.</summary>
    public string? ResultPath { get; init; }
}

/// <summary>The error of a failed job: a stable <paramref name="Code"/> and a human <paramref name="Message"/>.</summary>
public sealed record JobError(string Code, string Message);

/// <summary>One entry of a job's history, appended with every transition.</summary>
/// <param name="Sequence">1-based position in the job's history.</param>
/// <param name="State">The state entered.</param>
/// <param name="At">When.</param>
/// <param name="Detail">Why or where, for an operator (e.g. <c>worker w1 engine local</c>).</param>
public sealed record JobEvent(int Sequence, JobState State, DateTimeOffset At, string? Detail);
