using System.Text.RegularExpressions;
using Hera.Client;

namespace Hera.Cli.Tests;

/// <summary><c>hera queues</c>, <c>hera queue get|set</c>, <c>hera workers</c> and <c>submit --retry-queue-full</c> against a whole embedded silo.</summary>
public sealed class QueueCommandsTests(HeraGatewayFactory gateway) : IClassFixture<HeraGatewayFactory>
{
    private readonly HeraClient _client = new(gateway.CreateClient());

    [Fact]
    public async Task Queue_set_creates_a_queue_then_changes_only_the_options_given()
    {
        var created = await CliRunner.RunAsync(gateway, "queue", "set", "etl", "--weight", "10", "--capacity", "1000", "--parallelism", "8", "--max-resource-share", "0.5");
        var closed = await CliRunner.RunAsync(gateway, "queue", "set", "etl", "--state", "closed");
        var shown = await CliRunner.RunAsync(gateway, "queue", "get", "etl");

        created.AssertExitCode(0);
        Assert.Equal("created queue etl", created.OutputLines[0]);
        Assert.Equal(["10", "1000", "8", "0.5", "core", "open"], Fields(created, "weight", "capacity", "parallelism", "share", "pool", "state"));
        closed.AssertExitCode(0);
        Assert.Equal("changed queue etl", closed.OutputLines[0]);
        shown.AssertExitCode(0);
        Assert.Equal(["etl", "10", "1000", "8", "0.5", "core", "closed", "0", "0", "-"], Fields(shown, "name", "weight", "capacity", "parallelism", "share", "pool", "state", "size", "running", "wait"));
        Assert.Equal("closed", (await _client.GetQueueAsync("etl")).State);
    }

    [Fact]
    public async Task Queues_lists_every_queue_as_a_table()
    {
        await _client.PutQueueAsync("reports", new HeraQueueSettings { Weight = 2.5, Capacity = 50, Parallelism = 3, MaxResourceShare = 0.25, Pool = "non-core" });

        var run = await CliRunner.RunAsync(gateway, "queues");

        run.AssertExitCode(0);
        Assert.Matches(@"^name\s+weight\s+capacity\s+parallelism\s+share\s+pool\s+state\s+size\s+running\s+factor$", run.OutputLines[0]);
        Assert.Contains(run.OutputLines, l => Regex.IsMatch(Words(l), @"^default 1 10000 64 1 core open \d+ \d+ [\d.]+$"));
        Assert.Contains(run.OutputLines, l => Words(l) == "reports 2.5 50 3 0.25 non-core open 0 0 0");
    }

    [Fact]
    public async Task Queue_get_of_an_unknown_queue_exits_3_with_queue_not_found()
    {
        var run = await CliRunner.RunAsync(gateway, "queue", "get", "nightly");

        run.AssertExitCode(3);
        Assert.Equal("", run.Output);
        Assert.StartsWith("queue_not_found: queue 'nightly' does not exist", run.Error);
    }

    [Fact]
    public async Task Queue_set_with_a_value_the_gateway_refuses_exits_3_with_invalid_request_naming_it()
    {
        var run = await CliRunner.RunAsync(gateway, "queue", "set", "greedy", "--max-resource-share", "2");

        run.AssertExitCode(3);
        Assert.StartsWith("invalid_request: ", run.Error);
        Assert.Contains("maxResourceShare", run.Error);
        Assert.Equal("queue_not_found", (await Assert.ThrowsAsync<HeraApiException>(() => _client.GetQueueAsync("greedy"))).Code);
    }

    [Fact]
    public async Task Workers_lists_the_test_silos_worker()
    {
        var run = await CliRunner.RunAsync(gateway, "workers");

        run.AssertExitCode(0);
        Assert.Matches(@"^id\s+silo\s+pool\s+state\s+slots\s+running\s+used-mb\s+free-mb\s+heartbeat$", run.OutputLines[0]);
        Assert.Contains(run.OutputLines[2..], l => Regex.IsMatch(l, @"^\S+\s+test-silo\s+core\s+alive\s+2\s+\d+\s+\d+\s+\d+\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$"));
    }

    [Fact]
    public async Task Cluster_shows_the_embedded_silo_leading_itself()
    {
        // The silo's leadership and first heartbeat are written as it starts; a job's long poll paces the wait.
        HeraCluster cluster;
        while ((cluster = await _client.GetClusterAsync()).Leader is null || cluster.Silos.Count == 0)
        {
            await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(5));
        }

        var run = await CliRunner.RunAsync(gateway, "cluster");

        run.AssertExitCode(0);
        Assert.Matches(@"^leader test-silo \(epoch \d+, since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z\)$", run.OutputLines[0]);
        Assert.Matches(@"^silo\s+address\s+roles\s+state\s+heartbeat$", run.OutputLines[1]);
        Assert.Contains(run.OutputLines[3..], l => Regex.IsMatch(l, @"^test-silo\s+http://\S+\s+gateway,scheduler,worker\s+alive\s+\d{4}-"));
    }

    [Fact]
    public async Task Job_shows_why_a_waiting_job_waits()
    {
        var blocker = await FillAsync("cli-orphans");
        try
        {
            // A job of the default queue started after the blocker was held: the walk that started it noted why
            // the blocker waits (wait notes are not published as changes, so there is nothing else to wait on).
            await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(60));

            var run = await CliRunner.RunAsync(gateway, "job", blocker.Id);

            run.AssertExitCode(0);
            Assert.Contains(run.OutputLines, l => Regex.IsMatch(l, @"^waiting\s+no live worker in pool 'ghost'$"));
        }
        finally
        {
            await _client.CancelAsync(blocker.Id);
        }
    }

    [Fact]
    public async Task Submit_to_a_full_queue_exits_3_with_queue_full()
    {
        var blocker = await FillAsync("cli-full");
        try
        {
            var run = await CliRunner.RunAsync(gateway, "submit", "SELECT 1", "--queue", "cli-full");

            run.AssertExitCode(3);
            Assert.Equal("", run.Output);
            Assert.Equal("queue_full: queue 'cli-full' holds 1 of 1 jobs; retry later", run.Error.Trim());
        }
        finally
        {
            await _client.CancelAsync(blocker.Id);
        }
    }

    [Fact]
    public async Task Submit_with_retry_queue_full_notes_the_refusal_and_goes_through_once_there_is_room()
    {
        var blocker = await FillAsync("cli-retry");
        var error = new LineHookWriter(async line =>
        {
            // The command waits for this before it retries: room is made exactly after the first refusal.
            if (line.Contains("(retry 1 of 3 in ", StringComparison.Ordinal))
            {
                await _client.CancelAsync(blocker.Id);
            }
        });

        var run = await CliRunner.RunAsync(gateway, error, "submit", "SELECT 1", "--queue", "cli-retry", "--retry-queue-full", "3");

        run.AssertExitCode(0);
        Assert.Matches(@"^queue_full: queue 'cli-retry' holds 1 of 1 jobs; retry later \(retry 1 of 3 in \d+\.\d s\)$", run.Error.Trim());
        var id = Assert.Single(run.OutputLines).Split(' ')[0];
        var job = await _client.GetJobAsync(id);
        Assert.Equal("cli-retry", job.Queue);
        Assert.Equal("failed", (await _client.GetJobAsync(blocker.Id)).State);
        await _client.CancelAsync(id);
    }

    [Fact]
    public async Task Submit_with_retry_queue_full_does_not_retry_other_problems()
    {
        var run = await CliRunner.RunAsync(gateway, "submit", "SELECT 1", "--queue", "nightly", "--retry-queue-full", "3");

        run.AssertExitCode(3);
        Assert.StartsWith("queue_not_found: ", run.Error);
        Assert.DoesNotContain("(retry ", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("queue")]
    [InlineData("queue", "get")]
    [InlineData("queue", "set", "q", "--state", "ajar")]
    [InlineData("queue", "set", "q", "--capacity", "0")]
    [InlineData("queue", "set", "q", "--parallelism", "-1")]
    [InlineData("queue", "set", "q", "--weight", "heavy")]
    [InlineData("submit", "SELECT 1", "--retry-queue-full", "-1")]
    public async Task A_usage_error_exits_2_without_calling_the_gateway(params string[] args)
    {
        var run = await CliRunner.RunAsync(gateway, args);

        run.AssertExitCode(2);
        Assert.Equal("", run.Output);
        Assert.EndsWith("run 'hera --help' for usage", run.Error.TrimEnd());
    }

    // The values of the named fields in a field/value listing, in the order asked.
    private static string[] Fields(CliOutcome run, params string[] names) =>
        [.. names.Select(n => run.OutputLines.Select(l => Regex.Match(l, $@"^{Regex.Escape(n)}\s+(.*)$")).First(m => m.Success).Groups[1].Value)];

    private static string Words(string line) => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    // A queue of capacity 1 on a pool no worker serves, holding one waiting job: full until that job is cancelled.
    private async Task<HeraJob> FillAsync(string queue)
    {
        await _client.PutQueueAsync(queue, new HeraQueueSettings { Pool = "ghost", Capacity = 1 });
        return await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1", Queue = queue });
    }
}
