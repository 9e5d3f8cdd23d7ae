using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hera.ClientGateway.Tests.Scheduling;

/// <summary>A silo whose worker has two slots and offers 1024 MB in pool <c>core</c>.</summary>
public sealed class TwoSlotGatewayFactory : HeraGatewayFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["demo-data"] = "0",
        ["worker-slots"] = "2",
        ["worker-memory-mb"] = "1024",
        ["silo-id"] = "two-slots",
    };
}

/// <summary>
/// Limits and placement through the gateway: queue parallelism, worker memory, pool isolation, waiting timeouts,
/// each visible to the caller as the job's <c>waitReason</c> and as an event.
/// </summary>
public sealed class LimitsAndPlacementTests(TwoSlotGatewayFactory factory) : IClassFixture<TwoSlotGatewayFactory>
{
    private readonly SchedulingApi _api = new(factory.CreateClient());

    [Fact]
    public async Task A_low_weight_queue_runs_while_a_high_weight_queue_sits_at_its_parallelism_cap()
    {
        await _api.PutQueueAsync("cap-high", """{"weight": 10, "parallelism": 1}""");
        await _api.PutQueueAsync("cap-low", """{"weight": 1}""");
        var first = (await _api.SubmitAsync("cap-high", SchedulingApi.Endless)).Id();
        await _api.WaitAsync(first, until: "running");

        var second = (await _api.SubmitAsync("cap-high")).Id();
        var low = await _api.WaitAsync((await _api.SubmitAsync("cap-low")).Id());

        Assert.Equal("succeed", low.State());
        var held = await _api.GetJobAsync(second);
        Assert.Equal("waiting", held.State());
        Assert.Equal("queue parallelism 1/1", held.WaitReason());
        Assert.Contains(("waiting", "waiting: queue parallelism 1/1"), held.Events());
        var queue = await _api.GetQueueAsync("cap-high");
        Assert.Equal(1, queue.GetProperty("size").GetInt32());
        Assert.Equal(1, queue.GetProperty("running").GetInt32());
        Assert.Equal(0.0, queue.GetProperty("dynamicFactor").GetDouble()); // 1/10000 x (1 - 1/1)
        Assert.Equal("queue parallelism 1/1", queue.GetProperty("waitReason").GetString());

        await _api.CancelAsync(first);
        Assert.Equal("succeed", (await _api.WaitAsync(second)).State());
    }

    [Fact]
    public async Task A_job_waits_for_a_worker_with_enough_free_memory_then_runs()
    {
        await _api.PutQueueAsync("mem-a", "{}");
        await _api.PutQueueAsync("mem-b", "{}");
        var big = (await _api.SubmitAsync("mem-a", SchedulingApi.Endless, ""","memoryMb": 800""")).Id();
        await _api.WaitAsync(big, until: "running");
        var workers = await _api.Http.GetFromJsonAsync<JsonElement>("/v1/workers");
        var worker = Assert.Single(workers.EnumerateArray());
        Assert.Equal(800, worker.GetProperty("memoryUsedMb").GetInt32());
        Assert.Equal(224, worker.GetProperty("memoryFreeMb").GetInt32());

        var needy = (await _api.SubmitAsync("mem-b", extra: ""","memoryMb": 512""")).Id();
        var small = (await _api.SubmitAsync("mem-b", extra: ""","memoryMb": 100""")).Id();
        await _api.SyncAsync(); // a 64 MB job on another queue fits in the 224 MB left, and runs

        var held = await _api.GetJobAsync(needy);
        Assert.Equal("waiting", held.State());
        Assert.Equal("no worker in pool 'core' with 512 MB free (most free: 224 MB)", held.WaitReason());
        Assert.Contains(("waiting", "waiting: no worker in pool 'core' with 512 MB free (most free: 224 MB)"), held.Events());

        // The 512 MB job heads mem-b and holds it (no overtaking inside a queue), so the 100 MB one waits too.
        Assert.Equal("waiting", (await _api.GetJobAsync(small)).State());

        await _api.CancelAsync(big);
        Assert.Equal("succeed", (await _api.WaitAsync(needy)).State());
        Assert.Equal("succeed", (await _api.WaitAsync(small)).State());
    }

    [Fact]
    public async Task A_queue_of_a_pool_without_workers_never_runs_on_another_pool()
    {
        await _api.PutQueueAsync("iso", """{"pool": "non-core", "weight": 50}""");
        var isolated = (await _api.SubmitAsync("iso")).Id();
        await _api.SyncAsync();

        var job = await _api.GetJobAsync(isolated);
        Assert.Equal("waiting", job.State());
        Assert.Equal("no live worker in pool 'non-core'", job.WaitReason());
        Assert.Contains(("waiting", "waiting: no live worker in pool 'non-core'"), job.Events());
        await _api.CancelAsync(isolated);
        Assert.Equal("cancelled", (await _api.GetJobAsync(isolated)).Reason());
    }

    [Fact]
    public async Task A_job_still_waiting_at_its_timeout_fails_with_timeout()
    {
        await _api.PutQueueAsync("ghost-timeout", """{"pool": "ghost"}""");
        var id = (await _api.SubmitAsync("ghost-timeout", extra: ""","timeoutSeconds": 1""")).Id();

        var job = await _api.WaitAsync(id);

        Assert.Equal("failed", job.State());
        Assert.Equal("timeout", job.Reason());
        Assert.Equal("waited past its timeout of 1 s", job.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, job.GetProperty("attempts").GetInt32());
        Assert.Equal(0, (await _api.GetQueueAsync("ghost-timeout")).GetProperty("size").GetInt32());
    }

    [Fact]
    public async Task Workers_report_their_pool_slots_memory_and_heartbeat()
    {
        var workers = await _api.Http.GetFromJsonAsync<JsonElement>("/v1/workers");

        var worker = Assert.Single(workers.EnumerateArray());
        Assert.Equal("two-slots", worker.GetProperty("id").GetString());
        Assert.Equal("two-slots", worker.GetProperty("silo").GetString());
        Assert.Equal("core", worker.GetProperty("pool").GetString());
        Assert.Equal("alive", worker.GetProperty("state").GetString());
        Assert.Equal(2, worker.GetProperty("slots").GetInt32());
        Assert.Equal(1024, worker.GetProperty("memoryMb").GetInt32());
        Assert.InRange(worker.GetProperty("lastHeartbeat").GetDateTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Admission_refuses_missing_closed_and_full_queues_and_stores_nothing()
    {
        await _api.PutQueueAsync("adm-closed", """{"state": "closed"}""");
        await _api.PutQueueAsync("adm-full", """{"pool": "ghost", "capacity": 1}""");
        var occupant = (await _api.SubmitAsync("adm-full")).Id();

        await AssertRefusedAsync("adm-missing", HttpStatusCode.NotFound, "queue_not_found", "queue 'adm-missing' does not exist");
        await AssertRefusedAsync("adm-closed", HttpStatusCode.Conflict, "queue_closed", "queue 'adm-closed' is closed");
        await AssertRefusedAsync("adm-full", (HttpStatusCode)429, "queue_full", "queue 'adm-full' holds 1 of 1 jobs");

        foreach (var queue in new[] { "adm-missing", "adm-closed" })
        {
            Assert.Empty((await _api.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs?queue={queue}")).EnumerateArray());
        }

        Assert.Single((await _api.Http.GetFromJsonAsync<JsonElement>("/v1/jobs?queue=adm-full")).EnumerateArray());

        // Room again once the occupant leaves; reopening the closed queue admits again.
        await _api.CancelAsync(occupant);
        Assert.Equal("waiting", (await _api.SubmitAsync("adm-full")).State());
        await _api.PutQueueAsync("adm-closed", """{"state": "open"}""");
        Assert.Equal("succeed", (await _api.WaitAsync((await _api.SubmitAsync("adm-closed")).Id())).State());
    }

    [Fact]
    public async Task Concurrent_submissions_never_overfill_a_queue()
    {
        await _api.PutQueueAsync("adm-race", """{"pool": "ghost", "capacity": 5}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _api.PostJobAsync("adm-race")));

        Assert.Equal(5, answers.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(15, answers.Count(r => r.StatusCode == (HttpStatusCode)429));
        Assert.Equal(5, (await _api.GetQueueAsync("adm-race")).GetProperty("size").GetInt32());
        foreach (var answer in answers.Where(r => r.StatusCode == HttpStatusCode.Accepted))
        {
            await _api.CancelAsync((await answer.Content.ReadFromJsonAsync<JsonElement>()).Id());
        }
    }

    private async Task AssertRefusedAsync(string queue, HttpStatusCode status, string code, string detailStart)
    {
        using var response = await _api.PostJobAsync(queue);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.StartsWith(detailStart, problem.GetProperty("detail").GetString());
    }
}
