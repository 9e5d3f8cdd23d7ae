using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hera.ClientGateway.Tests.Scheduling;

namespace Hera.ClientGateway.Tests.Engines;

/// <summary>A silo with two slots; its tests register extra SQLite engines next to <c>local</c>.</summary>
public sealed class EnginesGatewayFactory : HeraGatewayFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["demo-data"] = "0",
        ["worker-slots"] = "2",
        ["worker-memory-mb"] = "4096",
        ["silo-id"] = "engines",
    };
}

/// <summary>
/// Engines registered at run time and the seed's adaptive execution through the gateway, on SQLite engines so
/// that the failures and speeds are under the test's control: failover on an engine-side failure, no failover on
/// the caller's SQL, racing with the loser stopped on its engine, hedging, circuit breaking, routing and limits.
/// </summary>
public sealed class AdaptiveExecutionTests(EnginesGatewayFactory factory) : IClassFixture<EnginesGatewayFactory>
{
    // Takes seconds on SQLite: a recursive CTE over 30 million rows, aggregated to one row.
    private const string SlowView =
        "CREATE VIEW IF NOT EXISTS t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT 42 AS v FROM c WHERE x = 30000000";

    private readonly SchedulingApi _api = new(factory.CreateClient());

    [Fact]
    public async Task An_engine_registered_at_run_time_is_listed_healthy_and_runs_jobs()
    {
        using var created = await _api.PutEngineAsync("extra", Sqlite("extra"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var listed = await _api.Http.GetFromJsonAsync<JsonElement>("/v1/engines");
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("name").GetString() == "extra" && e.GetProperty("kind").GetString() == "sqlite");
        var health = await _api.Http.GetFromJsonAsync<JsonElement>("/v1/engines/extra/health");
        Assert.True(health.GetProperty("healthy").GetBoolean());
        Assert.Equal("closed", health.GetProperty("circuit").GetString());
        var job = await _api.RunAsync("""{"sql": "SELECT 7 AS n", "engines": ["extra"]}""");
        Assert.Equal(("succeed", "extra"), (job.State(), job.GetProperty("engine").GetString()));
    }

    [Fact]
    public async Task Failover_moves_to_the_next_engine_after_an_engine_side_failure_and_says_so()
    {
        await _api.PutEngineAsync("unreachable", Sqlite("no/such/dir/x"));

        var job = await _api.RunAsync("""{"sql": "SELECT 1 AS n", "engines": ["unreachable", "local"]}""");

        Assert.Equal("succeed", job.State());
        Assert.Equal("local", job.GetProperty("engine").GetString());
        var notes = job.Events().Select(e => e.Detail ?? string.Empty).ToList();
        Assert.Contains(notes, d => d.StartsWith("engine unreachable: engine_error SQLITE_CANTOPEN", StringComparison.Ordinal) && d.EndsWith("; failing over to local", StringComparison.Ordinal));
        Assert.Contains(notes, d => d.StartsWith("engine local: 1 rows in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_callers_sql_error_fails_at_once_without_trying_another_engine()
    {
        await _api.PutEngineAsync("spare", Sqlite("spare"));

        var job = await _api.RunAsync("""{"sql": "SELECT nope FROM nowhere", "engines": ["local", "spare"]}""");

        Assert.Equal(("failed", "sql_error"), (job.State(), job.Reason()));
        Assert.DoesNotContain(job.Events(), e => e.Detail?.StartsWith("engine spare", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_race_returns_the_fast_engines_rows_and_stops_the_slow_one_on_its_engine()
    {
        await PrepareRaceAsync("slow1", "fast1");

        var job = await _api.RunAsync("""{"sql": "SELECT v FROM t", "engines": ["slow1", "fast1"], "mode": "race"}""");

        Assert.Equal("succeed", job.State());
        Assert.Equal("fast1", job.GetProperty("engine").GetString());
        // The loser is confirmed stopped after the job completed, so the race never waits for it.
        Assert.Equal("succeed", await _api.WaitForEventAsync(job.Id(), "engine slow1: cancelled, lost the race to fast1 (stop on the engine confirmed)"));
        var rows = await _api.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{job.Id()}/result");
        Assert.Equal(42, rows.GetProperty("rows")[0][0].GetInt32());
    }

    [Fact]
    public async Task A_hedged_race_never_starts_the_second_engine_when_the_first_answers_within_the_delay()
    {
        await PrepareRaceAsync("slow2", "fast2");

        var job = await _api.RunAsync("""{"sql": "SELECT v FROM t", "engines": ["fast2", "slow2"], "mode": "race", "hedge": 60000}""");

        Assert.Equal(("succeed", "fast2"), (job.State(), job.GetProperty("engine").GetString()));
        Assert.DoesNotContain(job.Events(), e => e.Detail?.Contains("slow2", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task An_engine_that_keeps_failing_has_its_circuit_opened_and_is_skipped()
    {
        await _api.PutEngineAsync("flaky", Sqlite("missing/dir/flaky"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("failed", (await _api.RunAsync("""{"sql": "SELECT 1", "engines": ["flaky"]}""")).State());
        }

        var health = await _api.Http.GetFromJsonAsync<JsonElement>("/v1/engines/flaky/health");
        Assert.Equal("open", health.GetProperty("circuit").GetString());
        var job = await _api.RunAsync("""{"sql": "SELECT 1 AS n", "engines": ["flaky", "local"]}""");
        Assert.Equal(("succeed", "local"), (job.State(), job.GetProperty("engine").GetString()));
        Assert.Contains(job.Events(), e => e.Detail == "engine flaky: skipped, its circuit is open after repeated failures; failing over to local");
    }

    [Fact]
    public async Task Parameters_are_assembled_from_engine_business_account_and_task_layers_and_recorded()
    {
        await _api.PutEngineAsync("layered", Sqlite("layered", """, "parameters": {"cache_size": "-1000", "temp_store": "1"}"""));
        await PutLayerAsync("business", "ads", """{"sqlite": {"cache_size": "-2000"}, "layered": {"cache_size": "-3000", "threads": "1"}}""");
        await PutLayerAsync("account", "alice", """{"layered": {"threads": "2"}}""");

        var effective = await _api.Http.GetFromJsonAsync<Dictionary<string, string>>("/v1/engines/layered/parameters?business=ads&account=alice");
        Assert.Equal(new Dictionary<string, string> { ["cache_size"] = "-3000", ["temp_store"] = "1", ["threads"] = "2" }, effective);

        var job = await _api.RunAsync(
            """{"sql": "PRAGMA cache_size", "dialect": "native", "engines": ["layered"], "labels": {"business": "ads", "account": "alice"}, "parameters": {"layered.temp_store": "2"}}""");

        Assert.Equal("succeed", job.State());
        Assert.Contains(("running", "worker engines engine layered parameters cache_size=-3000, temp_store=2, threads=2"), job.Events());
        var rows = await _api.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{job.Id()}/result");
        Assert.Equal(-3000, rows.GetProperty("rows")[0][0].GetInt32());

        // A change applies to the next attempt, without a restart.
        await PutLayerAsync("account", "alice", """{"layered": {"threads": "3"}}""");
        var next = await _api.RunAsync("""{"sql": "SELECT 1", "engines": ["layered"], "labels": {"business": "ads", "account": "alice"}}""");
        Assert.Contains(("running", "worker engines engine layered parameters cache_size=-3000, temp_store=1, threads=3"), next.Events());
    }

    [Fact]
    public async Task A_queues_routing_sends_jobs_that_name_no_engine_to_its_engines()
    {
        await _api.PutEngineAsync("routed", Sqlite("routed"));
        await _api.PutQueueAsync("via-routed", """{"engines": ["routed", "local"]}""");

        var job = await _api.RunAsync("""{"sql": "SELECT 1", "queue": "via-routed"}""");
        Assert.Equal(("succeed", "routed"), (job.State(), job.GetProperty("engine").GetString()));

        using var refused = await _api.Http.PutAsync("/v1/queues/via-nowhere", Json("""{"engines": ["nowhere"]}"""));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("engine_not_found", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_engines_max_concurrency_holds_jobs_beyond_it()
    {
        await _api.PutEngineAsync("narrow", Sqlite("narrow", """, "maxConcurrency": 1"""));
        await _api.PutQueueAsync("narrow-q", "{}");
        var holder = (await _api.SubmitAsync("narrow-q", SchedulingApi.Endless, ""","engines": ["narrow"]""")).Id();
        await _api.WaitAsync(holder, until: "running");

        // A queue whose next job's engine is full is held as a whole (no overtaking inside a queue), so the
        // jobs for the narrow engine have a queue of their own here.
        var second = (await _api.SubmitAsync("narrow-q", extra: ""","engines": ["narrow"]""")).Id();
        await _api.SyncAsync();

        var held = await _api.GetJobAsync(second);
        Assert.Equal("waiting", held.State());
        Assert.Equal("engine 'narrow' has no free slot", held.WaitReason());
        await _api.CancelAsync(holder);
        Assert.Equal("succeed", (await _api.WaitAsync(second)).State());
    }

    [Fact]
    public async Task Demo_data_loads_into_any_engine_replacing_what_was_there()
    {
        await _api.PutEngineAsync("shopcopy", Sqlite("shopcopy"));

        using var first = await _api.Http.PostAsync("/v1/engines/shopcopy/demo-data", Json("""{"scale": 0.001}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var loaded = await first.Content.ReadFromJsonAsync<JsonElement>();
        var orders = loaded.GetProperty("rowCounts").GetProperty("orders").GetInt64();
        using var again = await _api.Http.PostAsync("/v1/engines/shopcopy/demo-data", Json("""{"scale": 0.001}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var job = await _api.RunAsync("""{"sql": "SELECT count(*) AS n FROM orders", "engines": ["shopcopy"]}""");
        var rows = await _api.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{job.Id()}/result");
        Assert.True(orders > 0);
        Assert.Equal(orders, rows.GetProperty("rows")[0][0].GetInt64());
    }

    [Theory]
    [InlineData("""{"kind": "oracle", "connection": "x"}""", "kind must be one of sqlite, postgres, clickhouse; got 'oracle'")]
    [InlineData("""{"kind": "sqlite"}""", "connection must not be empty")]
    [InlineData("""{"kind": "sqlite", "connection": "x.db", "maxConcurrency": 0}""", "maxConcurrency must be at least 1; got 0")]
    public async Task A_bad_engine_definition_is_invalid_request(string body, string detail)
    {
        using var response = await _api.PutEngineAsync("bad-engine", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(detail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_built_in_engine_keeps_its_kind_and_connection()
    {
        using var response = await _api.PutEngineAsync("local", """{"kind": "sqlite", "connection": "/elsewhere.db"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task PrepareRaceAsync(string slow, string fast)
    {
        await _api.PutEngineAsync(slow, Sqlite(slow));
        await _api.PutEngineAsync(fast, Sqlite(fast));
        Assert.Equal("succeed", (await _api.RunAsync($$"""{"sql": {{JsonSerializer.Serialize(SlowView + "; SELECT 1")}}, "dialect": "native", "engines": ["{{slow}}"]}""")).State());
        Assert.Equal("succeed", (await _api.RunAsync($$"""{"sql": "CREATE TABLE IF NOT EXISTS t AS SELECT 42 AS v; SELECT 1", "dialect": "native", "engines": ["{{fast}}"]}""")).State());
    }

    private string Sqlite(string file, string more = "") =>
        "{\"kind\": \"sqlite\", \"connection\": " + JsonSerializer.Serialize(Path.Combine(factory.DataDir, file + ".db")) + more + "}";

    private async Task PutLayerAsync(string layer, string key, string body)
    {
        using var response = await _api.Http.PutAsync($"/v1/parameters/{layer}/{key}", Json(body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
