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

    /// <summary>Statements this adapter is running now (its load as Hera sees it).</summary>
    int Running { get; }

    /// <summary>
    /// Makes sure the statement of attempt <paramref name="attemptId"/> (<see cref="EngineCommand.AttemptId"/>) no
    /// longer runs on the engine: stops it if the engine still lists it, then checks again. True when the engine
    /// confirms it is not running (or never was); false when it could not confirm before
    /// <paramref name="cancellationToken"/> fired or the engine did not answer. Used to report whether a race
    /// loser or a timed-out attempt was really stopped.
    /// </summary>
    Task<bool> EnsureStoppedAsync(string attemptId, CancellationToken cancellationToken);
}

/// <summary>A statement for an engine, already in that engine's dialect.</summary>
/// <param name="Sql">The statement text. Bound parameters appear in it as <c>@name</c>.</param>
/// <param name="AttemptId">Unique id of this attempt, made of letters, digits and <c>-</c> (engines that can tag
/// queries use it to find and kill them: ClickHouse's <c>query_id</c>, PostgreSQL's <c>application_name</c>).</param>
/// <param name="Settings">Session settings for this attempt (engine parameters after layering).</param>
/// <param name="Parameters">
/// Values bound to the <c>@name</c> placeholders (key without the <c>@</c>): null, <see cref="long"/>,
/// <see cref="double"/>, <see cref="decimal"/>, <see cref="string"/>, <see cref="bool"/>, <see cref="DateOnly"/>
/// or <see cref="DateTime"/>. Engines with native binding bind them; others render each as a typed, escaped
/// literal, never by pasting text.
/// </param>
public sealed record EngineCommand(
    string Sql,
    string AttemptId,
    IReadOnlyDictionary<string, string>? Settings = null,
    IReadOnlyDictionary<string, object?>? Parameters = null);

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
