using System.Diagnostics;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Demo;
using Npgsql;

namespace Hera.EngineAdapters.Postgres;

/// <summary>
/// A PostgreSQL server as a Hera engine, through one pooled <see cref="NpgsqlDataSource"/>. Each
/// <see cref="ExecuteAsync"/> takes its own connection and transaction, tagged with the attempt id as
/// <c>application_name</c> (so <see cref="EnsureStoppedAsync"/> finds it in <c>pg_stat_activity</c>), with the
/// command's settings applied as <c>SET LOCAL</c> (<see cref="PostgresSettings"/>) and its parameters bound natively
/// (<see cref="PostgresParameters"/>). Result types follow <see cref="PostgresTypeMap"/>; failures are classified by
/// SQLSTATE through <see cref="PostgresErrors"/>. What a statement writes is committed once its rows have all been
/// read, and rolled back if the stream is disposed, cancelled or fails before that. A script's statements run in
/// order; the first one that returns columns is the result.
/// </summary>
public sealed class PostgresEngineAdapter : IEngineAdapter, IShopTarget
{
    /// <summary>The <see cref="Kind"/> of every PostgreSQL adapter.</summary>
    public const string EngineKind = "postgres";

    // PostgreSQL keeps application_name to NAMEDATALEN - 1 bytes; attempt ids are ASCII, so bytes are characters.
    private const int MaxApplicationNameLength = 63;

    // Counting the cancel calls' results counts the attempt's active backends and cancels each in one round trip.
    private const string CancelActiveSql =
        "SELECT count(pg_cancel_backend(pid))::int FROM pg_stat_activity " +
        "WHERE application_name = @attempt AND state = 'active' AND pid <> pg_backend_pid()";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresEngineOptions _options;
    private readonly PostgresStatementShapes _shapes = new();
    private int _running;
    private volatile bool _disposed;

    /// <summary>An adapter named <paramref name="name"/> for the server and database of <paramref name="connectionString"/>.</summary>
    /// <param name="name">Registry name, e.g. <c>warehouse</c>; used as <see cref="EngineException.Engine"/>.</param>
    /// <param name="connectionString">An Npgsql connection string (host, port, database, credentials, pool size);
    /// nothing is opened at construction. Malformed strings throw <see cref="ArgumentException"/>.</param>
    /// <param name="options">How statements run; <see cref="PostgresEngineOptions.Default"/> when null.</param>
    public PostgresEngineAdapter(string name, string connectionString, PostgresEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _options = options ?? PostgresEngineOptions.Default;
        _options.Validate();
        Name = name;
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EngineKind;

    /// <summary>Statements started by <see cref="ExecuteAsync"/> whose stream still holds its connection.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Statements started without a describe, their text having run before with a plain result.</summary>
    internal long ShortStarts => _shapes.ShortStarts;

    /// <summary>
    /// Takes a pooled connection, begins a transaction, applies the attempt's tag and settings, describes the
    /// statement (unless the same text ran before with a result of binary-read types only, when the settings and the
    /// statement go together in one round trip) and runs it until its columns are known. <paramref name="cancellationToken"/> cancels the statement
    /// on the server (Npgsql sends a cancel request), now or during any later <see cref="IRowStream.ReadAsync"/>, and
    /// surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<IRowStream> ExecuteAsync(EngineCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await StartAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresShapeChangedException)
        {
            // The short way met a result type it must read as text; the text is forgotten, so this goes the long way.
            return await StartAsync(command, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IRowStream> StartAsync(EngineCommand command, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _running);
        NpgsqlConnection connection;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresErrors.IsEngineFailure(exception))
        {
            Interlocked.Decrement(ref _running);
            throw PostgresErrors.Translate(Name, exception);
        }
        catch
        {
            Interlocked.Decrement(ref _running);
            throw;
        }

        return await PostgresRowStream.StartAsync(
                Name, connection, command, _options, _shapes, () => Interlocked.Decrement(ref _running), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// Makes sure no statement tagged <paramref name="attemptId"/> is active on the server: on a connection of its
    /// own, cancels every such backend (<c>pg_cancel_backend</c>), waits <see cref="PostgresEngineOptions.StopCheckInterval"/>
    /// on the server and checks again, up to <see cref="PostgresEngineOptions.StopCheckLimit"/> times. True once
    /// <c>pg_stat_activity</c> lists none; false when it still does after the last check, when
    /// <paramref name="cancellationToken"/> fires, or when the server does not answer.
    /// </summary>
    public async Task<bool> EnsureStoppedAsync(string attemptId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(attemptId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var tag = attemptId.Length > MaxApplicationNameLength ? attemptId[..MaxApplicationNameLength] : attemptId;
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var cancel = new NpgsqlCommand(CancelActiveSql, connection);
            cancel.Parameters.AddWithValue("attempt", tag);
            await using var wait = new NpgsqlCommand("SELECT pg_sleep(@seconds)", connection);
            wait.Parameters.AddWithValue("seconds", _options.StopCheckInterval.TotalSeconds);
            for (var check = 0; check < _options.StopCheckLimit; check++)
            {
                // Cancelling again on every check is harmless and covers a backend that was between statements.
                if (await CountActiveAsync(cancel, cancellationToken).ConfigureAwait(false) == 0)
                {
                    return true;
                }

                await wait.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception) when (PostgresErrors.IsEngineFailure(exception))
        {
            return false;
        }
    }

    /// <summary>Loads the shop warehouse into this database (see <see cref="PostgresShopLoader"/>).</summary>
    public Task<ShopLoadInfo> LoadShopAsync(ShopGenerator generator, IProgress<ShopLoadProgress>? progress, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return PostgresShopLoader.LoadAsync(_dataSource, Name, generator, progress, cancellationToken);
    }

    /// <summary>
    /// Takes a connection and runs <c>SELECT version()</c>. <see cref="EngineHealth.LatencyMs"/> covers taking the
    /// connection (opening one when the pool has none idle) and the round trip; the detail is the server's version
    /// string, or the failure's code and message when unhealthy. Never throws for engine failures.
    /// </summary>
    public async Task<EngineHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT version()", connection);
            var version = (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return new EngineHealth(true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, version);
        }
        catch (Exception exception) when (PostgresErrors.IsEngineFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            var failure = PostgresErrors.Translate(Name, exception);
            return new EngineHealth(
                false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{failure.EngineCode}: {failure.Message}");
        }
    }

    /// <summary>
    /// Stops accepting statements and closes the pool's idle connections. Streams already returned stay valid and
    /// give their connections back when released.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<int> CountActiveAsync(NpgsqlCommand cancel, CancellationToken cancellationToken)
    {
        await using var reader = await cancel.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return reader.GetInt32(0);
    }
}
