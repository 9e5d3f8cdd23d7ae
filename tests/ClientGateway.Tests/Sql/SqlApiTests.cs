using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hera.ClientGateway.Tests.Scheduling;

namespace Hera.ClientGateway.Tests.Sql;

/// <summary>
/// The SQL layer through the gateway: Trino SQL checked at submission and rewritten per engine, engines that cannot
/// express a query left out (or the job refused), the rewrite-all endpoint, and templates whose values are bound,
/// never pasted. ClickHouse engines here point at a closed port: rewriting never contacts an engine.
/// </summary>
public sealed class SqlApiTests(ShopGatewayFactory factory) : IClassFixture<ShopGatewayFactory>
{
    private const string Unreachable = "http://127.0.0.1:9/";

    private readonly SchedulingApi _api = new(factory.CreateClient());

    [Fact]
    public async Task A_query_that_does_not_parse_as_Trino_is_refused_at_submission_with_its_position()
    {
        using var response = await PostAsync("/v1/jobs", """{"sql": "SELECT order_id\nFROM orders WHERE"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_sql", problem.GetProperty("code").GetString());
        Assert.Equal("Expected: an expression, found: end of input at line 2, column 18", problem.GetProperty("detail").GetString());
        Assert.Equal(2, problem.GetProperty("position").GetProperty("line").GetInt32());
        Assert.Equal(18, problem.GetProperty("position").GetProperty("column").GetInt32());
    }

    [Fact]
    public async Task Native_sql_goes_to_the_engine_as_written()
    {
        var job = await _api.RunAsync("""{"sql": "SELECT sqlite_version() IS NOT NULL AS ok", "dialect": "native"}""");

        Assert.Equal("succeed", job.State());
    }

    [Fact]
    public async Task Trino_functions_run_on_SQLite_through_the_rewrite()
    {
        using var response = await PostAsync(
            "/v1/query", """{"sql": "SELECT strpos('wörld', 'r') AS at, upper('zürich') AS up, date_trunc('month', DATE '2024-02-17') AS m, 7 / 2 AS half"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rows");
        Assert.Equal("""[[3,"ZÜRICH","2024-02-01",3]]""", rows.GetRawText());
    }

    [Fact]
    public async Task An_engine_that_cannot_express_the_query_is_left_out_and_noted()
    {
        await _api.PutEngineAsync("ch-off1", $$"""{"kind": "clickhouse", "connection": "{{Unreachable}}"}""");

        var job = await _api.RunAsync("""{"sql": "SELECT order_id, row_number() OVER (ORDER BY order_id) AS n FROM orders ORDER BY order_id LIMIT 2", "engines": ["ch-off1", "local"]}""");

        Assert.Equal(("succeed", "local"), (job.State(), job.GetProperty("engine").GetString()));
        Assert.Contains(job.Events(), e => e.Detail?.StartsWith("engine ch-off1: declined, clickhouse: window functions", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_query_no_candidate_can_express_is_refused_at_submission_as_sql_unsupported()
    {
        await _api.PutEngineAsync("ch-off2", $$"""{"kind": "clickhouse", "connection": "{{Unreachable}}"}""");

        using var response = await PostAsync("/v1/jobs", """{"sql": "SELECT rank() OVER (ORDER BY dt) FROM orders", "engines": ["ch-off2"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sql_unsupported", problem.GetProperty("code").GetString());
        Assert.Contains("engine ch-off2: clickhouse: window functions", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrite_answers_every_engines_sql_or_why_not_in_one_call()
    {
        await _api.PutEngineAsync("ch-off3", $$"""{"kind": "clickhouse", "connection": "{{Unreachable}}"}""");

        using var ok = await PostAsync("/v1/sql/rewrite", """{"sql": "SELECT strpos(title, 'x') FROM items", "engines": ["local", "ch-off3"]}""");
        using var declined = await PostAsync("/v1/sql/rewrite", """{"sql": "SELECT lag(dt) OVER (ORDER BY dt) FROM orders", "engines": ["ch-off3"]}""");
        using var invalid = await PostAsync("/v1/sql/rewrite", """{"sql": "SELECT FROM"}""");
        using var unknown = await PostAsync("/v1/sql/rewrite", """{"sql": "SELECT 1", "engines": ["nope"]}""");

        var engines = (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("engines");
        Assert.Equal(("local", "sqlite", "SELECT instr(title, 'x') FROM items"), (engines[0].GetProperty("engine").GetString(), engines[0].GetProperty("dialect").GetString(), engines[0].GetProperty("sql").GetString()));
        Assert.Equal(("ch-off3", "SELECT positionUTF8(title, 'x') FROM items"), (engines[1].GetProperty("engine").GetString(), engines[1].GetProperty("sql").GetString()));
        var refusal = (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("engines")[0];
        Assert.Equal(JsonValueKind.Null, refusal.GetProperty("sql").ValueKind);
        Assert.StartsWith("clickhouse: window functions", refusal.GetProperty("declined").GetString(), StringComparison.Ordinal);
        Assert.Equal("invalid_sql", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("engine_not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_template_job_binds_its_values_and_skips_optional_blocks_it_has_no_value_for()
    {
        const string Template = "SELECT count(*) AS n FROM orders WHERE status = ${status}<#if channel??> AND channel = ${channel}</#if>";

        var all = await ResultAsync(await _api.RunAsync(Body(Template, new { status = "paid" })));
        var app = await ResultAsync(await _api.RunAsync(Body(Template, new { status = "paid", channel = "app" })));
        var direct = await ResultAsync(await _api.RunAsync("""{"sql": "SELECT count(*) AS n FROM orders WHERE status = 'paid' AND channel = 'app'"}"""));

        Assert.True(all > app, $"all paid {all}, paid on app {app}");
        Assert.Equal(direct, app);
    }

    [Theory]
    [InlineData("paid' OR '1'='1")]
    [InlineData("paid'; DROP TABLE orders; --")]
    [InlineData("paid\n-- ")]
    public async Task An_injection_payload_in_a_template_value_is_only_a_value_that_matches_nothing(string payload)
    {
        var job = await _api.RunAsync(Body("SELECT count(*) AS n FROM orders WHERE status = ${status}", new { status = payload }));

        Assert.Equal("succeed", job.State());
        Assert.Equal(0, await ResultAsync(job));
        Assert.True(await ResultAsync(await _api.RunAsync("""{"sql": "SELECT count(*) AS n FROM orders"}""")) > 0);
    }

    [Fact]
    public async Task Template_problems_have_their_own_codes()
    {
        using var missing = await PostAsync("/v1/jobs", Body("SELECT * FROM orders WHERE status = ${status}", new { }));
        using var broken = await PostAsync("/v1/jobs", Body("SELECT 1 <#if x>", new { x = true }));
        using var both = await PostAsync("/v1/jobs", """{"sql": "SELECT 1", "template": "SELECT 1"}""");

        var problem = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("missing_parameter", "status"), (problem.GetProperty("code").GetString(), problem.GetProperty("parameter").GetString()));
        Assert.Equal("invalid_template", (await broken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("invalid_request", (await both.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private static string Body(string template, object parameters) => JsonSerializer.Serialize(new { template, parameters });

    private async Task<long> ResultAsync(JsonElement job)
    {
        Assert.True(job.State() == "succeed", job.GetRawText());
        var result = await _api.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{job.Id()}/result");
        return result.GetProperty("rows")[0][0].GetInt64();
    }

    private Task<HttpResponseMessage> PostAsync(string uri, string body) =>
        _api.Http.PostAsync(uri, new StringContent(body, Encoding.UTF8, "application/json"));
}
