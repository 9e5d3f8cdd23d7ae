using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;

namespace Hera.Grains.Tests.Jobs;

/// <summary>The job grain over a real SQLite grid store: each move persisted, each refusal harmless.</summary>
public sealed class JobGrainTests : IAsyncLifetime
{
    private GridFixture _grid = null!;

    public async Task InitializeAsync() => _grid = await GridFixture.CreateAsync();

    public async Task DisposeAsync() => await _grid.DisposeAsync();

    [Fact]
    public async Task Submitted_job_is_waiting_with_new_and_waiting_events()
    {
        var job = await SubmitAsync();

        Assert.Equal(JobState.Waiting, job.State);
        var events = await _grid.Store.JobEventListAsync(job.Id, default);
        Assert.Equal([JobState.New, JobState.Waiting], events.Select(e => e.State));
        Assert.Equal("queue default", events[1].Detail);
    }

    [Fact]
    public async Task A_waiting_job_is_claimed_once_and_counts_the_attempt()
    {
        var job = await SubmitAsync();
        var grain = _grid.Grains.GetJob(job.Id);

        var first = await grain.TryStartAsync("w1", "local", null, "worker w1 engine local", default);
        var second = await grain.TryStartAsync("w2", "local", null, "worker w2 engine local", default);

        Assert.NotNull(first);
        Assert.Equal(JobState.Running, first.State);
        Assert.Equal(1, first.Attempts);
        Assert.Equal("w1", first.WorkerId);
        Assert.NotNull(first.StartedAt);
        Assert.Null(second);
    }

    [Fact]
    public async Task Only_the_owning_attempt_can_complete_a_running_job()
    {
        var running = await StartAsync();
        var grain = _grid.Grains.GetJob(running.Id);

        Assert.Null(await grain.CompleteAsync(running.Attempts + 1, 1, "x.ndjson", default));
        var done = await grain.CompleteAsync(running.Attempts, 42, "x.ndjson", default);

        Assert.NotNull(done);
        Assert.Equal(JobState.Succeed, done.State);
        Assert.Equal(42, done.RowCount);
        Assert.NotNull(done.FinishedAt);
        var last = (await _grid.Store.JobEventListAsync(running.Id, default))[^1];
        Assert.Equal(JobState.Succeed, last.State);
        Assert.Equal("42 rows", last.Detail);
    }

    [Fact]
    public async Task Cancelling_a_waiting_job_fails_it_with_reason_cancelled()
    {
        var job = await SubmitAsync();

        var outcome = await _grid.Grains.GetJob(job.Id).CancelAsync("cancelled by the caller", default);

        Assert.True(outcome.Cancelled);
        Assert.Equal([JobState.New, JobState.Waiting, JobState.Failed], (await _grid.Store.JobEventListAsync(job.Id, default)).Select(e => e.State));
        Assert.Equal(JobState.Failed, outcome.Job!.State);
        Assert.Equal(JobFailureReasons.Cancelled, outcome.Job.Reason);
        Assert.Equal(JobFailureReasons.Cancelled, outcome.Job.Error!.Code);
    }

    [Fact]
    public async Task Cancelling_a_running_job_fails_it_from_running()
    {
        var running = await StartAsync();

        var outcome = await _grid.Grains.GetJob(running.Id).CancelAsync("stop", default);

        Assert.True(outcome.Cancelled);
        Assert.Equal(JobState.Failed, outcome.Job!.State);
        Assert.Equal(
            [JobState.New, JobState.Waiting, JobState.Running, JobState.Failed],
            (await _grid.Store.JobEventListAsync(running.Id, default)).Select(e => e.State));
    }

    [Fact]
    public async Task Cancelling_a_finished_job_changes_nothing_and_says_so()
    {
        var running = await StartAsync();
        var grain = _grid.Grains.GetJob(running.Id);
        await grain.CompleteAsync(running.Attempts, 0, "x.ndjson", default);

        var outcome = await grain.CancelAsync("too late", default);

        Assert.False(outcome.Cancelled);
        Assert.Equal(JobState.Succeed, outcome.Job!.State);
        Assert.Contains("already succeed", outcome.Detail);
        Assert.Equal(4, (await _grid.Store.JobEventListAsync(running.Id, default)).Count);
    }

    [Fact]
    public async Task A_completion_after_a_cancel_is_refused()
    {
        var running = await StartAsync();
        var grain = _grid.Grains.GetJob(running.Id);
        await grain.CancelAsync("stop", default);

        Assert.Null(await grain.CompleteAsync(running.Attempts, 10, "x.ndjson", default));
        Assert.Equal(JobState.Failed, (await grain.GetAsync(default))!.State);
    }

    [Fact]
    public async Task Recovery_requeues_a_running_job_and_the_next_claim_is_attempt_two()
    {
        var running = await StartAsync();
        var grain = _grid.Grains.GetJob(running.Id);

        var recovered = await grain.RecoverAsync(maxAttempts: 3, "worker lost", default);
        var second = await grain.TryStartAsync("w2", "local", null, "worker w2", default);

        Assert.Equal(JobState.Waiting, recovered!.State);
        Assert.Null(recovered.WorkerId);
        Assert.Equal(2, second!.Attempts);
    }

    [Fact]
    public async Task Recovery_past_the_attempt_limit_fails_the_job_worker_lost()
    {
        var running = await StartAsync();

        var recovered = await _grid.Grains.GetJob(running.Id).RecoverAsync(maxAttempts: 1, "worker lost", default);

        Assert.Equal(JobState.Failed, recovered!.State);
        Assert.Equal(JobFailureReasons.WorkerLost, recovered.Reason);
        Assert.Contains("1 of 1 attempts", recovered.Error!.Message);
    }

    [Fact]
    public async Task Recovery_leaves_jobs_that_are_not_running_alone()
    {
        var job = await SubmitAsync();
        Assert.Null(await _grid.Grains.GetJob(job.Id).RecoverAsync(3, "worker lost", default));
    }

    [Fact]
    public async Task A_cancel_racing_a_completion_ends_in_exactly_one_terminal_state()
    {
        for (var round = 0; round < 20; round++)
        {
            var running = await StartAsync();
            var grain = _grid.Grains.GetJob(running.Id);

            var cancel = Task.Run(() => grain.CancelAsync("race", default));
            var complete = Task.Run(() => grain.CompleteAsync(running.Attempts, 1, "x.ndjson", default));
            var (cancelled, completed) = (await cancel, await complete);

            Assert.True(cancelled.Cancelled ^ (completed is not null), "exactly one of cancel and complete must win");
            var events = await _grid.Store.JobEventListAsync(running.Id, default);
            Assert.Single(events, e => e.State.IsTerminal());
        }
    }

    [Fact]
    public async Task Every_write_is_published_to_the_feed()
    {
        var seen = new List<JobState>();
        _grid.Feed.Changed += job => seen.Add(job.State);

        var running = await StartAsync();
        await _grid.Grains.GetJob(running.Id).CompleteAsync(running.Attempts, 0, "x.ndjson", default);

        Assert.Equal([JobState.Waiting, JobState.Running, JobState.Succeed], seen);
    }

    private Task<JobRecord> SubmitAsync() => _grid.SubmitAsync();

    private Task<JobRecord> StartAsync() => _grid.StartAsync();
}
