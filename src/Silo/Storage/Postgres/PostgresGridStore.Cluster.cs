using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Storage;
using Npgsql;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Postgres;

/// <summary>Membership (table <c>silos</c>) and leadership (table <c>leader</c> and a session advisory lock).</summary>
public sealed partial class PostgresGridStore
{
    /// <summary>
    /// How long one wait for the leader's lock may last before it is asked again (5 s). A statement waiting on a lock
    /// holds a snapshot, and with it the database's xmin horizon: a standby waiting for days in one statement would
    /// stop vacuum from cleaning the busy jobs table. Asking again every few seconds keeps the horizon moving.
    /// </summary>
    internal TimeSpan LockWaitSlice { get; init; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public async Task SiloUpsertAsync(SiloRecord silo, CancellationToken cancellationToken)
    {
        await using var upsert = _source.CreateCommand("""
            INSERT INTO silos (id, address, roles, started_at, last_heartbeat, state)
            VALUES (@id, @address, @roles, @started, @heartbeat, @state)
            ON CONFLICT (id) DO UPDATE SET
                address = excluded.address, roles = excluded.roles, started_at = excluded.started_at,
                last_heartbeat = excluded.last_heartbeat, state = excluded.state
            """);
        var p = upsert.Parameters;
        p.AddWithValue("id", silo.Id);
        p.AddWithValue("address", silo.Address);
        p.AddWithValue("roles", string.Join(',', silo.Roles.Order(StringComparer.Ordinal)));
        p.AddWithValue("started", Micros(silo.StartedAt));
        p.AddWithValue("heartbeat", Micros(silo.LastHeartbeat));
        p.AddWithValue("state", silo.State.ToWire());
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<SiloRecord>> SiloListAsync(CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand($"SELECT {SiloColumns} FROM silos ORDER BY id");
        return await ReadAllAsync(select, ReadSilo, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> SiloMarkDeadAsync(string id, DateTimeOffset lastHeartbeatSeen, CancellationToken cancellationToken) =>
        MarkDeadAsync("silos", id, lastHeartbeatSeen, cancellationToken);

    /// <inheritdoc />
    public async Task<ILeaderLease> LeaderAcquireAsync(string siloId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(cancellationToken).ConfigureAwait(false);

        // A session of its own: the advisory lock lives exactly as long as this session, and a pooled connection
        // would hand the lock to whoever used it next.
        var connection = await _dedicated.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long? epoch;
            do
            {
                epoch = await TryAcquireAsync(connection, scope, siloId, at, cancellationToken).ConfigureAwait(false);
            }
            while (epoch is null);

            return PostgresLeaderLease.Start(connection, scope.LeaderKey, siloId, epoch.Value, _logger);
        }
        catch
        {
            // Closing the session releases the lock if the cancel came too late to stop the wait.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public async Task<LeaderRecord?> LeaderGetAsync(CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand("SELECT silo, epoch, acquired_at FROM leader WHERE id = 1");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new LeaderRecord(reader.GetString(0), reader.GetInt64(1), FromMicros(reader.GetInt64(2)))
            : null;
    }

    /// <summary>
    /// One slice of the wait for the leader's lock, in one round trip: bound the wait, take the lock, then raise the
    /// epoch and notify. Returns the new epoch, or null when the slice ran out with the lock still held elsewhere.
    /// Cancelling the token makes Npgsql send a cancel request, which ends the wait at once.
    /// </summary>
    private async Task<long?> TryAcquireAsync(NpgsqlConnection connection, PostgresScope scope, string siloId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var timeout = new NpgsqlBatchCommand("SELECT set_config('lock_timeout', @timeout, false)");
        timeout.Parameters.AddWithValue("timeout", $"{(int)LockWaitSlice.TotalMilliseconds}ms");
        var take = new NpgsqlBatchCommand("SELECT pg_advisory_lock(@key)");
        take.Parameters.AddWithValue("key", scope.LeaderKey);

        // A statement of its own, after the lock: its snapshot then sees the epoch the previous leader left.
        var record = new NpgsqlBatchCommand("""
            WITH l AS (
                INSERT INTO leader AS l (id, silo, epoch, acquired_at) VALUES (1, @silo, 1, @at)
                ON CONFLICT (id) DO UPDATE SET silo = excluded.silo, epoch = l.epoch + 1, acquired_at = excluded.acquired_at
                RETURNING epoch
            )
            SELECT epoch, pg_notify(@channel, @payload) FROM l
            """);
        record.Parameters.AddWithValue("silo", siloId);
        record.Parameters.AddWithValue("at", Micros(at));
        record.Parameters.AddWithValue("channel", scope.Channel);
        record.Parameters.AddWithValue("payload", GridChangePayload.Format(_origin, GridChangeKind.Leader, siloId));
        batch.BatchCommands.Add(timeout);
        batch.BatchCommands.Add(take);
        batch.BatchCommands.Add(record);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return reader.GetInt64(0);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            return null;
        }
    }
}
