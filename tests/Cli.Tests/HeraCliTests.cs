using System.Net.Http.Headers;
using Hera.Cli.Output;
using Hera.Client;

namespace Hera.Cli.Tests;

/// <summary>The <c>hera</c> commands in-process against a whole embedded silo with the tiny <c>shop</c> data.</summary>
public sealed class HeraCliTests(HeraGatewayFactory gateway) : IClassFixture<HeraGatewayFactory>
{
    private const string StatusCounts = "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status ORDER BY status";

    private readonly HeraClient _client = new(gateway.CreateClient());

    [Fact]
    public async Task Submit_with_wait_prints_the_rows_as_an_aligned_table()
    {
        var expected = await RowsOfAsync(StatusCounts);

        var run = await CliRunner.RunAsync(gateway, "submit", StatusCounts, "--wait", "60");

        run.AssertExitCode(0);
        Assert.Equal("", run.Error);
        Assert.Matches(@"^status\s+orders$", run.OutputLines[0]);
        Assert.Matches(@"^-+\s+-+$", run.OutputLines[1]);
        Assert.Equal(expected.Select(r => $"{r[0].GetString()} {r[1].GetInt64()}"), run.OutputLines[2..^1].Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        Assert.Equal($"({expected.Count} rows)", run.OutputLines[^1]);
    }

    [Fact]
    public async Task Submit_with_wait_and_csv_prints_exactly_the_gateways_csv()
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = StatusCounts }, TimeSpan.FromSeconds(60));
        var expected = await BodyAsync(job.Id, "text/csv");

        var run = await CliRunner.RunAsync(gateway, "submit", StatusCounts, "--wait", "60", "--format", "csv");

        run.AssertExitCode(0);
        Assert.StartsWith("status,orders", run.Output);
        Assert.Equal(expected, run.Output);
    }

    [Fact]
    public async Task A_table_stops_at_its_row_cap_and_says_how_many_rows_there_are()
    {
        var run = await CliRunner.RunAsync(gateway, "submit", "SELECT o.order_id FROM orders o CROSS JOIN order_items i", "--wait", "60");
        var job = (await _client.ListJobsAsync(limit: 1)).Single();

        run.AssertExitCode(0);
        Assert.True(job.RowCount > ResultPrinter.MaxTableRows, $"the query should give more than {ResultPrinter.MaxTableRows} rows; gave {job.RowCount}");
        Assert.Equal(ResultPrinter.MaxTableRows + 3, run.OutputLines.Length);
        Assert.Equal($"({ResultPrinter.MaxTableRows} of {job.RowCount} rows shown; use --format csv, json or ndjson for all of them)", run.OutputLines[^1]);
    }

    [Fact]
    public async Task Submit_without_wait_prints_an_id_that_job_then_shows_with_its_history()
    {
        var submitted = await CliRunner.RunAsync(gateway, "submit", "SELECT COUNT(*) AS n FROM order_items", "--label", "team=data", "--engine", "local");
        var id = submitted.Output.Split(' ')[0];

        var shown = await CliRunner.RunAsync(gateway, "job", id, "--wait", "60");

        submitted.AssertExitCode(0);
        Assert.Matches(@"^\S+ (new|waiting|running|succeed)$", submitted.OutputLines.Single());
        shown.AssertExitCode(0);
        Assert.Contains(shown.OutputLines, l => l == $"id         {id}");
        Assert.Contains(shown.OutputLines, l => l == "state      succeed");
        Assert.Contains(shown.OutputLines, l => l == "engine     local");
        Assert.Contains(shown.OutputLines, l => l == "rows       1");
        Assert.Equal(["new", "waiting", "running", "succeed"], shown.OutputLines.SkipWhile(l => !l.StartsWith("at ", StringComparison.Ordinal)).Skip(2).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1].Trim()));
    }

    [Fact]
    public async Task Submit_with_wait_of_a_failing_query_prints_reason_and_error_and_exits_1()
    {
        var run = await CliRunner.RunAsync(gateway, "submit", "SELECT * FROM no_such_table", "--wait", "60");

        run.AssertExitCode(1);
        Assert.Equal("", run.Output);
        Assert.Matches(@"^job \S+ failed: sql_error\n", run.Error.ReplaceLineEndings("\n"));
        Assert.Contains("no_such_table", run.Error);
    }

    [Fact]
    public async Task Result_as_ndjson_streams_exactly_the_gateways_body()
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT order_id, dt, status FROM orders ORDER BY order_id" }, TimeSpan.FromSeconds(60));
        var expected = await BodyAsync(job.Id, "application/x-ndjson");

        var run = await CliRunner.RunAsync(gateway, "result", job.Id, "--format", "ndjson");

        run.AssertExitCode(0);
        Assert.Equal(expected, run.Output);
    }

    [Fact]
    public async Task Result_with_output_writes_the_file_and_leaves_no_partial_file()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "orders.json");
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = StatusCounts }, TimeSpan.FromSeconds(60));
        var expected = await BodyAsync(job.Id, "application/json");

        var run = await CliRunner.RunAsync(gateway, "result", job.Id, "--format", "json", "--output", file);

        run.AssertExitCode(0);
        Assert.Equal("", run.Output);
        Assert.Equal(expected, await File.ReadAllTextAsync(file));
        Assert.Equal([file], Directory.GetFiles(directory.Path));
    }

    [Fact]
    public async Task Cancel_of_a_finished_job_says_nothing_was_cancelled_and_exits_1()
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1 AS one" }, TimeSpan.FromSeconds(60));

        var run = await CliRunner.RunAsync(gateway, "cancel", job.Id);

        Assert.Equal("succeed", job.State);
        run.AssertExitCode(1);
        Assert.StartsWith("not cancelled: ", run.Output);
        Assert.Equal("succeed", (await _client.GetJobAsync(job.Id)).State);
    }

    [Fact]
    public async Task Jobs_lists_recent_jobs_as_a_table_with_the_newest_first()
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 2 AS two" }, TimeSpan.FromSeconds(60));

        var run = await CliRunner.RunAsync(gateway, "jobs", "--state", "succeed", "--limit", "1");

        run.AssertExitCode(0);
        Assert.Matches(@"^id\s+state\s+reason\s+queue\s+engine\s+attempts\s+rows\s+submitted$", run.OutputLines[0]);
        Assert.StartsWith($"{job.Id}  succeed", run.OutputLines[2]);
        Assert.Equal(3, run.OutputLines.Length);
    }

    [Fact]
    public async Task Health_prints_the_healthz_fields()
    {
        var run = await CliRunner.RunAsync(gateway, "health");

        run.AssertExitCode(0);
        Assert.Contains(run.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^status\s+ok$"));
        Assert.Contains(run.OutputLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^silo\s+test-silo$"));
    }

    [Fact]
    public async Task A_gateway_problem_exits_3_with_code_and_detail_on_stderr()
    {
        var run = await CliRunner.RunAsync(gateway, "job", "no-such-job");

        run.AssertExitCode(3);
        Assert.Equal("", run.Output);
        Assert.Equal("job_not_found: no job has id 'no-such-job'", run.Error.Trim());
    }

    [Fact]
    public async Task The_result_of_a_failed_job_is_the_result_not_ready_problem()
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT * FROM no_such_table" }, TimeSpan.FromSeconds(60));

        var run = await CliRunner.RunAsync(gateway, "result", job.Id);

        run.AssertExitCode(3);
        Assert.StartsWith("result_not_ready: ", run.Error);
    }

    [Fact]
    public async Task An_unreachable_gateway_exits_4_naming_the_url()
    {
        var url = CliRunner.UnusedLoopbackUrl();

        var run = await CliRunner.RunOverHttpAsync("health", "--gateway", url);

        run.AssertExitCode(4);
        Assert.StartsWith($"cannot reach the Hera gateway at {url}: ", run.Error);
    }

    [Theory]
    [InlineData("submit")]
    [InlineData("frobnicate")]
    [InlineData("jobs", "--state", "sleeping")]
    [InlineData("jobs", "--limit", "0")]
    [InlineData("submit", "SELECT 1", "--label", "no-equals-sign")]
    [InlineData("submit", "SELECT 1", "--format", "xml")]
    [InlineData("health", "--gateway", "not a url")]
    public async Task A_usage_error_exits_2_without_calling_the_gateway(params string[] args)
    {
        var run = await CliRunner.RunAsync(gateway, args);

        run.AssertExitCode(2);
        Assert.Equal("", run.Output);
        Assert.EndsWith("run 'hera --help' for usage", run.Error.TrimEnd());
    }

    [Fact]
    public async Task Help_exits_0_and_lists_every_command()
    {
        var run = await CliRunner.RunAsync(gateway, "--help");

        run.AssertExitCode(0);
        Assert.All(["submit", "job", "result", "cancel", "jobs", "queues", "queue", "workers", "cluster", "health"], c => Assert.Contains($"  {c} ", run.Output));
    }

    private async Task<List<System.Text.Json.JsonElement[]>> RowsOfAsync(string sql)
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = sql }, TimeSpan.FromSeconds(60));
        return await _client.ReadRowsAsync(job.Id).ToListAsync();
    }

    private async Task<string> BodyAsync(string id, string mediaType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{id}/result");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        using var response = await _client.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }
}
