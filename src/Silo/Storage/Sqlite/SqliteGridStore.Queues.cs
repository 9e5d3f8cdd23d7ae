using System.Data.Common;
using System.Text.Json;
using Hera.Grains.Interfaces.Queues;

namespace Hera.Silo.Storage.Sqlite;

/// <summary>Queue settings (table <c>queues</c>, migration 0002; routing column <c>engines</c>, migration 0003).</summary>
public sealed partial class SqliteGridStore
{
    private const string QueueColumns =
        "name, weight, capacity, parallelism, max_resource_share, pool, state, version, created_at, updated_at, engines";

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
        var queues = new List<QueueRecord>();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            queues.Add(ReadQueue(reader));
        }

        return Task.FromResult<IReadOnlyList<QueueRecord>>(queues);
    }

    private static QueueRecord ReadQueue(DbDataReader r)
    {
        // An unknown state must not read as "open": that would silently reopen a closed queue.
        if (!QueueStateNames.TryParse(r.GetString(6), out var state))
        {
            throw new InvalidDataException($"queue '{r.GetString(0)}' has unknown state '{r.GetString(6)}'");
        }

        // NULL is a queue without routing, including every queue stored before migration 0003.
        var engines = r.IsDBNull(10) ? null : JsonSerializer.Deserialize<string[]>(r.GetString(10), ValueJson);
        var definition = new QueueDefinition(r.GetString(0), r.GetDouble(1), r.GetInt32(2), r.GetInt32(3), r.GetDouble(4), r.GetString(5), state, engines);
        return new QueueRecord(definition, r.GetInt64(7), FromMicros(r.GetInt64(8)), FromMicros(r.GetInt64(9)));
    }
}
