using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hera.ClientGateway.Tests.Scheduling;
using Npgsql;

namespace Hera.ClientGateway.Tests.Engines;

/// <summary>
/// The real PostgreSQL and ClickHouse the test scripts start (<c>HERA_TEST_PG</c>, <c>HERA_TEST_CH</c>), registered
/// in a silo at run time and exercised through the gateway: the same rows from each, failover when PostgreSQL
/// kills the statement mid-run, a race won by the fast engine with the slow one stopped on its engine, and a
/// cancel that reaches each engine. Each test class owns a schema (PostgreSQL) and a database (ClickHouse) with
/// the same name, so one statement text reads the same table on both.
/// </summary>
public sealed class RealEnginesTests(EnginesGatewayFactory factory) : IClassFixture<EnginesGatewayFactory>, IAsyncLifetime
{
    private readonly SchedulingApi _api = new(factory.CreateClient());
    private readonly string _space = $"hera_gw_{Guid.NewGuid():N}";
    private NpgsqlDataSource _pg = null!;
    private HttpClient _ch = null!;

    private static string PgConnection => Environment.GetEnvironmentVariable("HERA_TEST_PG") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("HERA_TEST_PG is not set: run env_lines=\"$(scripts/test-services.sh start)\"; eval \"$env_lines\" first");

    private static string ChUrl => Environment.GetEnvironmentVariable("HERA_TEST_CH") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("HERA_TEST_CH is not set: run env_lines=\"$(scripts/test-services.sh start)\"; eval \"$env_lines\" first");

    public async Task InitializeAsync()
    {
        _pg = NpgsqlDataSource.Create(PgConnection);
        _ch = new HttpClient { BaseAddress = new Uri(ChUrl.TrimEnd('/') + "/") };

        // slow_t: 30 s on PostgreSQL (a view that sleeps), instant on ClickHouse (a one-row table).
        await PgAsync($"CREATE SCHEMA {_space}");
        await PgAsync($"CREATE VIEW {_space}.slow_t AS SELECT 42 AS v FROM pg_sleep(30)");
        await ChAsync($"CREATE DATABASE {_space}");
        await ChAsync($"CREATE TABLE {_space}.slow_t (v Int32) ENGINE = Memory");
        await ChAsync($"INSERT INTO {_space}.slow_t VALUES (42)");
        await PutEngineOkAsync("pg", $$"""{"kind": "postgres", "connection": {{JsonSerializer.Serialize(PgConnection)}}}""");
        await PutEngineOkAsync("ch", $$"""{"kind": "clickhouse", "connection": {{JsonSerializer.Serialize(ChUrl)}}}""");
    }

    public async Task DisposeAsync()
    {
        await PgAsync($"DROP SCHEMA IF EXISTS {_space} CASCADE");
        await ChAsync($"DROP DATABASE IF EXISTS {_space}");
        await _pg.DisposeAsync();
        _ch.Dispose();
    }

    [Fact]
    public async Task The_same_statement_gives_the_same_typed_rows_on_postgres_and_clickhouse()
    {
        // Native: what the adapters make of each engine's types, with no rewriting in between.
        const string Sql = "SELECT 1 AS n, 'héllo, 世界' AS s, CAST(12.50 AS DECIMAL(12,2)) AS amount";

        var pg = await ResultAsync(await _api.RunAsync($$"""{"sql": "{{Sql}}", "dialect": "native", "engines": ["pg"]}"""));
        var ch = await ResultAsync(await _api.RunAsync($$"""{"sql": "{{Sql}}", "dialect": "native", "engines": ["ch"]}"""));

        Assert.Equal(pg.GetProperty("rows").GetRawText(), ch.GetProperty("rows").GetRawText());
        Assert.Equal("[[1,\"héllo, 世界\",12.50]]", pg.GetProperty("rows").GetRawText());
        Assert.Equal(
            ["n", "s", "amount"],
            pg.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("decimal(12,2)", ch.GetProperty("columns")[2].GetProperty("type").GetString());
    }

    [Fact]
    public async Task When_postgres_kills_the_statement_mid_run_the_job_fails_over_to_clickhouse()
    {
        var job = await _api.SubmitAsync("default", $"SELECT v FROM {_space}.slow_t", """, "engines": ["pg", "ch"]""");
        await _api.WaitAsync(job.Id(), until: "running");
        await TerminateOnPostgresAsync(job.Id());

        var done = await _api.WaitAsync(job.Id());

        Assert.Equal(("succeed", "ch"), (done.State(), done.GetProperty("engine").GetString()));
        var notes = done.Events().Select(e => e.Detail ?? string.Empty).ToList();
        Assert.Contains(notes, d => d.StartsWith("engine pg: engine_error ", StringComparison.Ordinal) && d.EndsWith("; failing over to ch", StringComparison.Ordinal));
        Assert.Contains(notes, d => d.StartsWith("engine ch: 1 rows in ", StringComparison.Ordinal));
        Assert.Equal(42, (await ResultAsync(done)).GetProperty("rows")[0][0].GetInt32());
    }

    [Fact]
    public async Task A_race_is_won_by_clickhouse_and_the_postgres_statement_is_stopped_on_the_server()
    {
        var done = await _api.RunAsync($$"""{"sql": "SELECT v FROM {{_space}}.slow_t", "engines": ["pg", "ch"], "mode": "race"}""");

        Assert.Equal(("succeed", "ch"), (done.State(), done.GetProperty("engine").GetString()));
        Assert.Equal("succeed", await _api.WaitForEventAsync(done.Id(), "engine pg: cancelled, lost the race to ch (stop on the engine confirmed)"));
        Assert.Equal(0, await ActiveOnPostgresAsync(done.Id()));
    }

    [Fact]
    public async Task Cancelling_a_job_stops_its_statement_on_postgres()
    {
        var job = await _api.SubmitAsync("default", $"SELECT v FROM {_space}.slow_t", """, "engines": ["pg"]""");
        await _api.WaitAsync(job.Id(), until: "running");
        await WaitForPostgresAsync(job.Id(), active: true);

        await _api.CancelAsync(job.Id());

        Assert.Equal("cancelled", (await _api.WaitAsync(job.Id())).Reason());
        await WaitForPostgresAsync(job.Id(), active: false);
        Assert.Equal(0, await ActiveOnPostgresAsync(job.Id()));
    }

    [Fact]
    public async Task Cancelling_a_job_kills_its_query_on_clickhouse()
    {
        var job = await _api.SubmitAsync("default", "SELECT count() FROM system.numbers", """, "engines": ["ch"]""");
        await _api.WaitAsync(job.Id(), until: "running");

        await _api.CancelAsync(job.Id());

        Assert.Equal("cancelled", (await _api.WaitAsync(job.Id())).Reason());

        // The kill is synchronous on the adapter's side; allow the server a few of its own sleeps to drop the entry.
        var listed = 1L;
        for (var i = 0; i < 30 && listed > 0; i++)
        {
            listed = long.Parse(await ChAsync(
                $"SELECT count() FROM system.processes WHERE query_id LIKE '{job.Id()}%' AND sleep(0.1) = 0"), System.Globalization.CultureInfo.InvariantCulture);
        }

        Assert.Equal(0, listed);
    }

    [Fact]
    public async Task Demo_data_loads_into_postgres_and_clickhouse_with_the_same_counts_as_sqlite()
    {
        var counts = new Dictionary<string, long>();
        foreach (var engine in new[] { "pg", "ch" })
        {
            using var response = await _api.Http.PostAsync($"/v1/engines/{engine}/demo-data", new StringContent("""{"scale": 0.001}""", Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var loaded = await response.Content.ReadFromJsonAsync<JsonElement>();
            counts[engine] = loaded.GetProperty("rowCounts").GetProperty("order_items").GetInt64();
            var job = await _api.RunAsync($$"""{"sql": "SELECT count(*) AS n FROM order_items", "engines": ["{{engine}}"]}""");
            Assert.Equal(counts[engine], (await ResultAsync(job)).GetProperty("rows")[0][0].GetInt64());
        }

        Assert.Equal(counts["pg"], counts["ch"]);
    }

    private async Task TerminateOnPostgresAsync(string jobId)
    {
        await WaitForPostgresAsync(jobId, active: true);
        await using var command = _pg.CreateCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE @id AND pid <> pg_backend_pid()");
        command.Parameters.AddWithValue("id", jobId + "%");
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }

    // Waits on the server (its own short sleeps, bounded) until the job's statement is, or is no longer, active.
    private async Task WaitForPostgresAsync(string jobId, bool active)
    {
        await using var command = _pg.CreateCommand($"""
            DO $$
            BEGIN
              FOR i IN 1..200 LOOP
                EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name LIKE '{jobId}%' AND state = 'active') = {(active ? "true" : "false")};
                PERFORM pg_sleep(0.05);
              END LOOP;
            END $$
            """);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ActiveOnPostgresAsync(string jobId)
    {
        await using var command = _pg.CreateCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE @id AND state = 'active'");
        command.Parameters.AddWithValue("id", jobId + "%");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task PgAsync(string sql)
    {
        await using var command = _pg.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> ChAsync(string sql)
    {
        using var response = await _ch.PostAsync("", new StringContent(sql, Encoding.UTF8));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return body.Trim();
    }

    private async Task PutEngineOkAsync(string name, string body)
    {
        using var response = await _api.PutEngineAsync(name, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> ResultAsync(JsonElement job)
    {
        Assert.True(job.State() == "succeed", job.GetRawText());
        return await _api.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{job.Id()}/result");
    }
}
