namespace Hera.Client;

/// <summary>
/// How a <see cref="HeraClient"/> behaves beyond plain HTTP. Every feature here is off by default, so a client
/// built without options does exactly one request per call.
/// </summary>
public sealed record HeraClientOptions
{
    /// <summary>Options with every feature off: one request per call, every problem raised at once.</summary>
    public static HeraClientOptions Default { get; } = new();

    /// <summary>
    /// Retrying of <see cref="HeraClient.SubmitAsync"/> when the gateway refuses with <c>queue_full</c>; null (the
    /// default) raises <c>queue_full</c> at once like any other problem.
    /// </summary>
    public QueueFullRetry? QueueFullRetry { get; init; }
}

/// <summary>
/// Opt-in retrying of a submission refused with <c>queue_full</c> (429), with exponential backoff and jitter.
/// </summary>
/// <remarks>
/// Only <c>queue_full</c> is retried because it is the one refusal that is both safe and likely to pass by
/// itself: the gateway stores nothing when it refuses, so resubmitting cannot run the SQL twice, and the queue
/// drains as its jobs start. Everything else is raised at once: other problems (<c>queue_not_found</c>,
/// <c>queue_closed</c>, <c>invalid_sql</c>, ...) give the same answer however often they are asked, and after a 5xx
/// or a broken connection the job may have been stored, so a resubmission could run it twice. The jitter keeps many
/// clients refused at the same moment from coming back at the same moment.
/// </remarks>
public sealed record QueueFullRetry
{
    /// <summary>Retries after the first refusal, so at most this many + 1 submissions; 1 or more. Default 5.</summary>
    public int MaxRetries { get; init; } = 5;

    /// <summary>
    /// Delay before the first retry; each later one doubles it (before jitter). More than zero, at most one day.
    /// Default 1 second.
    /// </summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cap on any one delay; at least <see cref="BaseDelay"/>. Default 30 seconds.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Randomise each delay around its exponential value (Polly's decorrelated jitter), so that clients refused
    /// together spread out. Default true.
    /// </summary>
    public bool UseJitter { get; init; } = true;

    /// <summary>
    /// Called after each refusal that will be retried, before the delay; the retry waits until the returned task
    /// completes. Lets callers log the refusal, and tests make room in the queue. Null for none.
    /// </summary>
    public Func<QueueFullRetryAttempt, ValueTask>? OnRetry { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first member out of its bounds.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetries, 1, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BaseDelay, TimeSpan.Zero, nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BaseDelay, TimeSpan.FromDays(1), nameof(BaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay, nameof(MaxDelay));
    }
}

/// <summary>One <c>queue_full</c> refusal that is about to be retried.</summary>
/// <param name="Attempt">Which retry follows: 1 for the retry after the first refusal, up to <see cref="QueueFullRetry.MaxRetries"/>.</param>
/// <param name="Delay">How long the client waits before that retry.</param>
/// <param name="Exception">The refusal (<see cref="HeraApiException.Code"/> <c>queue_full</c>, status 429).</param>
public sealed record QueueFullRetryAttempt(int Attempt, TimeSpan Delay, HeraApiException Exception);
