namespace Hera.EngineAdapters.Postgres;

/// <summary>
/// How a <see cref="PostgresEngineAdapter"/> runs statements, beyond what its connection string says (host, pool
/// size, timeouts of connecting). Every property has a usable default.
/// </summary>
public sealed record PostgresEngineOptions
{
    /// <summary>The defaults: read-write transactions, stop checks every 50 ms for up to 5 s.</summary>
    public static PostgresEngineOptions Default { get; } = new();

    /// <summary>
    /// Run every statement in a <c>READ ONLY</c> transaction, so a job cannot change data even when the role could
    /// (a write then fails with SQLSTATE 25006, the caller's). Default false: statements may write, and what a
    /// statement wrote is committed once its rows have all been read.
    /// </summary>
    public bool ReadOnly { get; init; }

    /// <summary>
    /// How long <see cref="PostgresEngineAdapter.EnsureStoppedAsync"/> waits, on the server with <c>pg_sleep</c>,
    /// between asking the server to cancel a statement and checking again. Default 50 ms; between 1 ms and 1 s.
    /// </summary>
    public TimeSpan StopCheckInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How many times <see cref="PostgresEngineAdapter.EnsureStoppedAsync"/> checks before answering that it could
    /// not confirm the stop. Default 100 (about 5 s at the default interval); between 1 and 10,000.
    /// </summary>
    public int StopCheckLimit { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a property is outside its documented range.</summary>
    public void Validate()
    {
        if (StopCheckInterval < TimeSpan.FromMilliseconds(1) || StopCheckInterval > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(StopCheckInterval), StopCheckInterval, "StopCheckInterval must be between 1 ms and 1 s.");
        }

        if (StopCheckLimit is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(StopCheckLimit), StopCheckLimit, "StopCheckLimit must be between 1 and 10,000.");
        }
    }
}
