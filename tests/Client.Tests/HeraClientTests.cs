using Hera.Client;

namespace Hera.Client.Tests;

/// <summary>Hera.Client against a whole embedded silo: typed answers, problems as exceptions with their codes.</summary>
public sealed class HeraClientTests(HeraGatewayFactory factory) : IClassFixture<HeraGatewayFactory>
{
    private readonly HeraClient _client = new(factory.CreateClient());

    [Fact]
    public async Task A_problem_answer_surfaces_as_HeraApiException_with_its_code_and_detail()
    {
        var error = await Assert.ThrowsAsync<HeraApiException>(() => _client.GetJobAsync("no-such-job"));

        Assert.Equal(404, error.Status);
        Assert.Equal("job_not_found", error.Code);
        Assert.Contains("no-such-job", error.Detail);
    }

    [Fact]
    public async Task Submission_refused_at_admission_raises_the_admission_code()
    {
        var error = await Assert.ThrowsAsync<HeraApiException>(() => _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1", Queue = "nightly" }));

        Assert.Equal("queue_not_found", error.Code);
    }

    [Fact]
    public async Task WaitAsync_returns_the_job_once_it_has_finished()
    {
        var submitted = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT COUNT(*) AS n FROM order_items" });

        var finished = await _client.WaitAsync(submitted.Id, TimeSpan.FromSeconds(60));

        Assert.True(finished.IsFinished);
        Assert.Equal("succeed", finished.State);
        Assert.Equal(["new", "waiting", "running", "succeed"], finished.Events.Select(e => e.State));
    }

    [Fact]
    public async Task ReadRowsAsync_streams_rows_with_their_json_types()
    {
        var job = await _client.SubmitAsync(
            new HeraJobRequest { Sql = "SELECT order_id, dt, status FROM orders ORDER BY order_id LIMIT 3" }, TimeSpan.FromSeconds(30));

        var rows = await _client.ReadRowsAsync(job.Id).ToListAsync();

        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal(System.Text.Json.JsonValueKind.Number, r[0].ValueKind));
        Assert.All(rows, r => Assert.Matches(@"^2026-\d\d-\d\d$", r[1].GetString()));
        Assert.True(rows[0][0].GetInt64() < rows[1][0].GetInt64());
    }

    [Fact]
    public async Task Opening_the_result_of_a_failed_job_raises_result_not_ready()
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT nope FROM nowhere" }, TimeSpan.FromSeconds(30));

        var error = await Assert.ThrowsAsync<HeraApiException>(() => _client.OpenResultAsync(job.Id));

        Assert.Equal("failed", job.State);
        Assert.Equal("sql_error", job.Reason);
        Assert.Equal("result_not_ready", error.Code);
    }
}
