using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Hera.Silo.Storage.Postgres;

/// <summary>
/// The cluster grid store: PostgreSQL through Npgsql, shared by every silo of a cluster. Each operation is one
/// round trip where it can be: a write and its history and its change notification go in one statement
/// (data-modifying CTEs), so they commit together and the NOTIFY leaves only on commit. Pooled connections serve
/// every operation; leadership and listening each hold a dedicated, unpooled connection with TCP keepalives.
/// The connection string's <c>Search Path</c> names the grid's schema; channels and advisory locks are scoped to
/// it, so grids (and test runs) can share one database.
/// </summary>
// Plumbing and migrations live here; jobs in PostgresGridStore.Jobs.cs, queues, workers, engines and cluster state in
// their own files, change delivery in PostgresGridStore.Listen.cs.
public sealed partial class PostgresGridStore : IGridStore
{
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlDataSource _dedicated;
    private readonly ILogger _logger;

    // Names this instance in its notifications, so its own listener can skip them.
    private readonly string _origin = Guid.NewGuid().ToString("N")[..16];

    private Task<PostgresScope>? _scope;

    /// <summary>
    /// A store over the database named by <paramref name="connectionString"/> (an Npgsql connection string, e.g.
    /// <c>Host=db;Database=hera;Username=hera;Password=...;Search Path=grid</c>). The schema must exist; call
    /// <see cref="MigrateAsync"/> first. <paramref name="logger"/> hears of lost sessions (listening, leadership).
    /// </summary>
    public PostgresGridStore(string connectionString, ILogger<PostgresGridStore>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _reconnect = BuildReconnect(_logger);
        var pooled = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(pooled.ApplicationName))
        {
            pooled.ApplicationName = "hera";
        }

        // A job's life is a handful of the same few statements: prepared once per connection, they skip parsing
        // and planning on every later call. An operator's own setting wins.
        if (pooled.MaxAutoPrepare == 0)
        {
            pooled.MaxAutoPrepare = 32;
            pooled.AutoPrepareMinUsages = 2;
        }

        // No operation leaves session state behind (no SET, temp tables, LISTEN or advisory locks on pooled
        // connections), so the reset Npgsql would send on every reuse is a wasted statement: it doubled what an
        // idle silo costs the server.
        pooled.NoResetOnClose = true;
        _source = NpgsqlDataSource.Create(pooled);

        // Long-lived sessions (the leader's lock, the listener): never pooled, so closing one really ends the session
        // (and releases its advisory lock); TCP keepalives notice a peer that vanished without closing.
        var dedicated = new NpgsqlConnectionStringBuilder(pooled.ConnectionString)
        {
            Pooling = false,
            MaxAutoPrepare = 0,
            TcpKeepAlive = true,
            TcpKeepAliveTime = 5,
            TcpKeepAliveInterval = 1,
        };
        _dedicated = NpgsqlDataSource.Create(dedicated);
    }

    /// <inheritdoc />
    public string Name => "postgres";

    /// <inheritdoc />
    public bool SupportsListenNotify => true;

    /// <inheritdoc />
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var version = await PostgresMigrator.ApplyAsync(connection, scope, cancellationToken).ConfigureAwait(false);

        // A migration may have changed tables this pool's statements were prepared against.
        _source.Clear();
        return version;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync().ConfigureAwait(false);
        await _dedicated.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The grid's schema and what is scoped to it, read once per store (one round trip, the first time).</summary>
    private Task<PostgresScope> ScopeAsync(CancellationToken cancellationToken)
    {
        var scope = _scope;
        if (scope is null || scope.IsFaulted || scope.IsCanceled)
        {
            // Not tied to one caller's token: every caller shares the result. A failure is retried by the next call.
            _scope = scope = ResolveScopeAsync();
        }

        return scope.IsCompletedSuccessfully ? scope : scope.WaitAsync(cancellationToken);
    }

    private async Task<PostgresScope> ResolveScopeAsync()
    {
        await using var command = _source.CreateCommand("SELECT current_schema()");
        return await command.ExecuteScalarAsync().ConfigureAwait(false) is string schema
            ? new PostgresScope(schema)
            : throw new InvalidOperationException(
                "no schema named by the connection's Search Path exists: create it before starting the grid (or leave Search Path out to use public)");
    }

    /// <summary>Adds the <c>@channel</c> and <c>@payload</c> parameters of a statement's <c>pg_notify</c>.</summary>
    private async ValueTask AddNotifyAsync(NpgsqlCommand command, GridChangeKind kind, string key, long version, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("channel", scope.Channel);
        command.Parameters.AddWithValue("payload", GridChangePayload.Format(_origin, kind, key, version));
    }

    /// <summary>Adds the <c>@channel</c> and <c>@payload</c> parameters of a job write's <c>pg_notify</c>, the record included.</summary>
    private async ValueTask AddJobNotifyAsync(NpgsqlCommand command, JobRecord job, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        command.Parameters.AddWithValue("channel", scope.Channel);
        command.Parameters.AddWithValue("payload", GridChangePayload.FormatJob(_origin, job));
    }

    private static object Db(object? value) => value ?? DBNull.Value;
}
