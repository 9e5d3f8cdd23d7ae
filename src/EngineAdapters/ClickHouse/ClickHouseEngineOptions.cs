using System.Collections.Frozen;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>How a <see cref="ClickHouseEngineAdapter"/> talks to its server. Every property has a usable default.</summary>
public sealed record ClickHouseEngineOptions
{
    /// <summary>The defaults.</summary>
    public static ClickHouseEngineOptions Default { get; } = new();

    /// <summary>
    /// How long opening a connection (name resolution and TCP connect) may take before the attempt fails as
    /// transient <c>HERA_CONNECTION</c>. Default 5 seconds; must be positive.
    /// </summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an idle pooled connection is kept. Must stay below the server's HTTP keep-alive timeout (10 s in
    /// Hera's configuration; <c>keep_alive_timeout</c> in config.xml), or a request may be sent on a connection the
    /// server is closing at that moment. Default 5 seconds; must be positive.
    /// </summary>
    public TimeSpan PooledConnectionIdleTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long stopping a statement (on cancellation, early disposal or <see cref="IEngineAdapter.EnsureStoppedAsync"/>)
    /// waits for <c>KILL QUERY … SYNC</c> to confirm. Past it the cancellation is still reported, and the statement
    /// may still be running. Default 10 seconds; must be positive.
    /// </summary>
    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Settings sent with every statement unless <see cref="EngineCommand.Settings"/> sets the same key. Default
    /// <c>join_use_nulls = 1</c>, so an outer join's missing side is NULL as in standard SQL (ClickHouse's own default
    /// fills it with 0 and '').
    /// </summary>
    public IReadOnlyDictionary<string, string> DefaultSettings { get; init; } =
        new Dictionary<string, string> { ["join_use_nulls"] = "1" }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Rows per INSERT request when loading the shop warehouse. Default 50,000; at least 1.</summary>
    public int InsertBatchRows { get; init; } = 50_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a property is outside its documented range.</summary>
    public void Validate()
    {
        RequirePositive(ConnectTimeout, nameof(ConnectTimeout));
        RequirePositive(PooledConnectionIdleTimeout, nameof(PooledConnectionIdleTimeout));
        RequirePositive(KillTimeout, nameof(KillTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(InsertBatchRows, 1, nameof(InsertBatchRows));
        ArgumentNullException.ThrowIfNull(DefaultSettings, nameof(DefaultSettings));
        foreach (var (key, value) in DefaultSettings)
        {
            try
            {
                ClickHouseSettings.Check("options", key, value);
            }
            catch (EngineException exception)
            {
                throw new ArgumentOutOfRangeException(nameof(DefaultSettings), key, exception.Message);
            }
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
