using Hera.Grains.Scheduling.Policy;
using static Hera.Grains.Tests.Scheduling.SchedulerBuilder;

namespace Hera.Grains.Tests.Scheduling;

/// <summary>Each limit stops the walk, or holds one queue, and says so in the operator's words.</summary>
public sealed class SchedulerLimitsTests
{
    [Fact]
    public void Queue_parallelism_holds_the_queue_with_reason_parallelism_4_of_4()
    {
        var b = new SchedulerBuilder().Queue("q", parallelism: 4);
        b.Jobs("q", 6);

        var result = b.Pick();

        Assert.Equal(4, result.Started.Count);
        Assert.Equal(PickStop.NothingStartable, result.Stop);
        var wait = Assert.Single(result.Waits);
        Assert.Equal("q", wait.Queue);
        Assert.Equal("queue parallelism 4/4", wait.Reason.ToString());
    }

    [Fact]
    public void A_low_weight_queue_still_runs_while_a_high_weight_queue_sits_at_its_parallelism_cap()
    {
        var b = new SchedulerBuilder().Queue("high", weight: 10, parallelism: 2).Queue("low", weight: 1);
        b.Jobs("high", 5).Jobs("low", 2);

        var result = b.Pick();

        Assert.Equal(["high", "high", "low", "low"], Queues(result));
        Assert.Equal("queue parallelism 2/2", Assert.Single(result.Waits).Reason.ToString());
    }

    [Fact]
    public void Queue_resource_share_of_cluster_memory_holds_the_queue()
    {
        var b = new SchedulerBuilder().Queue("q", share: 0.5).Queue("other", weight: 0.5);
        b.Job("q", memoryMb: 300);
        b.Job("q", memoryMb: 300);
        b.Job("other", memoryMb: 300);
        var limits = new ClusterLimits(MaxRunningTasks: 100, MaxMemoryMb: 1000, ClusterMemoryMb: 1000);

        var result = b.Pick(limits: limits);

        Assert.Equal(["q", "other"], Queues(result));
        var wait = Assert.Single(result.Waits);
        Assert.Equal(WaitReasonKind.QueueResourceShare, wait.Reason.Kind);
        Assert.Equal("queue resource share 0.5 reached (300 + 300 MB > 500 MB)", wait.Reason.ToString());
    }

    [Fact]
    public void Cluster_max_running_tasks_ends_the_walk()
    {
        var b = new SchedulerBuilder().Queue("a").Queue("b");
        b.Jobs("a", 3).Jobs("b", 3);
        var limits = new ClusterLimits(MaxRunningTasks: 4, MaxMemoryMb: 1_000_000, ClusterMemoryMb: 1_000_000);

        var result = b.Pick(limits: limits);

        Assert.Equal(4, result.Started.Count);
        Assert.Equal(PickStop.ClusterLimit, result.Stop);
        Assert.Equal("cluster max running 4/4", result.StopReason.ToString());
    }

    [Fact]
    public void Cluster_memory_ends_the_walk_rather_than_letting_smaller_jobs_overtake()
    {
        var b = new SchedulerBuilder().Queue("big", weight: 2).Queue("small");
        b.Job("big", memoryMb: 400);
        b.Job("big", memoryMb: 400);
        b.Job("small", memoryMb: 10);
        var limits = new ClusterLimits(MaxRunningTasks: 100, MaxMemoryMb: 700, ClusterMemoryMb: 10_000);

        var result = b.Pick(limits: limits);

        Assert.Equal(["big"], Queues(result));
        Assert.Equal(PickStop.ClusterLimit, result.Stop);
        Assert.Equal(WaitReasonKind.ClusterMemory, result.StopReason?.Kind);
        Assert.Equal("cluster memory 400 + 400 MB > 700 MB", result.StopReason.ToString());
    }

    [Fact]
    public void An_engine_without_a_free_slot_holds_the_queue_whose_next_job_targets_it()
    {
        var b = new SchedulerBuilder().Queue("pg-queue", weight: 2).Queue("ch-queue");
        b.Jobs("pg-queue", 3, engine: "pg").Jobs("ch-queue", 2, engine: "ch");

        var result = b.Pick(engines: EngineFree(pg: 1, ch: 5));

        Assert.Equal(["pg-queue", "ch-queue", "ch-queue"], Queues(result));
        Assert.Equal("engine 'pg' has no free slot", Assert.Single(result.Waits).Reason.ToString());
    }

    [Fact]
    public void An_engine_missing_from_the_free_slot_list_has_no_free_slot()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Jobs("q", 1, engine: "trino");

        var result = b.Pick();

        Assert.Empty(result.Started);
        Assert.Equal("engine 'trino' has no free slot", Assert.Single(result.Waits).Reason.ToString());
    }

    [Fact]
    public void MaxJobs_ends_the_walk()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Jobs("q", 5);

        var result = b.Pick(maxJobs: 2);

        Assert.Equal(2, result.Started.Count);
        Assert.Equal(PickStop.MaxJobsReached, result.Stop);
        Assert.Equal(3, b.Scheduler.WaitingCount);
    }
}
