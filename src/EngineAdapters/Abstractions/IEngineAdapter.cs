using Hera.Grains.Interfaces.Results;

namespace Hera.EngineAdapters.Abstractions;

/// <summary>
/// One SQL engine as Hera drives it: runs a statement and streams its rows (never the whole result in memory),
/// honours cancellation on the engine itself, and reports health. Implementations are thread-safe; each
/// <see cref="ExecuteAsync"/> call uses its own connection.
/// </summary>
public interface IEngineAdapter : IAsyncDisposable
{
    /// <summary>Registry name, e.g. <c>local</c>.</summary>
    string Name { get; }

    /// <summary>Engine kind: <c>sqlite</c>, <c>postgres</c> or <c>clickhouse</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// Starts <paramref name="command"/> and returns its open row stream once the engine has accepted the
    /// statement and the column list is known. Cancelling <paramref name="cancellationToken"/> (here or while
    /// reading) stops the statement on the engine. Failures are thrown as <see cref="EngineException"/>.
    /// </summary>
    Task<IRowStream> ExecuteAsync(EngineCommand command, CancellationToken cancellationToken);

    /// <summary>Whether the engine answers now, and how fast.</summary>
    Task<EngineHealth> CheckHealthAsync(CancellationToken cancellationToken);
}

/// <summary>A statement for an engine, already in that engine's dialect.</summary>
/// <param name="Sql">The statement text.</param>
/// <param name="AttemptId">Unique id of this attempt (engines that can tag queries use it to find and kill them).</param>
/// <param name="Settings">Session settings for this attempt (engine parameters after layering).</param>
public sealed record EngineCommand(string Sql, string AttemptId, IReadOnlyDictionary<string, string>? Settings = null);

/// <summary>
/// The rows of a running statement, read forward only. <see cref="Columns"/> is known before the first row.
/// Values of the current row stay valid until the next <see cref="ReadAsync"/>. Disposing it ends the
/// statement on the engine if it is still running.
/// </summary>
public interface IRowStream : IAsyncDisposable
{
    /// <summary>Column names and engine-neutral types (see <see cref="ResultTypes"/>).</summary>
    IReadOnlyList<ResultColumn> Columns { get; }

    /// <summary>Advances to the next row; false at the end. Engine failures surface as <see cref="EngineException"/>.</summary>
    ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The current row's value at <paramref name="ordinal"/>: null, <see cref="long"/>, <see cref="double"/>,
    /// <see cref="decimal"/>, <see cref="string"/>, <see cref="bool"/>, <see cref="byte"/>[],
    /// <see cref="DateOnly"/> (date) or <see cref="DateTime"/> (timestamp, unspecified kind).
    /// </summary>
    object? GetValue(int ordinal);
}

/// <summary>An engine's health as last checked.</summary>
/// <param name="Healthy">True when the engine answered a trivial statement.</param>
/// <param name="LatencyMs">Round-trip time of that statement, in milliseconds.</param>
/// <param name="Detail">The failure when not healthy, else a short description (version).</param>
public sealed record EngineHealth(bool Healthy, double LatencyMs, string? Detail);
