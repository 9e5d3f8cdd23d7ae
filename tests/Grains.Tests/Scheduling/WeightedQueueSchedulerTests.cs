using Hera.Grains.Scheduling.Policy;
using static Hera.Grains.Tests.Scheduling.SchedulerBuilder;

namespace Hera.Grains.Tests.Scheduling;

/// <summary>The seed's worked examples and DESIGN.md's ordering rules, through the pure scheduler.</summary>
public sealed class WeightedQueueSchedulerTests
{
    [Fact]
    public void A_weight_10_queue_beats_a_weight_1_queue_whatever_the_job_weights()
    {
        var b = new SchedulerBuilder().Queue("low", weight: 1).Queue("high", weight: 10);
        b.Job("low", enqueuedSecondsAfterT0: 0, timeoutSeconds: 100, id: "almost-late");
        b.Job("high", enqueuedSecondsAfterT0: 90, timeoutSeconds: 1000, id: "fresh");

        // At t=95: almost-late has job weight 0.05, fresh has 0.995; the queue weight still decides.
        var result = b.Pick(nowSecondsAfterT0: 95, maxJobs: 1);

        Assert.Equal(["fresh"], Ids(result));
        Assert.Equal(PickStop.MaxJobsReached, result.Stop);
    }

    [Fact]
    public void With_equal_weights_the_queue_with_dynamic_factor_0_5_beats_the_one_with_0_3()
    {
        var b = new SchedulerBuilder().Queue("a", weight: 5, capacity: 10).Queue("b", weight: 5, capacity: 10);
        b.Jobs("a", 3).Jobs("b", 5);
        Assert.Equal(0.3, b.Scheduler.DynamicFactor("a"), 12);
        Assert.Equal(0.5, b.Scheduler.DynamicFactor("b"), 12);

        var result = b.Pick(maxJobs: 1);

        Assert.Equal(["b"], Queues(result));
    }

    [Fact]
    public void Inside_a_queue_job_weight_0_2_runs_before_job_weight_0_5()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", enqueuedSecondsAfterT0: 30, timeoutSeconds: 100, id: "w05");
        b.Job("q", enqueuedSecondsAfterT0: 0, timeoutSeconds: 100, id: "w02");
        var now = T0.AddSeconds(80);
        Assert.Equal(0.5, WeightedQueueScheduler.JobWeight(new WaitingJob("x", "q", T0.AddSeconds(30), 100, 1, "pg"), now), 12);
        Assert.Equal(0.2, WeightedQueueScheduler.JobWeight(new WaitingJob("y", "q", T0, 100, 1, "pg"), now), 12);

        Assert.Equal(["w02", "w05"], Ids(b.Pick(nowSecondsAfterT0: 80)));
    }

    [Fact]
    public void Inside_a_queue_the_earliest_deadline_runs_first_even_when_its_job_weight_is_higher()
    {
        // The rule chosen where "nearest its timeout" and "lowest job weight" disagree (design note, point 2).
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", enqueuedSecondsAfterT0: 0, timeoutSeconds: 200, id: "deadline-200");
        b.Job("q", enqueuedSecondsAfterT0: 90, timeoutSeconds: 100, id: "deadline-190");

        Assert.Equal(0.5, b.Scheduler.Score("deadline-200", T0.AddSeconds(100)) - 1 - b.Scheduler.DynamicFactor("q"), 12);
        Assert.Equal(["deadline-190", "deadline-200"], Ids(b.Pick(nowSecondsAfterT0: 100)));
    }

    [Fact]
    public void Equal_deadlines_run_in_submission_order()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", id: "first");
        b.Job("q", id: "second");
        b.Job("q", id: "third");

        Assert.Equal(["first", "second", "third"], Ids(b.Pick()));
    }

    [Fact]
    public void Starting_a_job_lowers_its_queue_dynamic_factor_so_equal_weight_queues_take_turns()
    {
        var b = new SchedulerBuilder().Queue("a", capacity: 10, parallelism: 4).Queue("b", capacity: 10, parallelism: 4);
        b.Jobs("a", 4).Jobs("b", 4);

        // Both start at 0.4; a wins the tie by registration; then a is 0.3 x 0.75 = 0.225 and b leads, and so on.
        Assert.Equal(["a", "b", "a", "b"], Queues(b.Pick(maxJobs: 4)));
    }

    [Fact]
    public void Dynamic_factor_and_score_are_the_seed_formulas_exactly()
    {
        var b = new SchedulerBuilder().Queue("q", weight: 3, capacity: 8, parallelism: 4);
        b.Jobs("q", 4);
        b.Job("q", enqueuedSecondsAfterT0: 0, timeoutSeconds: 200, id: "scored");
        b.Pick(maxJobs: 1);

        // size 4 / capacity 8 x (1 - running 1 / parallelism 4) = 0.375; job weight 1 - 50/200 = 0.75.
        Assert.Equal(0.375, b.Scheduler.DynamicFactor("q"));
        Assert.Equal(0.75 + 0.375 + 3, b.Scheduler.Score("scored", T0.AddSeconds(50)));
        Assert.Equal(new QueueLoad("q", 4, 1, 100, 0.375), b.Scheduler.GetLoad("q"));
    }

    [Fact]
    public void A_picked_job_carries_its_score_from_just_before_it_started()
    {
        var b = new SchedulerBuilder().Queue("q", weight: 2, capacity: 4, parallelism: 2);
        b.Job("q", enqueuedSecondsAfterT0: 0, timeoutSeconds: 100);
        b.Job("q", enqueuedSecondsAfterT0: 0, timeoutSeconds: 100);

        var result = b.Pick(nowSecondsAfterT0: 25, maxJobs: 1);

        // job weight 0.75 + factor 2/4 x (1 - 0/2) = 0.5 + weight 2.
        Assert.Equal(3.25, result.Started[0].Score);
    }

    [Fact]
    public void A_queue_whose_weight_changes_moves_in_the_order()
    {
        var b = new SchedulerBuilder().Queue("a", weight: 5).Queue("b", weight: 1);
        b.Jobs("a", 1).Jobs("b", 1);
        b.Queue("b", weight: 9);

        Assert.Equal(["b", "a"], Queues(b.Pick()));
    }

    [Fact]
    public void Queues_registered_in_any_order_run_by_weight_highest_first()
    {
        var b = new SchedulerBuilder().Queue("w1", weight: 1).Queue("w5", weight: 5).Queue("w3", weight: 3).Queue("w0", weight: 0);
        b.Jobs("w0", 1).Jobs("w1", 1).Jobs("w3", 1).Jobs("w5", 1);

        Assert.Equal(["w5", "w3", "w1", "w0"], Queues(b.Pick()));
    }

    [Fact]
    public void Every_waiting_job_starts_when_nothing_limits_the_walk()
    {
        var b = new SchedulerBuilder().Queue("a", weight: 2).Queue("b");
        b.Jobs("a", 3).Jobs("b", 2);

        var result = b.Pick();

        Assert.Equal(["a", "a", "a", "b", "b"], Queues(result));
        Assert.Equal(PickStop.NothingStartable, result.Stop);
        Assert.Empty(result.Waits);
        Assert.Equal(0, b.Scheduler.WaitingCount);
        Assert.Equal(5, b.Scheduler.RunningCount);
        Assert.Equal(500, b.Scheduler.RunningMemoryMb);
    }
}
