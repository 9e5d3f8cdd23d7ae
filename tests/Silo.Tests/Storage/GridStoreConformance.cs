using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;

namespace Hera.Silo.Tests.Storage;

/// <summary>
/// What every <see cref="IGridStore"/> backend must do. A backend's test class derives from this and supplies a
/// fresh, migrated store; the PostgreSQL store runs the very same facts.
/// </summary>
public abstract partial class GridStoreConformance : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    protected IGridStore Store { get; private set; } = null!;

    /// <summary>A new, empty, migrated store.</summary>
    protected abstract Task<IGridStore> CreateStoreAsync();

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Migrating_again_is_a_no_op_that_reports_the_same_version()
    {
        var first = await Store.MigrateAsync(default);
        var second = await Store.MigrateAsync(default);
        Assert.True(first >= 1);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Inserted_job_reads_back_with_its_spec_state_and_times()
    {
        var spec = JobSpec.ForSql("SELECT 'héllo'") with
        {
            Engines = ["local", "pg"],
            Labels = new Dictionary<string, string> { ["business"] = "ads" },
            Parameters = new Dictionary<string, string> { ["max_threads"] = "4" },
            MemoryMb = 64,
        };
        var at = T0.AddTicks(1230); // microsecond precision: 123 µs
        await Store.JobInsertAsync(new JobInsertParams("j1", spec, at, [new(JobState.New, at, null), new(JobState.Waiting, at, "queue default")]), default);

        var job = await Store.JobGetAsync("j1", default);

        Assert.NotNull(job);
        Assert.Equal(JobState.Waiting, job.State);
        Assert.Equal(1, job.Version);
        Assert.Equal(0, job.Attempts);
        Assert.Equal(at, job.SubmittedAt);
        Assert.Equal(at, job.EnqueuedAt);
        Assert.Equal("SELECT 'héllo'", job.Spec.Sql);
        Assert.Equal(["local", "pg"], job.Spec.Engines);
        Assert.Equal("ads", job.Spec.Labels["business"]);
        Assert.Equal("4", job.Spec.Parameters["max_threads"]);
        Assert.Equal(64, job.Spec.MemoryMb);
    }

    [Fact]
    public async Task Unknown_job_reads_as_null_with_no_events()
    {
        Assert.Null(await Store.JobGetAsync("nope", default));
        Assert.Empty(await Store.JobEventListAsync("nope", default));
    }

    [Fact]
    public async Task Inserting_an_existing_id_throws_duplicate_key()
    {
        await InsertWaitingAsync("dup", T0);
        await Assert.ThrowsAsync<DuplicateKeyException>(() => InsertWaitingAsync("dup", T0));
    }

    [Fact]
    public async Task Update_applies_only_at_the_expected_version_and_increments_it()
    {
        var job = await InsertWaitingAsync("v", T0);

        var running = await Store.JobUpdateIfVersionAsync(
            new JobUpdateParams(job with { State = JobState.Running, Attempts = 1, WorkerId = "w1", Engine = "local", StartedAt = T0 }, job.Version, new(JobState.Running, T0, "worker w1")),
            default);
        var stale = await Store.JobUpdateIfVersionAsync(
            new JobUpdateParams(job with { State = JobState.Failed, Reason = "cancelled" }, job.Version, new(JobState.Failed, T0, "late")),
            default);

        Assert.NotNull(running);
        Assert.Equal(2, running.Version);
        Assert.Null(stale);
        var stored = await Store.JobGetAsync("v", default);
        Assert.Equal(JobState.Running, stored!.State);
        Assert.Equal("w1", stored.WorkerId);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(3, (await Store.JobEventListAsync("v", default)).Count); // new, waiting, running; not the stale one
    }

    [Fact]
    public async Task Update_of_a_missing_job_returns_null()
    {
        var ghost = new JobRecord { Id = "ghost", Spec = JobSpec.ForSql("SELECT 1"), State = JobState.Running, SubmittedAt = T0 };
        Assert.Null(await Store.JobUpdateIfVersionAsync(new JobUpdateParams(ghost, 1, null), default));
    }

    [Fact]
    public async Task Every_field_of_a_finished_job_round_trips()
    {
        var job = await InsertWaitingAsync("f", T0);
        var failed = job with
        {
            State = JobState.Failed,
            Reason = JobFailureReasons.SqlError,
            Error = new JobError("SQLITE_ERROR", "no such table: nope"),
            Engine = "local",
            WorkerId = "w1",
            Attempts = 2,
            StartedAt = T0.AddSeconds(1),
            FinishedAt = T0.AddSeconds(2),
            RowCount = 42,
            Score = 2.5,
            ResultPath = "f.1.ndjson",
        };

        await Store.JobUpdateIfVersionAsync(new JobUpdateParams(failed, job.Version, null), default);

        Assert.Equal(failed with { Version = 2 }, (await Store.JobGetAsync("f", default))! with { Spec = failed.Spec });
    }

    [Fact]
    public async Task Notes_given_with_an_update_come_before_its_event_and_only_if_it_applies()
    {
        var job = await InsertWaitingAsync("n", T0);
        var running = job with { State = JobState.Running, Attempts = 1 };
        IReadOnlyList<JobEventDraft> notes = [new(JobState.Waiting, T0.AddSeconds(1), "first"), new(JobState.Waiting, T0.AddSeconds(2), "second")];

        Assert.Null(await Store.JobUpdateIfVersionAsync(new JobUpdateParams(running, job.Version + 5, new(JobState.Running, T0.AddSeconds(3), "stale"), notes), default));
        await Store.JobUpdateIfVersionAsync(new JobUpdateParams(running, job.Version, new(JobState.Running, T0.AddSeconds(3), "started"), notes), default);

        var events = await Store.JobEventListAsync("n", default);
        Assert.Equal(["queue default", "first", "second", "started"], events.Skip(1).Select(e => e.Detail));
        Assert.Equal([1, 2, 3, 4, 5], events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Imported_jobs_read_back_whole_with_their_histories()
    {
        var spec = JobSpec.ForSql("SELECT 2") with { Engines = ["pg"] };
        var ran = new JobRecord
        {
            Id = "i1",
            Spec = spec,
            State = JobState.Succeed,
            Version = 3,
            Engine = "pg",
            WorkerId = "gateway s1",
            Attempts = 1,
            SubmittedAt = T0,
            StartedAt = T0.AddTicks(10),
            FinishedAt = T0.AddTicks(20),
            RowCount = 7,
        };
        var broke = ran with { Id = "i2", State = JobState.Failed, Reason = JobFailureReasons.EngineError, Error = new JobError("57P01", "terminated"), RowCount = null };

        await Store.JobImportAsync(
            [
                new(ran, [new(JobState.New, T0, null), new(JobState.Running, T0.AddTicks(10), "interactive"), new(JobState.Succeed, T0.AddTicks(20), null)]),
                new(broke, [new(JobState.New, T0, null), new(JobState.Failed, T0.AddTicks(20), "57P01")]),
            ],
            default);

        var read = await Store.JobGetAsync("i1", default);
        Assert.Equal(ran, read! with { Spec = spec });
        Assert.Equal(["pg"], read.Spec.Engines);
        Assert.Equal(broke, (await Store.JobGetAsync("i2", default))! with { Spec = spec });
        Assert.Equal([JobState.New, JobState.Running, JobState.Succeed], (await Store.JobEventListAsync("i1", default)).Select(e => e.State));
        Assert.Equal("57P01", (await Store.JobEventListAsync("i2", default))[^1].Detail);
    }

    [Fact]
    public async Task Importing_an_existing_id_writes_nothing_of_the_batch()
    {
        await InsertWaitingAsync("dup", T0);
        var fresh = new JobRecord { Id = "new1", Spec = JobSpec.ForSql("SELECT 1"), State = JobState.Succeed, Version = 1, SubmittedAt = T0 };
        var clash = fresh with { Id = "dup" };

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Store.JobImportAsync(
            [new(fresh, [new(JobState.Succeed, T0, null)]), new(clash, [new(JobState.Succeed, T0, null)])], default));

        Assert.Null(await Store.JobGetAsync("new1", default));
        Assert.Equal(JobState.Waiting, (await Store.JobGetAsync("dup", default))!.State);
    }

    [Fact]
    public async Task Events_are_numbered_in_order_with_their_details()
    {
        var job = await InsertWaitingAsync("e", T0);
        await Store.JobUpdateIfVersionAsync(new JobUpdateParams(job with { State = JobState.Running }, 1, new(JobState.Running, T0.AddSeconds(1), "worker w1 engine local")), default);

        var events = await Store.JobEventListAsync("e", default);

        Assert.Equal([1, 2, 3], events.Select(e => e.Sequence));
        Assert.Equal([JobState.New, JobState.Waiting, JobState.Running], events.Select(e => e.State));
        Assert.Equal("worker w1 engine local", events[2].Detail);
        Assert.Equal(T0.AddSeconds(1), events[2].At);
    }

    [Fact]
    public async Task Listing_filters_by_state_and_queue_and_orders_newest_first()
    {
        await InsertWaitingAsync("a", T0);
        await InsertWaitingAsync("b", T0.AddSeconds(1));
        var c = await InsertWaitingAsync("c", T0.AddSeconds(2));
        await Store.JobUpdateIfVersionAsync(new JobUpdateParams(c with { State = JobState.Running }, 1, null), default);

        var all = await Store.JobListAsync(new JobListParams(), default);
        var waiting = await Store.JobListAsync(new JobListParams(State: JobState.Waiting), default);
        var otherQueue = await Store.JobListAsync(new JobListParams(Queue: "etl"), default);
        var limited = await Store.JobListAsync(new JobListParams(Limit: 1), default);

        Assert.Equal(["c", "b", "a"], all.Select(j => j.Id));
        Assert.Equal(["b", "a"], waiting.Select(j => j.Id));
        Assert.Empty(otherQueue);
        Assert.Equal(["c"], limited.Select(j => j.Id));
    }

    [Fact]
    public async Task Dispatch_order_is_earliest_enqueued_first()
    {
        await InsertWaitingAsync("late", T0.AddSeconds(5));
        await InsertWaitingAsync("early", T0);
        await InsertWaitingAsync("middle", T0.AddSeconds(2));

        var order = await Store.JobListAsync(new JobListParams(JobState.Waiting, "default", 10, JobListOrder.EnqueuedFirst), default);

        Assert.Equal(["early", "middle", "late"], order.Select(j => j.Id));
    }

    [Fact]
    public async Task Counts_by_state_cover_every_job()
    {
        await InsertWaitingAsync("1", T0);
        await InsertWaitingAsync("2", T0);
        var three = await InsertWaitingAsync("3", T0);
        await Store.JobUpdateIfVersionAsync(new JobUpdateParams(three with { State = JobState.Running }, 1, null), default);

        var counts = await Store.JobCountByStateAsync(default);

        Assert.Equal(2, counts[JobState.Waiting]);
        Assert.Equal(1, counts[JobState.Running]);
        Assert.False(counts.ContainsKey(JobState.Failed));
    }

    [Fact]
    public async Task Concurrent_updates_at_one_version_let_exactly_one_win()
    {
        var job = await InsertWaitingAsync("race", T0);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store.JobUpdateIfVersionAsync(new JobUpdateParams(job with { State = JobState.Running, WorkerId = $"w{i}" }, job.Version, new(JobState.Running, T0, $"w{i}")), default))));

        Assert.Single(attempts, a => a is not null);
        Assert.Equal(3, (await Store.JobEventListAsync("race", default)).Count);
    }

    [Fact]
    public async Task Score_is_null_on_insert_and_round_trips_through_update()
    {
        var job = await InsertWaitingAsync("s", T0);
        var inserted = await Store.JobGetAsync("s", default);
        var score = 10 + (1.0 / 3); // not exact in binary or in single precision: a float column would lose it

        var updated = await Store.JobUpdateIfVersionAsync(new JobUpdateParams(job with { State = JobState.Running, Score = score }, job.Version, null), default);

        Assert.Null(job.Score);
        Assert.Null(inserted!.Score);
        Assert.Equal(score, updated!.Score);
        Assert.Equal(score, (await Store.JobGetAsync("s", default))!.Score);
        Assert.Equal(score, (await Store.JobListAsync(new JobListParams(), default)).Single().Score);
    }

    [Fact]
    public async Task Appended_event_comes_last_with_its_state_and_detail_and_leaves_the_job_alone()
    {
        await InsertWaitingAsync("a", T0);
        var at = T0.AddSeconds(1).AddTicks(10); // 1 s and 1 µs

        var appended = await Store.JobEventAppendAsync("a", new JobEventDraft(JobState.Waiting, at, "queue default: parallelism 64 reached"), default);
        var bare = await Store.JobEventAppendAsync("a", new JobEventDraft(JobState.Waiting, at, null), default);

        Assert.True(appended);
        Assert.True(bare);
        var events = await Store.JobEventListAsync("a", default);
        Assert.Equal([1, 2, 3, 4], events.Select(e => e.Sequence));
        Assert.Equal(new JobEvent(3, JobState.Waiting, at, "queue default: parallelism 64 reached"), events[2]);
        Assert.Equal(new JobEvent(4, JobState.Waiting, at, null), events[3]);
        var job = await Store.JobGetAsync("a", default);
        Assert.Equal(1, job!.Version);
        Assert.Equal(JobState.Waiting, job.State);
    }

    [Fact]
    public async Task Appending_to_an_unknown_job_returns_false_and_appends_nothing()
    {
        await InsertWaitingAsync("known", T0);

        var appended = await Store.JobEventAppendAsync("unknown", new JobEventDraft(JobState.Waiting, T0, "why"), default);

        Assert.False(appended);
        Assert.Empty(await Store.JobEventListAsync("unknown", default));
        Assert.Equal(2, (await Store.JobEventListAsync("known", default)).Count);
    }

    [Fact]
    public async Task Concurrent_appends_to_one_job_get_distinct_consecutive_numbers()
    {
        await InsertWaitingAsync("many", T0);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            Store.JobEventAppendAsync("many", new JobEventDraft(JobState.Waiting, T0, $"a{i}"), default))));

        Assert.All(results, Assert.True);
        var events = await Store.JobEventListAsync("many", default);
        Assert.Equal(Enumerable.Range(1, 10), events.Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"a{i}").Order(), events.Skip(2).Select(e => e.Detail!).Order());
    }

    private Task<JobRecord> InsertWaitingAsync(string id, DateTimeOffset at) =>
        Store.JobInsertAsync(new JobInsertParams(id, JobSpec.ForSql("SELECT 1"), at, [new(JobState.New, at, null), new(JobState.Waiting, at, "queue default")]), default);
}
