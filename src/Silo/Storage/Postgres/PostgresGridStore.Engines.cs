using System.Text.Json;
using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Storage;
using static Hera.Silo.Storage.GridRows;

namespace Hera.Silo.Storage.Postgres;

/// <summary>Registered engines and run-time parameter layers (tables <c>engines</c> and <c>parameter_layers</c>).</summary>
public sealed partial class PostgresGridStore
{
    /// <inheritdoc />
    public async Task<EngineRecord> EngineUpsertAsync(EngineDefinition definition, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // As for queues: one statement keeps created_at, bumps the version, returns the bookkeeping and notifies.
        await using var upsert = _source.CreateCommand("""
            WITH engine AS (
                INSERT INTO engines AS e (name, kind, connection, max_concurrency, parameters, version, created_at, updated_at)
                VALUES (@name, @kind, @connection, @concurrency, @parameters, 1, @at, @at)
                ON CONFLICT (name) DO UPDATE SET
                    kind = excluded.kind, connection = excluded.connection, max_concurrency = excluded.max_concurrency,
                    parameters = excluded.parameters, version = e.version + 1, updated_at = excluded.updated_at
                RETURNING version, created_at, updated_at
            )
            SELECT version, created_at, updated_at, pg_notify(@channel, @payload) FROM engine
            """);
        var p = upsert.Parameters;
        p.AddWithValue("name", definition.Name);
        p.AddWithValue("kind", definition.Kind);
        p.AddWithValue("connection", definition.Connection);
        p.AddWithValue("concurrency", definition.MaxConcurrency);
        p.AddWithValue("parameters", JsonSerializer.Serialize(definition.Parameters, ValueJson));
        p.AddWithValue("at", Micros(at));
        await AddNotifyAsync(upsert, GridChangeKind.Engine, definition.Name, 0, cancellationToken).ConfigureAwait(false);
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new EngineRecord(definition, reader.GetInt64(0), FromMicros(reader.GetInt64(1)), FromMicros(reader.GetInt64(2)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<EngineRecord>> EngineListAsync(CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand($"SELECT {EngineColumns} FROM engines ORDER BY created_at, name");
        return await ReadAllAsync(select, ReadEngine, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> EngineDeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var delete = _source.CreateCommand("""
            WITH gone AS (DELETE FROM engines WHERE name = @name RETURNING name)
            SELECT pg_notify(@channel, @payload) FROM gone
            """);
        delete.Parameters.AddWithValue("name", name);
        await AddNotifyAsync(delete, GridChangeKind.Engine, name, 0, cancellationToken).ConfigureAwait(false);
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ParameterLayerRecord> ParameterLayerUpsertAsync(
        string layer, string key, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> targets, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var upsert = _source.CreateCommand("""
            WITH entry AS (
                INSERT INTO parameter_layers AS l (layer, key, targets, version, updated_at)
                VALUES (@layer, @key, @targets, 1, @at)
                ON CONFLICT (layer, key) DO UPDATE SET
                    targets = excluded.targets, version = l.version + 1, updated_at = excluded.updated_at
                RETURNING version, updated_at
            )
            SELECT version, updated_at, pg_notify(@channel, @payload) FROM entry
            """);
        upsert.Parameters.AddWithValue("layer", layer);
        upsert.Parameters.AddWithValue("key", key);
        upsert.Parameters.AddWithValue("targets", JsonSerializer.Serialize(targets, ValueJson));
        upsert.Parameters.AddWithValue("at", Micros(at));
        await AddNotifyAsync(upsert, GridChangeKind.Parameters, $"{layer}/{key}", 0, cancellationToken).ConfigureAwait(false);
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new ParameterLayerRecord(layer, key, targets, reader.GetInt64(0), FromMicros(reader.GetInt64(1)));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ParameterLayerRecord>> ParameterLayerListAsync(CancellationToken cancellationToken)
    {
        await using var select = _source.CreateCommand("SELECT layer, key, targets, version, updated_at FROM parameter_layers ORDER BY layer, key");
        return await ReadAllAsync(select, ReadParameterLayer, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> ParameterLayerDeleteAsync(string layer, string key, CancellationToken cancellationToken)
    {
        await using var delete = _source.CreateCommand("""
            WITH gone AS (DELETE FROM parameter_layers WHERE layer = @layer AND key = @key RETURNING key)
            SELECT pg_notify(@channel, @payload) FROM gone
            """);
        delete.Parameters.AddWithValue("layer", layer);
        delete.Parameters.AddWithValue("key", key);
        await AddNotifyAsync(delete, GridChangeKind.Parameters, $"{layer}/{key}", 0, cancellationToken).ConfigureAwait(false);
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
    }
}
