using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hera.ClientGateway.Tests.Scheduling;
using Hera.Grains.Interactive;

namespace Hera.ClientGateway.Tests.Engines;

/// <summary>
/// <c>POST /v1/query</c>: the rows in the answer itself, streamed as the engine produces them, with the same
/// candidates, failover and race as a job, and the query recorded as a job afterwards.
/// </summary>
public sealed class InteractiveQueryTests(EnginesGatewayFactory factory) : IClassFixture<EnginesGatewayFactory>
{
    // 300,000 rows: well past the 64 KiB after which the first bytes go out, so the answer is committed mid-query.
    private const string ManyRows = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT x FROM c";

    private readonly SchedulingApi _api = new(factory.CreateClient());

    [Fact]
    public async Task A_query_answers_its_rows_at_once_and_is_recorded_as_a_job()
    {
        using var response = await PostAsync("""{"sql": "SELECT 1 AS n, 'héllo' AS s"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("local", Header(response, "Hera-Engine"));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("""{"columns":[{"name":"n","type":"bigint"},{"name":"s","type":"varchar"}],"rows":[[1,"héllo"]]}""", answer.GetRawText());

        var job = await _api.GetJobAsync(Header(response, "Hera-Job-Id"));
        Assert.Equal(("succeed", "local", 1), (job.State(), job.GetProperty("engine").GetString(), job.GetProperty("rowCount").GetInt32()));
        Assert.Contains(job.Events(), e => e.State == "running" && e.Detail == "interactive on silo engines engine local");
        Assert.Equal("gateway engines", job.GetProperty("workerId").GetString());
    }

    [Fact]
    public async Task The_recorded_query_has_no_result_to_fetch_because_its_rows_went_to_the_caller()
    {
        using var response = await PostAsync("""{"sql": "SELECT 2 AS n"}""");
        var id = Header(response, "Hera-Job-Id");

        using var result = await _api.Http.GetAsync($"/v1/jobs/{id}/result");

        Assert.Equal(HttpStatusCode.Gone, result.StatusCode);
        Assert.Equal("result_gone", (await result.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("text/csv", "n,s\r\n1,\"a,b\"\r\n2,\r\n")]
    [InlineData("application/x-ndjson", "[{\"name\":\"n\",\"type\":\"bigint\"},{\"name\":\"s\",\"type\":\"varchar\"}]\n[1,\"a,b\"]\n[2,null]\n")]
    public async Task The_answer_comes_in_the_format_Accept_asks_for(string accept, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query") { Content = Json("""{"sql": "SELECT 1 AS n, 'a,b' AS s UNION ALL SELECT 2, NULL"}""") };
        request.Headers.Accept.ParseAdd(accept);

        using var response = await _api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(accept, response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_large_result_streams_every_row()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query") { Content = Json(JsonSerializer.Serialize(new { sql = ManyRows })) };
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        using var response = await _api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        long lines = 0;
        string? last = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            last = line;
        }

        Assert.Equal(300_001, lines);
        Assert.Equal("[300000]", last);
        Assert.Equal(300_000, (await _api.GetJobAsync(Header(response, "Hera-Job-Id"))).GetProperty("rowCount").GetInt64());
    }

    [Fact]
    public async Task The_callers_sql_error_is_a_problem_naming_the_engines_code_and_the_recorded_job()
    {
        using var response = await PostAsync("""{"sql": "SELECT nope FROM nowhere"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("sql_error", "SQLITE_ERROR", "local"), (problem.GetProperty("code").GetString(), problem.GetProperty("engineCode").GetString(), problem.GetProperty("engine").GetString()));
        Assert.Equal("no such table: nowhere", problem.GetProperty("detail").GetString());
        var job = await _api.GetJobAsync(problem.GetProperty("jobId").GetString()!);
        Assert.Equal(("failed", "sql_error"), (job.State(), job.Reason()));
    }

    [Fact]
    public async Task An_engine_side_failure_before_any_row_fails_over_to_the_next_engine()
    {
        await _api.PutEngineAsync("q-unreachable", Sqlite("no/such/dir/q"));

        using var response = await PostAsync("""{"sql": "SELECT 5 AS n", "engines": ["q-unreachable", "local"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("local", Header(response, "Hera-Engine"));
        Assert.Equal(5, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows")[0][0].GetInt32());
        var job = await _api.GetJobAsync(Header(response, "Hera-Job-Id"));
        Assert.Contains(job.Events(), e => e.Detail?.StartsWith("engine q-unreachable: engine_error SQLITE_CANTOPEN", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task When_every_engine_fails_the_answer_is_an_engine_error_problem()
    {
        await _api.PutEngineAsync("q-gone", Sqlite("no/such/dir/g"));

        using var response = await PostAsync("""{"sql": "SELECT 1", "engines": ["q-gone"]}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("engine_error", "SQLITE_CANTOPEN"), (problem.GetProperty("code").GetString(), problem.GetProperty("engineCode").GetString()));
    }

    [Fact]
    public async Task A_failure_after_rows_were_sent_cuts_the_answer_short_instead_of_ending_it_cleanly()
    {
        // json('x') fails only when row 200,000 is reached, long after the first 64 KiB went out.
        var sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) " +
                  "SELECT CASE WHEN x < 200000 THEN x ELSE json('x') END AS v FROM c";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query") { Content = Json(JsonSerializer.Serialize(new { sql })) };
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        using var response = await _api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Header(response, "Hera-Job-Id");

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is not null)
            {
            }
        });
        var job = await _api.WaitAsync(id);
        Assert.Equal(("failed", "sql_error"), (job.State(), job.Reason()));
        Assert.EndsWith("malformed JSON (after rows had been sent)", job.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_race_answers_with_the_fast_engines_rows_and_the_loser_is_confirmed_stopped_afterwards()
    {
        await _api.PutEngineAsync("q-slow", Sqlite("q-slow"));
        await _api.PutEngineAsync("q-fast", Sqlite("q-fast"));
        const string slowView = "CREATE VIEW IF NOT EXISTS t AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT 42 AS v FROM c WHERE x = 30000000";
        Assert.Equal("succeed", (await _api.RunAsync($$"""{"sql": {{JsonSerializer.Serialize(slowView + "; SELECT 1")}}, "dialect": "native", "engines": ["q-slow"]}""")).State());
        Assert.Equal("succeed", (await _api.RunAsync("""{"sql": "CREATE TABLE IF NOT EXISTS t AS SELECT 42 AS v; SELECT 1", "dialect": "native", "engines": ["q-fast"]}""")).State());

        using var response = await PostAsync("""{"sql": "SELECT v FROM t", "engines": ["q-slow", "q-fast"], "mode": "race"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("q-fast", Header(response, "Hera-Engine"));
        Assert.Equal(42, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows")[0][0].GetInt32());
        // The loser is settled while the caller reads; its note follows the record of the succeeded query.
        var id = Header(response, "Hera-Job-Id");
        Assert.Equal("succeed", await _api.WaitForEventAsync(id, "engine q-slow: cancelled, lost the race to q-fast (stop on the engine confirmed)"));
    }

    [Fact]
    public async Task A_race_winner_past_the_memory_bound_is_spilled_to_a_file_streamed_whole_and_removed()
    {
        await _api.PutEngineAsync("q-slow2", Sqlite("q-slow2"));
        await _api.PutEngineAsync("q-fast2", Sqlite("q-fast2"));
        // The same statement: endless-ish on the slow engine (a view over 30 million recursions), 300,000 rows of
        // NDJSON (about 3 MB, past the 1 MiB a racer holds in memory) on the fast one.
        const string slowView = "CREATE VIEW IF NOT EXISTS big AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 30000000) SELECT x FROM c WHERE x > 29999999";
        Assert.Equal("succeed", (await _api.RunAsync($$"""{"sql": {{JsonSerializer.Serialize(slowView + "; SELECT 1")}}, "dialect": "native", "engines": ["q-slow2"]}""")).State());
        Assert.Equal("succeed", (await _api.RunAsync($$"""{"sql": {{JsonSerializer.Serialize($"CREATE TABLE IF NOT EXISTS big AS {ManyRows}; SELECT 1")}}, "dialect": "native", "engines": ["q-fast2"]}""")).State());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query") { Content = Json("""{"sql": "SELECT x FROM big", "engines": ["q-slow2", "q-fast2"], "mode": "race", "dialect": "native"}""") };
        request.Headers.Accept.ParseAdd("application/x-ndjson");

        using var response = await _api.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("q-fast2", Header(response, "Hera-Engine"));
        Assert.True(Encoding.UTF8.GetByteCount(body) > InteractiveQueries.RacerMemoryBytes, "the result must be larger than what a racer holds in memory");
        Assert.Equal(300_001, lines.Length);
        Assert.Equal("[300000]", lines[^1]);
        var id = Header(response, "Hera-Job-Id");
        Assert.Equal("succeed", await _api.WaitForEventAsync(id, "engine q-slow2: cancelled, lost the race to q-fast2 (stop on the engine confirmed)"));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(factory.DataDir, "results"), $"{id}.*"));
    }

    [Fact]
    public async Task Queue_gates_apply_an_unknown_queue_is_not_found_and_a_closed_one_refuses()
    {
        using var unknown = await PostAsync("""{"sql": "SELECT 1", "queue": "q-nope"}""");
        Assert.Equal("queue_not_found", await CodeAsync(unknown));

        await _api.PutQueueAsync("q-closed", """{"state": "closed"}""");
        using var closed = await PostAsync("""{"sql": "SELECT 1", "queue": "q-closed"}""");
        Assert.Equal("queue_closed", await CodeAsync(closed));
    }

    [Fact]
    public async Task An_engine_at_its_max_concurrency_is_passed_over_and_with_none_free_the_answer_says_retry()
    {
        await _api.PutEngineAsync("q-one", Sqlite("q-one", ", \"maxConcurrency\": 1"));
        using var holder = new HttpRequestMessage(HttpMethod.Post, "/v1/query") { Content = Json(JsonSerializer.Serialize(new { sql = ManyRows, engines = new[] { "q-one" } })) };
        holder.Headers.Accept.ParseAdd("application/x-ndjson");

        // Headers arrive with the first 64 KiB; the statement then waits on this reader, holding q-one's only slot.
        using var held = await _api.Http.SendAsync(holder, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("q-one", Header(held, "Hera-Engine"));

        using var busy = await PostAsync("""{"sql": "SELECT 1", "engines": ["q-one"]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, busy.StatusCode);
        Assert.Equal("engines_busy", await CodeAsync(busy));
        Assert.Equal("1", busy.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var passedOver = await PostAsync("""{"sql": "SELECT 1", "engines": ["q-one", "local"]}""");
        Assert.Equal("local", Header(passedOver, "Hera-Engine"));
    }

    [Fact]
    public async Task Only_adhoc_queries_are_interactive()
    {
        using var response = await PostAsync("""{"sql": "SELECT 1", "type": "export"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", await CodeAsync(response));
    }

    private Task<HttpResponseMessage> PostAsync(string body) => _api.Http.PostAsync("/v1/query", Json(body));

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private string Sqlite(string file, string more = "") =>
        "{\"kind\": \"sqlite\", \"connection\": " + JsonSerializer.Serialize(Path.Combine(factory.DataDir, file + ".db")) + more + "}";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
