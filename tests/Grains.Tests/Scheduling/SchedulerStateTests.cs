using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Scheduling.Policy;
using static Hera.Grains.Tests.Scheduling.SchedulerBuilder;

namespace Hera.Grains.Tests.Scheduling;

/// <summary>Incremental state: closed queues, cancellation, finishing, lost claims and expiry.</summary>
public sealed class SchedulerStateTests
{
    [Fact]
    public void A_closed_queue_is_never_picked_and_says_why()
    {
        var b = new SchedulerBuilder().Queue("closed", weight: 10, state: QueueState.Closed).Queue("open");
        b.Jobs("closed", 2).Jobs("open", 1);

        var result = b.Pick();

        Assert.Equal(["open"], Queues(result));
        var wait = Assert.Single(result.Waits);
        Assert.Equal(("closed", new WaitReason(WaitReasonKind.QueueClosed, 0, 0, 0)), (wait.Queue, wait.Reason));
        Assert.Equal("closed", wait.Head.Queue);
        Assert.Equal(2, b.Scheduler.WaitingCount);
    }

    [Fact]
    public void A_cancelled_waiting_job_is_removed_and_never_picked()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", id: "keep-1");
        b.Job("q", id: "cancelled");
        b.Job("q", id: "keep-2");

        Assert.True(b.Scheduler.Remove("cancelled"));
        Assert.False(b.Scheduler.Remove("cancelled"));

        Assert.Equal(["keep-1", "keep-2"], Ids(b.Pick()));
        Assert.Equal(0.0, b.Scheduler.DynamicFactor("q"));
    }

    [Fact]
    public void A_finished_job_frees_its_queue_slot_and_memory()
    {
        var b = new SchedulerBuilder().Queue("q", parallelism: 1);
        b.Job("q", id: "first", memoryMb: 256);
        b.Job("q", id: "second");
        Assert.Equal(["first"], Ids(b.Pick()));
        Assert.Empty(b.Pick().Started);

        Assert.True(b.Scheduler.Remove("first"));

        Assert.Equal(0, b.Scheduler.RunningMemoryMb);
        Assert.Equal(["second"], Ids(b.Pick()));
    }

    [Fact]
    public void A_lost_claim_goes_back_to_waiting_ahead_of_later_deadlines()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", id: "early");
        b.Job("q", enqueuedSecondsAfterT0: 5, id: "late");
        Assert.Equal(["early"], Ids(b.Pick(maxJobs: 1)));

        Assert.True(b.Scheduler.Requeue("early"));
        Assert.False(b.Scheduler.Requeue("late"));

        Assert.Equal(0, b.Scheduler.RunningCount);
        Assert.Equal(["early", "late"], Ids(b.Pick()));
    }

    [Fact]
    public void A_job_found_running_at_start_up_counts_against_its_queue_parallelism()
    {
        var b = new SchedulerBuilder().Queue("q", parallelism: 1);
        b.Scheduler.AddRunning(new WaitingJob("recovered", "q", T0, 100, 100, "pg"));
        b.Jobs("q", 1);

        var result = b.Pick();

        Assert.Empty(result.Started);
        Assert.Equal("queue parallelism 1/1", Assert.Single(result.Waits).Reason.ToString());
    }

    [Fact]
    public void Waiting_jobs_past_their_deadline_are_dropped_and_reported_as_expired()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", enqueuedSecondsAfterT0: 0, timeoutSeconds: 10, id: "expired");
        b.Job("q", enqueuedSecondsAfterT0: 0, timeoutSeconds: 100, id: "alive");

        var result = b.Pick(nowSecondsAfterT0: 11);

        Assert.Equal(["alive"], Ids(result));
        Assert.Equal("expired", Assert.Single(result.Expired).Id);
        Assert.False(b.Scheduler.Remove("expired"));
    }

    [Fact]
    public void Submitting_to_an_unknown_queue_or_a_held_id_is_refused()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", id: "dup");

        Assert.Throws<ArgumentException>(() => b.Job("missing"));
        Assert.Throws<ArgumentException>(() => b.Job("q", id: "dup"));
    }

    [Theory]
    [InlineData(-1, 10, 1, 1.0)]
    [InlineData(1, 0, 1, 1.0)]
    [InlineData(1, 10, 0, 1.0)]
    [InlineData(1, 10, 1, 0.0)]
    [InlineData(1, 10, 1, 1.5)]
    public void Queue_settings_out_of_bounds_are_refused(double weight, int capacity, int parallelism, double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new WeightedQueueScheduler().UpsertQueue(new QueueDefinition("q", weight, capacity, parallelism, share, "core")));

    [Fact]
    public void Only_an_empty_queue_can_be_removed()
    {
        var b = new SchedulerBuilder().Queue("busy").Queue("empty");
        b.Jobs("busy", 1);

        Assert.False(b.Scheduler.RemoveQueue("busy"));
        Assert.True(b.Scheduler.RemoveQueue("empty"));
        Assert.Null(b.Scheduler.GetLoad("empty"));
    }

    [Fact]
    public void A_reused_result_allocates_nothing_per_decision_once_warm()
    {
        var b = new SchedulerBuilder().Queue("a").Queue("b", weight: 2);
        b.Jobs("a", 50).Jobs("b", 50);
        var result = new PickResult();
        var engines = EngineFree();
        Decide(b, result, engines, 10);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Decide(b, result, engines, 1000);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Decide(SchedulerBuilder b, PickResult result, IReadOnlyList<EngineSlots> engines, int decisions)
    {
        for (var i = 0; i < decisions; i++)
        {
            b.Scheduler.Pick(T0, Roomy, engines, 1, result);
            b.Scheduler.Requeue(result.Started[0].Job.Id);
        }
    }
}
