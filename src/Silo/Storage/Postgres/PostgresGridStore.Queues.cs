using System.Text.Json;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Interfaces.Storage;
using Npgsql;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Postgres;

/// <summary>Queue settings and routing (table <c>queues</c>).</summary>
public sealed partial class PostgresGridStore
{
    /// <inheritdoc />
    public async Task<QueueRecord> QueueUpsertAsync(QueueDefinition definition, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // One statement, no read first: the conflict branch keeps created_at and bumps the version, RETURNING hands
        // back the stored bookkeeping, and the notification commits with the write.
        await using var upsert = _source.CreateCommand("""
            WITH queue AS (
                INSERT INTO queues AS q (name, weight, capacity, parallelism, max_resource_share, pool, state, engines, version, created_at, updated_at)
                VALUES (@name, @weight, @capacity, @parallelism, @share, @pool, @state, @engines, 1, @at, @at)
                ON CONFLICT (name) DO UPDATE SET
                    weight = excluded.weight, capacity = excluded.capacity, parallelism = excluded.parallelism,
                    max_resource_share = excluded.max_resource_share, pool = excluded.pool, state = excluded.state,
                    engines = excluded.engines, version = q.version + 1, updated_at = excluded.updated_at
                RETURNING version, created_at, updated_at
            )
            SELECT version, created_at, updated_at, pg_notify(@channel, @payload) FROM queue
            """);
        var p = upsert.Parameters;
        p.AddWithValue("name", definition.Name);
        p.AddWithValue("weight", definition.Weight);
        p.AddWithValue("capacity", definition.Capacity);
        p.AddWithValue("parallelism", definition.Parallelism);
        p.AddWithValue("share", definition.MaxResourceShare);
        p.AddWithValue("pool", definition.Pool);
        p.AddWithValue("state", definition.State.ToWire());
        p.Add(new NpgsqlParameter<string?>("engines", definition.Engines is { Count: > 0 } engines ? JsonSerializer.Serialize(engines, ValueJson) : null));
        p.AddWithValue("at", Micros(at));
        await AddNotifyAsync(upsert, GridChangeKind.Queue, definition.Name, 0, cancellationToken).ConfigureAwait(false);
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new QueueRecord(definition, reader.GetInt64(0), FromMicros(reader.GetInt64(1)), FromMicros(reader.GetInt64(2)));
    }

    /// <inheritdoc />
    public async Task<QueueRecord?> QueueGetAsync(string name, CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand($"SELECT {QueueColumns} FROM queues WHERE name = @name");
        select.Parameters.AddWithValue("name", name);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadQueue(reader) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueueRecord>> QueueListAsync(CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand($"SELECT {QueueColumns} FROM queues ORDER BY created_at, name");
        return await ReadAllAsync(select, ReadQueue, cancellationToken).ConfigureAwait(false);
    }
}
