using Hera.Client;

namespace Hera.Client.Tests;

/// <summary>Queues and workers through Hera.Client against a whole embedded silo.</summary>
public sealed class QueueAndWorkerTests(HeraGatewayFactory factory) : IClassFixture<HeraGatewayFactory>
{
    private readonly HeraClient _client = new(factory.CreateClient());

    [Fact]
    public async Task Put_creates_a_queue_then_changes_only_the_members_sent()
    {
        var created = await _client.PutQueueAsync("etl", new HeraQueueSettings { Weight = 10, Capacity = 1000, Parallelism = 8, MaxResourceShare = 0.5 });
        var closed = await _client.PutQueueAsync("etl", new HeraQueueSettings { State = "closed" });
        var read = await _client.GetQueueAsync("etl");
        var listed = await _client.ListQueuesAsync();

        Assert.True(created.Created);
        Assert.Equal(new { Weight = 10.0, Capacity = 1000, Parallelism = 8, Share = 0.5, Pool = "core", State = "open" }, Settings(created.Queue));
        Assert.False(closed.Created);
        Assert.Equal(new { Weight = 10.0, Capacity = 1000, Parallelism = 8, Share = 0.5, Pool = "core", State = "closed" }, Settings(closed.Queue));
        Assert.Equal(closed.Queue, read);
        Assert.Equal(created.Queue.CreatedAt, read.CreatedAt);
        Assert.Contains(listed, q => q.Name == "default");
        Assert.Equal(read, listed.Single(q => q.Name == "etl"));
    }

    [Fact]
    public async Task A_new_queue_given_no_settings_takes_the_defaults()
    {
        var put = await _client.PutQueueAsync("plain", new HeraQueueSettings());

        Assert.True(put.Created);
        Assert.Equal(new { Weight = 1.0, Capacity = 10_000, Parallelism = 64, Share = 1.0, Pool = "core", State = "open" }, Settings(put.Queue));
        Assert.Equal(0, put.Queue.Size);
        Assert.Equal(0, put.Queue.Running);
    }

    [Fact]
    public async Task Put_with_a_value_out_of_bounds_raises_invalid_request_naming_the_member_and_stores_nothing()
    {
        var error = await Assert.ThrowsAsync<HeraApiException>(() => _client.PutQueueAsync("bad-share", new HeraQueueSettings { MaxResourceShare = 1.5 }));
        var missing = await Assert.ThrowsAsync<HeraApiException>(() => _client.GetQueueAsync("bad-share"));

        Assert.Equal(400, error.Status);
        Assert.Equal("invalid_request", error.Code);
        Assert.Contains("maxResourceShare", error.Detail);
        Assert.Equal("queue_not_found", missing.Code);
    }

    [Fact]
    public async Task Get_of_an_unknown_queue_raises_queue_not_found()
    {
        var error = await Assert.ThrowsAsync<HeraApiException>(() => _client.GetQueueAsync("nightly"));

        Assert.Equal(404, error.Status);
        Assert.Equal("queue_not_found", error.Code);
    }

    [Fact]
    public async Task Workers_lists_the_test_silos_worker_alive_in_pool_core_with_two_slots()
    {
        var workers = await _client.ListWorkersAsync();

        var worker = Assert.Single(workers, w => w.Silo == "test-silo");
        Assert.Equal("alive", worker.State);
        Assert.Equal("core", worker.Pool);
        Assert.Equal(2, worker.Slots);
        Assert.False(string.IsNullOrEmpty(worker.Id));
        Assert.True(worker.LastHeartbeat >= worker.StartedAt, $"heartbeat {worker.LastHeartbeat:O} before start {worker.StartedAt:O}");
    }

    [Fact]
    public async Task A_job_waiting_in_a_queue_whose_pool_has_no_worker_says_why()
    {
        await _client.PutQueueAsync("orphans", new HeraQueueSettings { Pool = "ghost" });
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1", Queue = "orphans" });
        try
        {
            await AfterASchedulerPassAsync();

            var waiting = await _client.GetJobAsync(job.Id);
            var queue = await _client.GetQueueAsync("orphans");

            Assert.Equal("waiting", waiting.State);
            Assert.Equal("no live worker in pool 'ghost'", waiting.WaitReason);
            Assert.Equal("no live worker in pool 'ghost'", queue.WaitReason);
            Assert.Equal(1, queue.Size);
        }
        finally
        {
            await _client.CancelAsync(job.Id);
        }
    }

    [Fact]
    public async Task A_finished_job_has_no_wait_reason()
    {
        var job = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(60));

        Assert.Equal("succeed", job.State);
        Assert.Null(job.WaitReason);
    }

    private static object Settings(HeraQueue q) =>
        new { q.Weight, q.Capacity, q.Parallelism, Share = q.MaxResourceShare, q.Pool, q.State };

    // The scheduler notes wait reasons during its walks, and no change is published when it does. A job of the
    // default queue submitted now is started by a walk that began after everything submitted before it was
    // held; once it has finished, that walk has noted why the held jobs wait.
    private async Task AfterASchedulerPassAsync()
    {
        var marker = await _client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1" }, TimeSpan.FromSeconds(60));
        Assert.Equal("succeed", marker.State);
    }
}
