using Hera.Grains.Scheduling.Policy;
using static Hera.Grains.Tests.Scheduling.SchedulerBuilder;

namespace Hera.Grains.Tests.Scheduling;

/// <summary>
/// Placement inside the walk: a started job goes to a live worker of its queue's pool with a free slot and room
/// for its memory; when none can take a queue's next job, the queue waits and says which of those is missing.
/// </summary>
public sealed class PlacementTests
{
    [Fact]
    public void Each_job_goes_to_the_worker_of_its_pool_with_the_most_free_memory()
    {
        var b = new SchedulerBuilder().Queue("core-q", pool: "core").Queue("batch-q", pool: "non-core");
        b.Job("core-q", memoryMb: 100, id: "c1");
        b.Job("core-q", memoryMb: 100, id: "c2");
        b.Job("batch-q", memoryMb: 100, id: "b1");

        var result = b.Place(
            new WorkerSlots("core-a", "core", 4, 500),
            new WorkerSlots("core-b", "core", 4, 450),
            new WorkerSlots("batch-a", "non-core", 4, 5000));

        var placed = result.Started.ToDictionary(p => p.Job.Id, p => p.WorkerId);
        Assert.Equal("core-a", placed["c1"]); // 500 free beats 450
        Assert.Equal("core-b", placed["c2"]); // core-a now has 400 free, core-b 450
        Assert.Equal("batch-a", placed["b1"]); // never a core worker, however roomy
    }

    [Fact]
    public void A_core_queue_never_runs_on_non_core_workers()
    {
        var b = new SchedulerBuilder().Queue("core-q", pool: "core");
        b.Jobs("core-q", 2);

        var result = b.Place(new WorkerSlots("batch-a", "non-core", 8, 100_000));

        Assert.Empty(result.Started);
        Assert.Equal("no live worker in pool 'core'", Assert.Single(result.Waits).Reason.ToString());
        Assert.Equal(2, b.Scheduler.WaitingCount);
    }

    [Fact]
    public void Worker_slots_bound_the_walk_and_a_full_pool_says_so()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Jobs("q", 5);

        var result = b.Place(new WorkerSlots("w1", "core", 2, 10_000), new WorkerSlots("w2", "core", 1, 10_000));

        Assert.Equal(3, result.Started.Count);
        Assert.Equal("no free slot on the 2 live workers of pool 'core'", Assert.Single(result.Waits).Reason.ToString());
        Assert.Equal(new WorkerUse(2, 200), b.Scheduler.UseOfWorker("w1"));
        Assert.Equal(new WorkerUse(1, 100), b.Scheduler.UseOfWorker("w2"));
    }

    [Fact]
    public void A_job_too_big_for_every_worker_holds_its_queue_and_names_the_memory_it_needs()
    {
        var b = new SchedulerBuilder().Queue("big-q", weight: 10).Queue("small-q");
        b.Job("big-q", memoryMb: 512, id: "big");
        b.Job("big-q", memoryMb: 10, id: "behind-big");
        b.Job("small-q", memoryMb: 100, id: "small");

        var result = b.Place(new WorkerSlots("w1", "core", 4, 300));

        Assert.Equal(["small"], Ids(result)); // the other queue still runs; nothing overtakes "big" in its queue
        var wait = Assert.Single(result.Waits);
        Assert.Equal("big", wait.Head.Id);
        Assert.Equal("no worker in pool 'core' with 512 MB free (most free: 300 MB)", wait.Reason.ToString());
    }

    [Fact]
    public void Finishing_a_placed_job_frees_its_worker_slot_and_memory()
    {
        var b = new SchedulerBuilder().Queue("q");
        b.Job("q", memoryMb: 300, id: "a");
        b.Job("q", memoryMb: 300, id: "b");
        var first = b.Place(new WorkerSlots("w1", "core", 1, 1000));
        Assert.Equal(["a"], Ids(first));
        Assert.Equal(new HeldJob(first.Started[0].Job, true, "w1"), b.Scheduler.Find("a"));

        b.Scheduler.Remove("a");

        Assert.Equal(default, b.Scheduler.UseOfWorker("w1"));
        Assert.Equal(0, b.Scheduler.RunningOnEngine("pg"));
        Assert.Equal(["b"], Ids(b.Place(new WorkerSlots("w1", "core", 1, 1000))));
    }

    [Fact]
    public void Sweeping_drops_every_waiting_job_past_its_deadline_in_every_queue()
    {
        var b = new SchedulerBuilder().Queue("q1").Queue("q2");
        b.Job("q1", timeoutSeconds: 10, id: "late1");
        b.Job("q1", timeoutSeconds: 100, id: "fine1");
        b.Job("q2", timeoutSeconds: 5, id: "late2");
        var expired = new List<WaitingJob>();

        var count = b.Scheduler.SweepExpired(T0.AddSeconds(11), expired);

        Assert.Equal(2, count);
        Assert.Equal(["late1", "late2"], expired.Select(j => j.Id).Order());
        Assert.Equal(1, b.Scheduler.WaitingCount);
        Assert.Null(b.Scheduler.Find("late1"));
    }
}
