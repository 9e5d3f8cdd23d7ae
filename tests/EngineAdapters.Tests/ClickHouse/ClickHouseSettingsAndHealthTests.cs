using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;

namespace Hera.EngineAdapters.Tests.ClickHouse;

public sealed class ClickHouseSettingsAndHealthTests : IAsyncLifetime
{
    // Port 1 on loopback: nothing listens, so connecting is refused at once.
    private const string ClosedPort = "http://127.0.0.1:1";

    private readonly ClickHouseEngineAdapter _adapter = ClickHouseTestServer.Adapter();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _adapter.DisposeAsync();

    [Fact]
    public async Task Command_settings_reach_the_server_as_settings()
    {
        var result = await _adapter.QueryAsync(
            "SELECT value FROM system.settings WHERE name = 'max_threads'", new Dictionary<string, string> { ["max_threads"] = "3" });

        Assert.Equal("3", result.Single());
    }

    [Fact]
    public async Task An_unknown_setting_fails_as_the_callers_with_clickhouse_code_115()
    {
        var exception = await Assert.ThrowsAsync<EngineException>(
            () => _adapter.QueryAsync("SELECT 1", new Dictionary<string, string> { ["no_such_setting"] = "1" }));

        Assert.Equal(EngineFailureKind.CallerSql, exception.Kind);
        Assert.Equal("115", exception.EngineCode);
        Assert.Contains("no_such_setting", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("query_id", "x")]
    [InlineData("user", "default")]
    [InlineData("database", "system")]
    [InlineData("default_format", "JSON")]
    [InlineData("extremes", "1")]
    [InlineData("bad-name", "1")]
    public async Task Settings_that_would_hijack_the_request_or_the_stream_are_refused(string key, string value)
    {
        var exception = await Assert.ThrowsAsync<EngineException>(
            () => _adapter.QueryAsync("SELECT 1", new Dictionary<string, string> { [key] = value }));

        Assert.Equal(EngineFailureKind.CallerSql, exception.Kind);
        Assert.Equal("HERA_INVALID_SETTING", exception.EngineCode);
        Assert.Equal(0, _adapter.Running);
    }

    [Fact]
    public async Task Outer_joins_give_null_by_default_and_clickhouse_defaults_when_overridden()
    {
        const string Sql = "SELECT r.v FROM (SELECT 1 AS k) AS l ANY LEFT JOIN (SELECT 2 AS k, toInt32(7) AS v) AS r USING k";

        var standard = await _adapter.QueryAsync(Sql);
        var native = await _adapter.QueryAsync(Sql, new Dictionary<string, string> { ["join_use_nulls"] = "0" });

        Assert.Null(standard.Single());
        Assert.Equal(0L, native.Single());
    }

    [Fact]
    public async Task With_totals_and_an_own_format_are_refused_before_sending()
    {
        var totals = await Assert.ThrowsAsync<EngineException>(
            () => _adapter.QueryAsync("SELECT number % 2 AS k, count() FROM numbers(10) GROUP BY k WITH TOTALS"));
        var format = await Assert.ThrowsAsync<EngineException>(() => _adapter.QueryAsync("SELECT 1 FORMAT JSON;"));
        var inSubquery = await _adapter.QueryAsync("SELECT count() FROM (SELECT number % 2 AS k FROM numbers(4) GROUP BY k WITH TOTALS)");

        Assert.Equal(("HERA_UNSUPPORTED", EngineFailureKind.CallerSql), (totals.EngineCode, totals.Kind));
        Assert.Equal(("HERA_UNSUPPORTED", EngineFailureKind.CallerSql), (format.EngineCode, format.Kind));
        Assert.Equal(2m, inSubquery.Single());
    }

    [Fact]
    public async Task Statements_without_a_result_give_no_columns_and_no_rows()
    {
        await using var database = await ClickHouseTestDatabase.CreateAsync();

        var create = await database.Adapter.QueryAsync("CREATE TABLE t (x Int32) ENGINE = Memory");
        var insert = await database.Adapter.QueryAsync("INSERT INTO t SELECT toInt32(number) FROM numbers(3)");
        var count = await database.Adapter.QueryAsync("SELECT sum(x) FROM t -- a trailing comment");

        Assert.Empty(create.Columns);
        Assert.Empty(insert.Rows);
        Assert.Equal(3L, count.Single());
    }

    [Fact]
    public async Task A_reachable_server_is_healthy_and_reports_its_version()
    {
        var health = await _adapter.CheckHealthAsync(CancellationToken.None);

        Assert.True(health.Healthy, health.Detail);
        Assert.StartsWith("ClickHouse 18.16", health.Detail, StringComparison.Ordinal);
        Assert.True(health.LatencyMs > 0);
    }

    [Fact]
    public async Task A_closed_port_is_unhealthy_with_a_connection_failure()
    {
        await using var adapter = new ClickHouseEngineAdapter("warehouse", ClosedPort);

        var health = await adapter.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.StartsWith("HERA_CONNECTION:", health.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_credentials_are_unhealthy_with_clickhouse_code_193()
    {
        var url = new UriBuilder(ClickHouseTestServer.Url) { UserName = "default", Password = "wrong" }.Uri.ToString();
        await using var adapter = new ClickHouseEngineAdapter("warehouse", url);

        var health = await adapter.CheckHealthAsync(CancellationToken.None);

        Assert.False(health.Healthy);
        Assert.StartsWith("193:", health.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", adapter.BaseUrl, StringComparison.Ordinal);
    }
}
