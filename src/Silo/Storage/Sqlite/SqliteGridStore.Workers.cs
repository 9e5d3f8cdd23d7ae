using Hera.Grains.Interfaces.Workers;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Sqlite;

/// <summary>Worker heartbeats (table <c>workers</c>, migration 0002).</summary>
public sealed partial class SqliteGridStore
{
    /// <inheritdoc />
    public Task WorkerUpsertAsync(WorkerRecord worker, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                using var upsert = Command(connection, transaction, """
                    INSERT INTO workers (id, silo, pool, slots, memory_mb, running, memory_used_mb, started_at, last_heartbeat, state)
                    VALUES ($id, $silo, $pool, $slots, $memory, $running, $used, $started, $heartbeat, $state)
                    ON CONFLICT (id) DO UPDATE SET
                        silo = excluded.silo, pool = excluded.pool, slots = excluded.slots, memory_mb = excluded.memory_mb,
                        running = excluded.running, memory_used_mb = excluded.memory_used_mb,
                        started_at = excluded.started_at, last_heartbeat = excluded.last_heartbeat, state = excluded.state
                    """);
                var p = upsert.Parameters;
                p.AddWithValue("$id", worker.Id);
                p.AddWithValue("$silo", worker.Silo);
                p.AddWithValue("$pool", worker.Pool);
                p.AddWithValue("$slots", worker.Slots);
                p.AddWithValue("$memory", worker.MemoryMb);
                p.AddWithValue("$running", worker.Running);
                p.AddWithValue("$used", worker.MemoryUsedMb);
                p.AddWithValue("$started", Micros(worker.StartedAt));
                p.AddWithValue("$heartbeat", Micros(worker.LastHeartbeat));
                p.AddWithValue("$state", worker.State.ToWire());
                return upsert.ExecuteNonQuery();
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkerRecord>> WorkerListAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, $"SELECT {WorkerColumns} FROM workers ORDER BY id");
        return Task.FromResult(ReadAll(select, ReadWorker));
    }

    /// <inheritdoc />
    public Task<bool> WorkerMarkDeadAsync(string id, DateTimeOffset lastHeartbeatSeen, CancellationToken cancellationToken) =>
        MarkDeadAsync("workers", id, lastHeartbeatSeen, cancellationToken);

    // Workers and silos alike: dead only at the heartbeat the caller saw, so a heartbeat written since (which proves
    // it alive) wins over a verdict taken on older data. Worker and silo states share their wire names.
    private Task<bool> MarkDeadAsync(string table, string id, DateTimeOffset lastHeartbeatSeen, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                using var update = Command(connection, transaction, $"UPDATE {table} SET state = $dead WHERE id = $id AND last_heartbeat = $heartbeat AND state = $alive");
                update.Parameters.AddWithValue("$id", id);
                update.Parameters.AddWithValue("$heartbeat", Micros(lastHeartbeatSeen));
                update.Parameters.AddWithValue("$dead", WorkerState.Dead.ToWire());
                update.Parameters.AddWithValue("$alive", WorkerState.Alive.ToWire());
                return update.ExecuteNonQuery() == 1;
            },
            cancellationToken);
}
