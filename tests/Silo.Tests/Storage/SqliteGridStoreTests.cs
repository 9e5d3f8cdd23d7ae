using System.Text.Json;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Interfaces.Storage;
using Hera.Silo.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Hera.Silo.Tests.Storage;

/// <summary>The SQLite store against the conformance suite, each test on a fresh file.</summary>
public sealed class SqliteGridStoreTests : GridStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IGridStore> CreateStoreAsync()
    {
        var store = SqliteGridStore.InDirectory(_directory.Path);
        await store.MigrateAsync(default);
        return store;
    }

    protected override async Task<IGridStore> OpenSameDatabaseAsync()
    {
        var store = SqliteGridStore.InDirectory(_directory.Path);
        await store.MigrateAsync(default);
        return store;
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_file_at_version_1_upgrades_keeping_its_jobs_and_gains_the_default_queue()
    {
        var file = Path.Combine(_directory.Path, "v1.db");
        await using var store = new SqliteGridStore($"Data Source={file}");
        WriteVersion1File(file);

        var version = await store.MigrateAsync(default);

        Assert.Equal(SqliteMigrator.Migrations[^1].Version, version);
        var job = await store.JobGetAsync("old", default);
        Assert.Equal(JobState.Waiting, job!.State);
        Assert.Null(job.Score);
        Assert.Equal(QueueDefinition.WithDefaults("default"), (await store.QueueGetAsync("default", default))!.Definition);
    }

    [Fact]
    public async Task A_file_at_version_2_upgrades_keeping_its_queues_with_empty_routing_and_gains_the_engine_tables()
    {
        var file = Path.Combine(_directory.Path, "v2.db");
        await using var store = new SqliteGridStore($"Data Source={file}");
        WriteVersion2File(file);

        var version = await store.MigrateAsync(default);

        Assert.Equal(SqliteMigrator.Migrations[^1].Version, version);
        var queue = await store.QueueGetAsync("etl", default);
        Assert.NotNull(queue);
        Assert.Equal(("etl", 2.5, 100, 4, 0.5, "non-core", QueueState.Closed), (queue.Definition.Name, queue.Definition.Weight, queue.Definition.Capacity, queue.Definition.Parallelism, queue.Definition.MaxResourceShare, queue.Definition.Pool, queue.Definition.State));
        Assert.Equal((3L, DateTimeOffset.UnixEpoch.AddTicks(10), DateTimeOffset.UnixEpoch.AddTicks(20)), (queue.Version, queue.CreatedAt, queue.UpdatedAt));
        Assert.Empty(queue.Definition.Routing);
        Assert.Equal(["default", "etl"], (await store.QueueListAsync(default)).Select(q => q.Definition.Name));
        Assert.Empty(await store.EngineListAsync(default));
        Assert.Empty(await store.ParameterLayerListAsync(default));
    }

    /// <summary>A grid file as the silo wrote it before migration 0003: schema 2 and one closed queue.</summary>
    private static void WriteVersion2File(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SqliteMigrator.Migrations.Single(m => m.Version == 1).Sql + ";\n"
            + SqliteMigrator.Migrations.Single(m => m.Version == 2).Sql + """
            ;
            CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
            INSERT INTO schema_migrations VALUES (1, 'jobs', 0), (2, 'queues_workers', 0);
            INSERT INTO queues (name, weight, capacity, parallelism, max_resource_share, pool, state, version, created_at, updated_at)
            VALUES ('etl', 2.5, 100, 4, 0.5, 'non-core', 'closed', 3, 1, 2);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>A grid file as the silo wrote it before migration 0002: schema 1 and one waiting job.</summary>
    private static void WriteVersion1File(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = SqliteMigrator.Migrations.Single(m => m.Version == 1).Sql + """
            ;
            CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
            INSERT INTO schema_migrations VALUES (1, 'jobs', 0);
            INSERT INTO jobs (id, queue, type, spec, state, attempts, version, submitted_at, enqueued_at)
            VALUES ('old', 'default', 'adhoc', $spec, 'waiting', 0, 1, 0, 0);
            """;
        command.Parameters.AddWithValue("$spec", JsonSerializer.Serialize(JobSpec.ForSql("SELECT 1"), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        command.ExecuteNonQuery();
    }
}
