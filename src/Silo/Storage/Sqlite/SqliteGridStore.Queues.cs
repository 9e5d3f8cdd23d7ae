using System.Text.Json;
using Hera.Grains.Interfaces.Queues;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Sqlite;

/// <summary>Queue settings (table <c>queues</c>, migration 0002; routing column <c>engines</c>, migration 0003).</summary>
public sealed partial class SqliteGridStore
{
    /// <inheritdoc />
    public Task<QueueRecord> QueueUpsertAsync(QueueDefinition definition, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                // One statement, no read first: the conflict branch keeps created_at and bumps the version, and
                // RETURNING hands back the stored bookkeeping from the same write.
                using var upsert = Command(connection, transaction, """
                    INSERT INTO queues (name, weight, capacity, parallelism, max_resource_share, pool, state, engines, version, created_at, updated_at)
                    VALUES ($name, $weight, $capacity, $parallelism, $share, $pool, $state, $engines, 1, $at, $at)
                    ON CONFLICT (name) DO UPDATE SET
                        weight = excluded.weight, capacity = excluded.capacity, parallelism = excluded.parallelism,
                        max_resource_share = excluded.max_resource_share, pool = excluded.pool, state = excluded.state,
                        engines = excluded.engines,
                        version = queues.version + 1, updated_at = excluded.updated_at
                    RETURNING version, created_at, updated_at
                    """);
                var p = upsert.Parameters;
                p.AddWithValue("$name", definition.Name);
                p.AddWithValue("$weight", definition.Weight);
                p.AddWithValue("$capacity", definition.Capacity);
                p.AddWithValue("$parallelism", definition.Parallelism);
                p.AddWithValue("$share", definition.MaxResourceShare);
                p.AddWithValue("$pool", definition.Pool);
                p.AddWithValue("$state", definition.State.ToWire());
                p.AddWithValue("$engines", definition.Engines is { Count: > 0 } engines ? JsonSerializer.Serialize(engines, ValueJson) : DBNull.Value);
                p.AddWithValue("$at", Micros(at));
                using var reader = upsert.ExecuteReader();
                reader.Read();
                return new QueueRecord(definition, reader.GetInt64(0), FromMicros(reader.GetInt64(1)), FromMicros(reader.GetInt64(2)));
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<QueueRecord?> QueueGetAsync(string name, CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, $"SELECT {QueueColumns} FROM queues WHERE name = $name");
        select.Parameters.AddWithValue("$name", name);
        using var reader = select.ExecuteReader();
        return Task.FromResult(reader.Read() ? ReadQueue(reader) : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueueRecord>> QueueListAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, $"SELECT {QueueColumns} FROM queues ORDER BY created_at, name");
        return Task.FromResult(ReadAll(select, ReadQueue));
    }
}
