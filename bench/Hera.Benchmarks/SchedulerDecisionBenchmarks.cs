using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Scheduling.Policy;

namespace Hera.Benchmarks;

/// <summary>
/// One scheduling decision (pick the next job in policy order and count it as running) over 100 queues holding
/// 1k, 10k or 100k waiting jobs, against a plain Channel FIFO hand-off measured in the same run. The queues are
/// built to make a decision expensive: all share one weight, so every decision scans every queue's head and
/// compares dynamic factors; deadlines are spread so heaps are deep.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class SchedulerDecisionBenchmarks
{
    private const int QueueCount = 100;
    private const int Running = 50;

    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly ClusterLimits Limits = new(10_000, long.MaxValue, long.MaxValue);
    private static readonly IReadOnlyList<EngineSlots> Engines = [new EngineSlots("pg", 1_000_000), new EngineSlots("ch", 1_000_000)];

    // Ten workers, five per pool; one free slot among them, so a walk with placement starts exactly one job
    // and then finds every other queue held (a whole pass, as the scheduler grain runs it).
    private static readonly WorkerSlots[] Workers =
    [
        .. Enumerable.Range(0, 10).Select(i => new WorkerSlots($"w{i}", i % 2 == 0 ? "core" : "non-core", i == 0 ? 1 : 0, 64_000)),
    ];

    private readonly PickResult _result = new();
    private readonly Queue<WaitingJob> _running = new();
    private WeightedQueueScheduler _scheduler = null!;
    private Channel<WaitingJob> _channel = null!;
    private WaitingJob _item = null!;
    private long _nextId;
    private DateTimeOffset _now;

    [Params(1_000, 10_000, 100_000)]
    public int WaitingJobs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scheduler = new WeightedQueueScheduler();
        for (var q = 0; q < QueueCount; q++)
        {
            _scheduler.UpsertQueue(new QueueDefinition($"q{q}", 1, WaitingJobs, 4, 1, q % 2 == 0 ? "core" : "non-core"));
        }

        var random = new Random(42);
        for (var i = 0; i < WaitingJobs; i++)
        {
            _scheduler.Submit(NewJob($"q{random.Next(QueueCount)}", T0.AddSeconds(random.Next(3600)), random.Next(60, 3600)));
        }

        // A standing set of running jobs so some queues sit at their parallelism cap during decisions.
        _now = T0;
        _running.Clear();
        for (var i = 0; i < Running; i++)
        {
            _scheduler.Pick(_now, Limits, Engines, 1, _result);
            _running.Enqueue(_result.Started[0].Job);
        }

        _channel = Channel.CreateUnbounded<WaitingJob>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _item = NewJob("q0", T0, 60);
    }

    /// <summary>A decision, then undone (a lost claim): the waiting set stays the same; allocates nothing.</summary>
    [Benchmark]
    public string Decision()
    {
        _scheduler.Pick(_now, Limits, Engines, 1, _result);
        var id = _result.Started[0].Job.Id;
        _scheduler.Requeue(id);
        return id;
    }

    /// <summary>
    /// A whole pass with worker placement over ten workers with one free slot: one job placed, every other queue
    /// checked and held (no free slot); then undone.
    /// </summary>
    [Benchmark]
    public string PassWithPlacement()
    {
        _scheduler.Pick(_now, Limits, Engines, Workers, _result);
        var id = _result.Started[0].Job.Id;
        _scheduler.Requeue(id);
        return id;
    }

    /// <summary>
    /// Steady state: a decision, the oldest running job finishes, and a new job is submitted to its queue, so the
    /// waiting and running counts stay constant. Includes the new job's allocation.
    /// </summary>
    [Benchmark]
    public string DecisionFinishSubmit()
    {
        _scheduler.Pick(_now, Limits, Engines, 1, _result);
        var started = _result.Started[0].Job;
        _running.Enqueue(started);
        var finished = _running.Dequeue();
        _scheduler.Remove(finished.Id);
        _now = _now.AddTicks(1);
        _scheduler.Submit(NewJob(finished.Queue, _now, 3600));
        return started.Id;
    }

    /// <summary>Baseline: hand one job through an unbounded single-reader, single-writer channel (FIFO, no policy).</summary>
    [Benchmark(Baseline = true)]
    public WaitingJob ChannelHandOff()
    {
        _channel.Writer.TryWrite(_item);
        _channel.Reader.TryRead(out var job);
        return job!;
    }

    private WaitingJob NewJob(string queue, DateTimeOffset enqueuedAt, int timeoutSeconds) =>
        new($"job-{_nextId++}", queue, enqueuedAt, timeoutSeconds, 256, (_nextId & 1) == 0 ? "pg" : "ch");
}
