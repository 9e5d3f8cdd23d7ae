using System.Text.Json;
using Hera.Grains.Interfaces.Engines;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Sqlite;

/// <summary>Registered engines and run-time parameter layers (tables <c>engines</c> and <c>parameter_layers</c>,
/// migration 0003).</summary>
public sealed partial class SqliteGridStore
{
    /// <inheritdoc />
    public Task<EngineRecord> EngineUpsertAsync(EngineDefinition definition, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                // As for queues: one statement keeps created_at, bumps the version and returns the bookkeeping.
                using var upsert = Command(connection, transaction, """
                    INSERT INTO engines (name, kind, connection, max_concurrency, parameters, version, created_at, updated_at)
                    VALUES ($name, $kind, $connection, $concurrency, $parameters, 1, $at, $at)
                    ON CONFLICT (name) DO UPDATE SET
                        kind = excluded.kind, connection = excluded.connection, max_concurrency = excluded.max_concurrency,
                        parameters = excluded.parameters, version = engines.version + 1, updated_at = excluded.updated_at
                    RETURNING version, created_at, updated_at
                    """);
                var p = upsert.Parameters;
                p.AddWithValue("$name", definition.Name);
                p.AddWithValue("$kind", definition.Kind);
                p.AddWithValue("$connection", definition.Connection);
                p.AddWithValue("$concurrency", definition.MaxConcurrency);
                p.AddWithValue("$parameters", JsonSerializer.Serialize(definition.Parameters, ValueJson));
                p.AddWithValue("$at", Micros(at));
                using var reader = upsert.ExecuteReader();
                reader.Read();
                return new EngineRecord(definition, reader.GetInt64(0), FromMicros(reader.GetInt64(1)), FromMicros(reader.GetInt64(2)));
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<EngineRecord>> EngineListAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, $"SELECT {EngineColumns} FROM engines ORDER BY created_at, name");
        return Task.FromResult(ReadAll(select, ReadEngine));
    }

    /// <inheritdoc />
    public Task<bool> EngineDeleteAsync(string name, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                using var delete = Command(connection, transaction, "DELETE FROM engines WHERE name = $name");
                delete.Parameters.AddWithValue("$name", name);
                return delete.ExecuteNonQuery() == 1;
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<ParameterLayerRecord> ParameterLayerUpsertAsync(
        string layer, string key, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> targets, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                using var upsert = Command(connection, transaction, """
                    INSERT INTO parameter_layers (layer, key, targets, version, updated_at)
                    VALUES ($layer, $key, $targets, 1, $at)
                    ON CONFLICT (layer, key) DO UPDATE SET
                        targets = excluded.targets, version = parameter_layers.version + 1, updated_at = excluded.updated_at
                    RETURNING version, updated_at
                    """);
                upsert.Parameters.AddWithValue("$layer", layer);
                upsert.Parameters.AddWithValue("$key", key);
                upsert.Parameters.AddWithValue("$targets", JsonSerializer.Serialize(targets, ValueJson));
                upsert.Parameters.AddWithValue("$at", Micros(at));
                using var reader = upsert.ExecuteReader();
                reader.Read();
                return new ParameterLayerRecord(layer, key, targets, reader.GetInt64(0), FromMicros(reader.GetInt64(1)));
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ParameterLayerRecord>> ParameterLayerListAsync(CancellationToken cancellationToken)
    {
        using var connection = Open();
        using var select = Command(connection, null, "SELECT layer, key, targets, version, updated_at FROM parameter_layers ORDER BY layer, key");
        return Task.FromResult(ReadAll(select, ReadParameterLayer));
    }

    /// <inheritdoc />
    public Task<bool> ParameterLayerDeleteAsync(string layer, string key, CancellationToken cancellationToken) =>
        WriteAsync(
            (connection, transaction) =>
            {
                using var delete = Command(connection, transaction, "DELETE FROM parameter_layers WHERE layer = $layer AND key = $key");
                delete.Parameters.AddWithValue("$layer", layer);
                delete.Parameters.AddWithValue("$key", key);
                return delete.ExecuteNonQuery() == 1;
            },
            cancellationToken);
}
