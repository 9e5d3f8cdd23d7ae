using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Scheduling.Policy;

namespace Hera.Grains.Tests.Scheduling;

/// <summary>Fixtures for the pure scheduler: queues and jobs with roomy defaults, and a fixed clock.</summary>
internal sealed class SchedulerBuilder
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    public static readonly ClusterLimits Roomy = new(MaxRunningTasks: 1000, MaxMemoryMb: 1_000_000, ClusterMemoryMb: 1_000_000);

    private int _nextId;

    public WeightedQueueScheduler Scheduler { get; } = new();

    public static IReadOnlyList<EngineSlots> EngineFree(int pg = 100, int ch = 100) =>
        [new EngineSlots("pg", pg), new EngineSlots("ch", ch)];

    public SchedulerBuilder Queue(
        string name, double weight = 1, int capacity = 100, int parallelism = 100, double share = 1,
        QueueState state = QueueState.Open, string pool = "core")
    {
        Scheduler.UpsertQueue(new QueueDefinition(name, weight, capacity, parallelism, share, pool, state));
        return this;
    }

    /// <summary>Submits a job enqueued <paramref name="enqueuedSecondsAfterT0"/> after <see cref="T0"/>.</summary>
    public WaitingJob Job(
        string queue, double enqueuedSecondsAfterT0 = 0, int timeoutSeconds = 100, int memoryMb = 100,
        string engine = "pg", string? id = null)
    {
        var job = new WaitingJob(
            id ?? $"j{++_nextId}", queue, T0.AddSeconds(enqueuedSecondsAfterT0), timeoutSeconds, memoryMb, engine);
        Scheduler.Submit(job);
        return job;
    }

    public SchedulerBuilder Jobs(string queue, int count, string engine = "pg")
    {
        for (var i = 0; i < count; i++)
        {
            Job(queue, engine: engine);
        }

        return this;
    }

    public PickResult Pick(
        double nowSecondsAfterT0 = 0, int maxJobs = 1000, ClusterLimits? limits = null,
        IReadOnlyList<EngineSlots>? engines = null) =>
        Scheduler.Pick(T0.AddSeconds(nowSecondsAfterT0), limits ?? Roomy, engines ?? EngineFree(), maxJobs);

    /// <summary>A walk with placement over <paramref name="workers"/>.</summary>
    public PickResult Place(params WorkerSlots[] workers) =>
        Scheduler.Pick(T0, Roomy, EngineFree(), workers);

    public static string[] Ids(PickResult result) => [.. result.Started.Select(p => p.Job.Id)];

    public static string[] Queues(PickResult result) => [.. result.Started.Select(p => p.Job.Queue)];
}
