using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Registry;
using Hera.EngineAdapters.Sqlite;
using Hera.Grains.Engines;
using Hera.Grains.Execution;
using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Interfaces.Workers;
using Hera.Grains.Scheduling;
using Hera.Grains.Workers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hera.Grains.Tests.Scheduling;

/// <summary>
/// The scheduler grain over a real SQLite store, driven step by step on a manual clock: rebuilding from the
/// store, admission, stale changes, and handing back the jobs of a worker whose heartbeats stopped.
/// </summary>
public sealed class JobSchedulerTests : IAsyncLifetime
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private GridFixture _grid = null!;
    private EngineRegistry _engines = null!;
    private JobScheduler _scheduler = null!;

    public async Task InitializeAsync()
    {
        _grid = await GridFixture.CreateAsync();
        _engines = new EngineRegistry([new SqliteEngineAdapter("local", Path.Combine(Path.GetTempPath(), "hera-tests", $"{Guid.NewGuid():N}.db"))], "local");
    }

    public async Task DisposeAsync()
    {
        _scheduler?.Dispose();
        await _engines.DisposeAsync();
        await _grid.DisposeAsync();
    }

    [Fact]
    public async Task A_worker_silent_past_the_limit_is_marked_dead_and_its_job_goes_back_to_waiting()
    {
        await BeatAsync("w-remote", _time.GetUtcNow());
        var job = await StartOnAsync("w-remote");
        await StartSchedulerAsync();

        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(0, await _scheduler.CheckWorkersAsync(default));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await _scheduler.CheckWorkersAsync(default));

        var back = (await _grid.Store.JobGetAsync(job.Id, default))!;
        Assert.Equal(JobState.Waiting, back.State);
        Assert.Equal(1, back.Attempts);
        var events = await _grid.Store.JobEventListAsync(job.Id, default);
        Assert.Equal("worker w-remote lost: no heartbeat for 6.0 s", events[^1].Detail);
        Assert.Equal(WorkerState.Dead, Assert.Single(await _grid.Store.WorkerListAsync(default)).State);
        Assert.Equal(WorkerState.Dead, Assert.Single(_scheduler.ListWorkers()).State);
        Assert.Equal(1, _scheduler.GetQueue("default")!.Size);
        Assert.Equal(0, _scheduler.GetQueue("default")!.Running);
    }

    [Fact]
    public async Task A_heartbeat_that_arrives_in_time_keeps_the_worker_alive()
    {
        await BeatAsync("w-remote", _time.GetUtcNow());
        var job = await StartOnAsync("w-remote");
        await StartSchedulerAsync();

        _time.Advance(TimeSpan.FromSeconds(4));
        await BeatAsync("w-remote", _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(4));

        Assert.Equal(0, await _scheduler.CheckWorkersAsync(default));
        Assert.Equal(JobState.Running, (await _grid.Store.JobGetAsync(job.Id, default))!.State);
        Assert.Equal(WorkerState.Alive, Assert.Single(_scheduler.ListWorkers()).State);
    }

    [Fact]
    public async Task A_lost_job_past_its_attempt_limit_fails_with_worker_lost()
    {
        await BeatAsync("w-remote", _time.GetUtcNow());
        var job = await StartOnAsync("w-remote");
        await StartSchedulerAsync(new SchedulerOptions { MaxAttempts = 1 });

        _time.Advance(TimeSpan.FromSeconds(10));
        await _scheduler.CheckWorkersAsync(default);

        var failed = (await _grid.Store.JobGetAsync(job.Id, default))!;
        Assert.Equal(JobState.Failed, failed.State);
        Assert.Equal(JobFailureReasons.WorkerLost, failed.Reason);
        Assert.Equal((0, 0), (_scheduler.GetQueue("default")!.Size, _scheduler.GetQueue("default")!.Running));
    }

    [Fact]
    public async Task Start_rebuilds_queue_sizes_from_the_store_and_admission_counts_them()
    {
        await _grid.Store.QueueUpsertAsync(QueueDefinition.WithDefaults("small") with { Capacity = 2 }, _time.GetUtcNow(), default);
        await SubmitAsync("small");
        await SubmitAsync("small");
        await SubmitAsync("default");
        await StartOnAsync("w-gone");

        await StartSchedulerAsync();

        Assert.Equal((2, 0), (_scheduler.GetQueue("small")!.Size, _scheduler.GetQueue("small")!.Running));
        Assert.Equal((1, 1), (_scheduler.GetQueue("default")!.Size, _scheduler.GetQueue("default")!.Running));
        var refused = Assert.Throws<HeraProblemException>(() => _scheduler.Admit("small", "another"));
        Assert.Equal(ProblemCodes.QueueFull, refused.Problem);
        Assert.Equal("queue 'small' holds 2 of 2 jobs; retry later", refused.Message);
    }

    [Fact]
    public async Task A_reservation_holds_a_place_until_released_or_the_job_arrives()
    {
        await _grid.Store.QueueUpsertAsync(QueueDefinition.WithDefaults("one") with { Capacity = 1 }, _time.GetUtcNow(), default);
        await StartSchedulerAsync();

        var ticket = _scheduler.Admit("one", "j1");
        Assert.Equal(ProblemCodes.QueueFull, Assert.Throws<HeraProblemException>(() => _scheduler.Admit("one", "j2")).Problem);
        ticket.Dispose();
        using (_scheduler.Admit("one", "j3"))
        {
            var arrived = await _grid.Grains.GetJob("j3").SubmitAsync(JobSpec.ForSql("SELECT 1") with { Queue = "one" }, "queue one", default);
            Assert.Equal(JobState.Waiting, arrived.State);
        }

        // The reservation became the waiting job: still exactly one place taken.
        Assert.Equal(1, _scheduler.GetQueue("one")!.Size);
        Assert.Equal(ProblemCodes.QueueFull, Assert.Throws<HeraProblemException>(() => _scheduler.Admit("one", "j4")).Problem);
    }

    [Fact]
    public async Task A_stale_change_published_after_the_job_finished_does_not_bring_it_back()
    {
        await StartSchedulerAsync();
        var waiting = await SubmitAsync("default");
        var running = (await _grid.Grains.GetJob(waiting.Id).TryStartAsync("w1", "local", null, "worker w1", default))!;
        await _grid.Grains.GetJob(waiting.Id).CancelAsync("test", default);
        Assert.Equal((0, 0), (_scheduler.GetQueue("default")!.Size, _scheduler.GetQueue("default")!.Running));

        _grid.Feed.Publish(running);
        _grid.Feed.Publish(waiting);

        Assert.Equal((0, 0), (_scheduler.GetQueue("default")!.Size, _scheduler.GetQueue("default")!.Running));
    }

    [Fact]
    public async Task Closed_queues_refuse_and_unknown_queues_are_named_in_the_problem()
    {
        await _grid.Store.QueueUpsertAsync(QueueDefinition.WithDefaults("shut") with { State = QueueState.Closed }, _time.GetUtcNow(), default);
        await StartSchedulerAsync();

        Assert.Equal(ProblemCodes.QueueClosed, Assert.Throws<HeraProblemException>(() => _scheduler.Admit("shut", "a")).Problem);
        var missing = Assert.Throws<HeraProblemException>(() => _scheduler.Admit("nope", "b"));
        Assert.Equal(ProblemCodes.QueueNotFound, missing.Problem);
        Assert.Equal("queue 'nope' does not exist; queues: default, shut", missing.Message);
    }

    private async Task StartSchedulerAsync(SchedulerOptions? options = null)
    {
        var catalog = new EngineCatalog(
            _grid.Store, _engines, new EngineAdapterFactory(new Dictionary<string, Func<EngineDefinition, IEngineAdapter>>()),
            new EngineDefinition("local", EngineKinds.Sqlite, "unused.db", 8, new Dictionary<string, string>()),
            CircuitOptions.Default, _time, NullLogger<EngineCatalog>.Instance);
        await catalog.StartAsync(default);
        _scheduler = new JobScheduler(
            options ?? new SchedulerOptions(), _grid.Store, _grid.Grains, catalog, new EngineRouting(_grid.Store, catalog, new StatementPreparation(catalog, new SqlDialects())), _grid.Feed,
            new WorkerDirectory(), _time, NullLogger<JobScheduler>.Instance);
        await _scheduler.StartAsync(default);
    }

    private Task<JobRecord> SubmitAsync(string queue) =>
        _grid.Grains.GetJob(GrainFactory.NewJobId()).SubmitAsync(JobSpec.ForSql("SELECT 1") with { Queue = queue }, $"queue {queue}", default);

    private async Task<JobRecord> StartOnAsync(string worker)
    {
        var job = await SubmitAsync("default");
        return (await _grid.Grains.GetJob(job.Id).TryStartAsync(worker, "local", null, $"worker {worker} engine local", default))!;
    }

    private Task BeatAsync(string id, DateTimeOffset at) => _grid.Store.WorkerUpsertAsync(
        new WorkerRecord { Id = id, Silo = id, Pool = "core", Slots = 2, MemoryMb = 1024, StartedAt = at, LastHeartbeat = at },
        default);
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
