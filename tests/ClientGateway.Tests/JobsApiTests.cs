using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hera.Client;

namespace Hera.ClientGateway.Tests;

/// <summary>The job routes of the wire contract (<c>../shared/API.md</c>), through a real HTTP pipeline.</summary>
public sealed class JobsApiTests(HeraGatewayFactory factory) : IClassFixture<HeraGatewayFactory>
{
    // Never finishes on its own: a recursive CTE with no bound, for cancel and timeout tests.
    private const string Endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    private readonly HttpClient _http = factory.CreateClient();
    private HeraClient Client => new(_http);

    [Fact]
    public async Task Submit_with_wait_answers_202_with_the_finished_job_and_its_history()
    {
        using var response = await PostJsonAsync("/v1/jobs?wait=30", """{"sql":"SELECT 1 AS n"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = job.GetProperty("id").GetString();
        Assert.Equal($"/v1/jobs/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("succeed", job.GetProperty("state").GetString());
        Assert.Equal("default", job.GetProperty("queue").GetString());
        Assert.Equal("adhoc", job.GetProperty("type").GetString());
        Assert.Equal("local", job.GetProperty("engine").GetString());
        Assert.Equal(1, job.GetProperty("attempts").GetInt32());
        Assert.Equal(1, job.GetProperty("rowCount").GetInt64());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("reason").ValueKind);
        Assert.Equal(JsonValueKind.Null, job.GetProperty("error").ValueKind);
        Assert.EndsWith("Z", job.GetProperty("submittedAt").GetString());
        var events = job.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["new", "waiting", "running", "succeed"], events.Select(e => e.GetProperty("state").GetString()));
        Assert.Equal("worker test-silo engine local", events[2].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Result_as_json_has_typed_columns_and_rows()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1 AS n, 'héllo, \"wörld\"' AS s, 2.5 AS x, NULL AS z" }, TimeSpan.FromSeconds(30));

        var json = await _http.GetStringAsync($"/v1/jobs/{job.Id}/result");

        Assert.Equal("""{"columns":[{"name":"n","type":"bigint"},{"name":"s","type":"varchar"},{"name":"x","type":"double"},{"name":"z","type":"unknown"}],"rows":[[1,"héllo, \"wörld\"",2.5,null]]}""", json);
    }

    [Fact]
    public async Task Result_as_csv_quotes_only_what_must_be_quoted()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1 AS n, 'a,b' AS s UNION ALL SELECT 2, 'say \"hi\"' UNION ALL SELECT 3, 'Ünïcode 数据' ORDER BY n" }, TimeSpan.FromSeconds(30));

        using var response = await GetAsync($"/v1/jobs/{job.Id}/result", "text/csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("n,s\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,Ünïcode 数据\r\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Result_as_ndjson_is_the_columns_line_then_one_array_per_row()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1 AS n UNION ALL SELECT 2 ORDER BY n" }, TimeSpan.FromSeconds(30));

        using var response = await GetAsync($"/v1/jobs/{job.Id}/result", "application/x-ndjson");

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("2", response.Headers.GetValues("Hera-Row-Count").Single());
        Assert.Equal("[{\"name\":\"n\",\"type\":\"bigint\"}]\n[1]\n[2]\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_empty_result_still_has_its_columns()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT order_id FROM orders WHERE 1 = 0" }, TimeSpan.FromSeconds(30));

        var json = await _http.GetStringAsync($"/v1/jobs/{job.Id}/result");

        Assert.Equal("succeed", job.State);
        Assert.Equal(0, job.RowCount);
        Assert.Equal("""{"columns":[{"name":"order_id","type":"bigint"}],"rows":[]}""", json);
    }

    [Fact]
    public async Task The_demo_shop_is_queryable_at_once()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status ORDER BY status" }, TimeSpan.FromSeconds(30));

        Assert.Equal("succeed", job.State);
        var rows = await Client.ReadRowsAsync(job.Id).ToListAsync();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(r[1].GetInt64() > 0));
    }

    [Fact]
    public async Task A_large_result_streams_every_row_in_every_format()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT x, 'row ' || x AS label FROM c" }, TimeSpan.FromSeconds(60));

        Assert.Equal(200_000, job.RowCount);
        Assert.Equal(200_000, await Client.ReadRowsAsync(job.Id).CountAsync());
        using var csv = await GetAsync($"/v1/jobs/{job.Id}/result", "text/csv");
        Assert.Equal(200_001, (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        using var json = JsonDocument.Parse(await _http.GetStringAsync($"/v1/jobs/{job.Id}/result"));
        var rows = json.RootElement.GetProperty("rows");
        Assert.Equal(200_000, rows.GetArrayLength());
        Assert.Equal("row 200000", rows[199_999][1].GetString());
    }

    [Fact]
    public async Task Sql_the_engine_rejects_fails_the_job_with_sql_error_and_the_engines_message()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT * FROM no_such_table" }, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", job.State);
        Assert.Equal("sql_error", job.Reason);
        Assert.Equal("SQLITE_ERROR", job.Error?.Code);
        Assert.Contains("no such table: no_such_table", job.Error?.Message);
        Assert.Equal("failed", job.Events[^1].State);
    }

    [Fact]
    public async Task A_result_asked_for_before_the_job_finished_is_result_not_ready()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = Endless });
        try
        {
            await AssertProblemAsync(await _http.GetAsync($"/v1/jobs/{job.Id}/result"), HttpStatusCode.Conflict, "result_not_ready");
        }
        finally
        {
            await Client.CancelAsync(job.Id);
        }
    }

    [Fact]
    public async Task Cancelling_a_running_job_stops_it_and_fails_it_cancelled()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = Endless });
        Assert.Equal("running", (await Client.WaitUntilRunningAsync(job.Id, TimeSpan.FromSeconds(30))).State);

        using var response = await _http.DeleteAsync($"/v1/jobs/{job.Id}");
        var outcome = await response.Content.ReadFromJsonAsync<HeraCancelResult>(new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(outcome!.Cancelled);
        Assert.Equal("failed", outcome.Job.State);
        Assert.Equal("cancelled", outcome.Job.Reason);
        // The engine statement stops: the slot frees and a new job runs to completion.
        var next = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(30));
        Assert.Equal("succeed", next.State);
        await AssertProblemAsync(await _http.GetAsync($"/v1/jobs/{job.Id}/result"), HttpStatusCode.Conflict, "result_not_ready");
    }

    [Fact]
    public async Task Cancelling_a_finished_job_is_a_no_op_that_says_so()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(30));

        var outcome = await Client.CancelAsync(job.Id);

        Assert.False(outcome.Cancelled);
        Assert.Equal("succeed", outcome.Job.State);
        Assert.Contains("already succeed", outcome.Detail);
        Assert.Equal(job.Events.Count, (await Client.GetJobAsync(job.Id)).Events.Count);
    }

    [Fact]
    public async Task A_job_past_its_timeout_fails_with_reason_timeout()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = Endless, TimeoutSeconds = 1 }, TimeSpan.FromSeconds(30));

        Assert.Equal("failed", job.State);
        Assert.Equal("timeout", job.Reason);
    }

    [Fact]
    public async Task Get_with_wait_until_running_returns_once_the_job_has_started()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = Endless });
        try
        {
            var started = await Client.WaitUntilRunningAsync(job.Id, TimeSpan.FromSeconds(30));

            Assert.Equal("running", started.State);
            Assert.Equal("running", started.Events[^1].State);
        }
        finally
        {
            await Client.CancelAsync(job.Id);
        }
    }

    [Fact]
    public async Task Get_with_an_unknown_until_state_is_invalid_request() =>
        await AssertProblemAsync(await _http.GetAsync("/v1/jobs/x?wait=1&until=waiting"), HttpStatusCode.BadRequest, "invalid_request");

    [Fact]
    public async Task Get_with_wait_holds_until_the_job_finishes()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c" });

        var finished = await Client.GetJobAsync(job.Id, TimeSpan.FromSeconds(30));

        Assert.Equal("succeed", finished.State);
    }

    [Fact]
    public async Task Listing_returns_newest_first_and_filters_by_state()
    {
        var older = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(30));
        var newer = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT nope FROM nowhere" }, TimeSpan.FromSeconds(30));

        var all = await Client.ListJobsAsync(limit: 1000);
        var failed = await Client.ListJobsAsync(state: "failed", limit: 1000);

        Assert.True(all.Select(j => j.Id).ToList().IndexOf(newer.Id) < all.Select(j => j.Id).ToList().IndexOf(older.Id));
        Assert.Contains(failed, j => j.Id == newer.Id);
        Assert.DoesNotContain(failed, j => j.Id == older.Id);
        Assert.All(failed, j => Assert.Equal("failed", j.State));
        Assert.Single(await Client.ListJobsAsync(limit: 1));
    }

    [Theory]
    [InlineData("/v1/jobs?state=done")]
    [InlineData("/v1/jobs?limit=0")]
    [InlineData("/v1/jobs?limit=abc")]
    public async Task Bad_listing_parameters_are_invalid_request(string uri) =>
        await AssertProblemAsync(await _http.GetAsync(uri), HttpStatusCode.BadRequest, "invalid_request");

    [Theory]
    [InlineData("{\"sql\": ")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"sql\": \"   \"}")]
    [InlineData("{\"sql\": 42}")]
    [InlineData("[1, 2]")]
    [InlineData("{\"sql\": \"SELECT 1\", \"type\": \"stream\"}")]
    [InlineData("{\"sql\": \"SELECT 1\", \"mode\": \"all\"}")]
    [InlineData("{\"sql\": \"SELECT 1\", \"timeoutSeconds\": 0}")]
    [InlineData("{\"sql\": \"SELECT 1\", \"memoryMb\": -5}")]
    [InlineData("{\"sql\": \"SELECT 1\", \"parameters\": {\"a\": [1]}}")]
    [InlineData("{\"sql\": \"SELECT 1\", \"engines\": [\"\"]}")]
    [InlineData("null")]
    [InlineData("")]
    public async Task Malformed_bodies_are_invalid_request_and_store_nothing(string body)
    {
        var before = (await Client.ListJobsAsync(limit: 1000)).Count;

        await AssertProblemAsync(await PostJsonAsync("/v1/jobs", body), HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(before, (await Client.ListJobsAsync(limit: 1000)).Count);
    }

    [Theory]
    [InlineData("SELECT 'unterminated", 1, 8)]
    [InlineData("SELECT 1\n  FROM t WHERE s = 'x", 2, 20)]
    [InlineData("-- only a comment", 1, 18)]
    [InlineData("SELECT \"no end", 1, 8)]
    public async Task Sql_that_can_never_run_is_invalid_sql_with_its_position_and_stores_nothing(string sql, int line, int column)
    {
        var before = (await Client.ListJobsAsync(limit: 1000)).Count;

        using var response = await PostJsonAsync("/v1/jobs", JsonSerializer.Serialize(new { sql }));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_sql", problem.GetProperty("code").GetString());
        Assert.StartsWith("Expected: ", problem.GetProperty("detail").GetString());
        Assert.Equal(line, problem.GetProperty("position").GetProperty("line").GetInt32());
        Assert.Equal(column, problem.GetProperty("position").GetProperty("column").GetInt32());
        Assert.Equal(before, (await Client.ListJobsAsync(limit: 1000)).Count);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_payload_too_large()
    {
        var huge = $$"""{"sql":"SELECT '{{new string('x', 70_000)}}'"}""";
        await AssertProblemAsync(await PostJsonAsync("/v1/jobs", huge), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        // Without Content-Length (chunked), the limit holds while reading.
        using var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/jobs") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblemAsync(await _http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task An_unknown_queue_is_queue_not_found_and_an_unknown_engine_engine_not_found()
    {
        await AssertProblemAsync(await PostJsonAsync("/v1/jobs", """{"sql":"SELECT 1","queue":"etl"}"""), HttpStatusCode.NotFound, "queue_not_found");
        await AssertProblemAsync(await PostJsonAsync("/v1/jobs", """{"sql":"SELECT 1","engines":["presto"]}"""), HttpStatusCode.NotFound, "engine_not_found");
    }

    [Theory]
    [InlineData("GET", "/v1/jobs/0000/result")]
    [InlineData("GET", "/v1/jobs/0000")]
    [InlineData("DELETE", "/v1/jobs/0000")]
    public async Task An_unknown_job_is_job_not_found(string method, string uri) =>
        await AssertProblemAsync(await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), uri)), HttpStatusCode.NotFound, "job_not_found");

    [Fact]
    public async Task An_unacceptable_result_format_is_not_acceptable()
    {
        var job = await Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(30));
        await AssertProblemAsync(await GetAsync($"/v1/jobs/{job.Id}/result", "application/xml"), HttpStatusCode.NotAcceptable, "not_acceptable");
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_problems_too()
    {
        await AssertProblemAsync(await _http.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await _http.PutAsync("/v1/jobs", new StringContent("{}")), HttpStatusCode.MethodNotAllowed, "method_not_allowed");
    }

    [Fact]
    public async Task Health_reports_the_silo_its_roles_and_store()
    {
        var health = await _http.GetFromJsonAsync<JsonElement>("/healthz");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal("test-silo", health.GetProperty("silo").GetString());
        Assert.Equal("sqlite", health.GetProperty("store").GetString());
        Assert.Equal(["gateway", "scheduler", "worker"], health.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    private Task<HttpResponseMessage> PostJsonAsync(string uri, string body) =>
        _http.PostAsync(uri, new StringContent(body, Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> GetAsync(string uri, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.ParseAdd(accept);
        return _http.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            Assert.Equal($"https://hera.dev/problems/{code}", problem.GetProperty("type").GetString());
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        }
    }
}
