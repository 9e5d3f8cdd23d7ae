using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Sqlite;
using Hera.EngineAdapters.Tests.TestSupport;

namespace Hera.EngineAdapters.Tests.Sqlite;

public sealed class SqliteSettingsAndHealthTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Allowed_settings_apply_to_that_statement_only()
    {
        var settings = new Dictionary<string, string> { ["cache_size"] = "-4096", ["TEMP_STORE"] = "Memory" };

        var tuned = await _database.QueryAsync("SELECT cache_size, temp_store FROM pragma_cache_size(), pragma_temp_store()", settings);
        var plain = await _database.QueryAsync("SELECT cache_size FROM pragma_cache_size()");

        Assert.Equal([-4096L, 2L], Assert.Single(tuned.Rows));
        Assert.NotEqual(-4096L, plain.Single());
    }

    [Theory]
    [InlineData("journal_mode", "off")]
    [InlineData("max_threads", "4")]
    [InlineData("cache_size", "1; DROP TABLE t")]
    [InlineData("temp_store", "disk")]
    [InlineData("busy_timeout", "-1")]
    public async Task Unknown_settings_and_bad_values_are_refused_as_caller_errors(string key, string value)
    {
        var settings = new Dictionary<string, string> { [key] = value };

        var error = await Assert.ThrowsAsync<EngineException>(() => _database.QueryAsync("SELECT 1", settings));

        Assert.Equal((EngineFailureKind.CallerSql, "HERA_INVALID_SETTING"), (error.Kind, error.EngineCode));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_check_reports_the_sqlite_version_and_latency()
    {
        var health = await _database.Adapter.CheckHealthAsync(CancellationToken.None);

        Assert.True(health.Healthy);
        Assert.StartsWith("SQLite 3.", health.Detail, StringComparison.Ordinal);
        Assert.True(health.LatencyMs >= 0);
    }

    [Fact]
    public async Task Health_check_of_an_unopenable_path_is_unhealthy_and_says_why()
    {
        await using var adapter = new SqliteEngineAdapter("far", Path.Combine(_database.Directory, "missing-dir", "x.db"));

        var health = await adapter.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.StartsWith("SQLITE_CANTOPEN", health.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_adapter_describes_itself_and_refuses_work_once_disposed()
    {
        var adapter = new SqliteEngineAdapter("local", _database.Path);
        Assert.Equal(("local", "sqlite", _database.Path), (adapter.Name, adapter.Kind, adapter.DatabasePath));

        await adapter.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => adapter.ExecuteAsync(EngineAdapterTestExtensions.Command("SELECT 1"), CancellationToken.None));
    }

    [Fact]
    public void Options_outside_their_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new SqliteEngineAdapter("local", _database.Path, new SqliteEngineOptions { BusyTimeout = TimeSpan.FromSeconds(-1) }));
    }

    public void Dispose() => _database.Dispose();
}
