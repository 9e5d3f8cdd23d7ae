using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Storage;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Sqlite;

/// <summary>Membership (table <c>silos</c>), leadership (table <c>leader</c>) and change delivery (migration 0004).</summary>
public sealed partial class SqliteGridStore
{
    // The file has one process, so leadership is a gate inside this store instance.
    private readonly SemaphoreSlim _leadership = new(1, 1);

    /// <inheritdoc />
    public async Task ListenAsync(IGridChangeListener listener, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listener);

        // No other process writes this file: every change was published in-process by whoever made it.
        await listener.OnResyncAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Listening ends with the caller.
        }
    }

    /// <inheritdoc />
    public Task SiloUpsertAsync(SiloRecord silo, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                using var upsert = Command(connection, transaction, """
                    INSERT INTO silos (id, address, roles, started_at, last_heartbeat, state)
                    VALUES ($id, $address, $roles, $started, $heartbeat, $state)
                    ON CONFLICT (id) DO UPDATE SET
                        address = excluded.address, roles = excluded.roles, started_at = excluded.started_at,
                        last_heartbeat = excluded.last_heartbeat, state = excluded.state
                    """);
                var p = upsert.Parameters;
                p.AddWithValue("$id", silo.Id);
                p.AddWithValue("$address", silo.Address);
                p.AddWithValue("$roles", string.Join(',', silo.Roles.Order(StringComparer.Ordinal)));
                p.AddWithValue("$started", Micros(silo.StartedAt));
                p.AddWithValue("$heartbeat", Micros(silo.LastHeartbeat));
                p.AddWithValue("$state", silo.State.ToWire());
                return upsert.ExecuteNonQuery();
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<SiloRecord>> SiloListAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, $"SELECT {SiloColumns} FROM silos ORDER BY id");
        return Task.FromResult(ReadAll(select, ReadSilo));
    }

    /// <inheritdoc />
    public Task<bool> SiloMarkDeadAsync(string id, DateTimeOffset lastHeartbeatSeen, CancellationToken cancellationToken) =>
        MarkDeadAsync("silos", id, lastHeartbeatSeen, cancellationToken);

    /// <inheritdoc />
    public async Task<ILeaderLease> LeaderAcquireAsync(string siloId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await _leadership.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var epoch = await WriteAsync(
                (connection, transaction) =>
                {
                    using var upsert = Command(connection, transaction, """
                        INSERT INTO leader (id, silo, epoch, acquired_at) VALUES (1, $silo, 1, $at)
                        ON CONFLICT (id) DO UPDATE SET silo = excluded.silo, epoch = leader.epoch + 1, acquired_at = excluded.acquired_at
                        RETURNING epoch
                        """);
                    upsert.Parameters.AddWithValue("$silo", siloId);
                    upsert.Parameters.AddWithValue("$at", Micros(at));
                    return (long)upsert.ExecuteScalar()!;
                },
                cancellationToken).ConfigureAwait(false);
            return new Lease(this, siloId, epoch);
        }
        catch
        {
            _leadership.Release();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<LeaderRecord?> LeaderGetAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, "SELECT silo, epoch, acquired_at FROM leader WHERE id = 1");
        using var reader = select.ExecuteReader();
        return Task.FromResult(reader.Read() ? new LeaderRecord(reader.GetString(0), reader.GetInt64(1), FromMicros(reader.GetInt64(2))) : null);
    }

    /// <summary>Leadership of the embedded store: held until disposed; never lost, the file having one process.</summary>
    private sealed class Lease(SqliteGridStore store, string siloId, long epoch) : ILeaderLease
    {
        private int _released;

        public long Epoch { get; } = epoch;

        public string SiloId { get; } = siloId;

        public CancellationToken Lost => CancellationToken.None;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                store._leadership.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
