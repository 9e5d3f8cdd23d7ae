using System.Globalization;

namespace Hera.Grains.Scheduling.Policy;

/// <summary>What held a queue, or the whole walk, back.</summary>
public enum WaitReasonKind
{
    /// <summary>The queue is closed.</summary>
    QueueClosed,

    /// <summary>The queue runs as many jobs as its parallelism allows.</summary>
    QueueParallelism,

    /// <summary>Starting the queue's next job would take it over its share of the cluster's memory.</summary>
    QueueResourceShare,

    /// <summary>The engine of the queue's next job has no free slot.</summary>
    EngineNoFreeSlot,

    /// <summary>The cluster runs <see cref="ClusterLimits.MaxRunningTasks"/> jobs.</summary>
    ClusterMaxRunning,

    /// <summary>The next job in policy order does not fit in <see cref="ClusterLimits.MaxMemoryMb"/>.</summary>
    ClusterMemory,

    /// <summary>No live worker serves the queue's pool.</summary>
    PoolHasNoWorker,

    /// <summary>Every live worker of the queue's pool has all its slots taken.</summary>
    PoolNoFreeSlot,

    /// <summary>No live worker of the queue's pool with a free slot has the memory the next job needs.</summary>
    PoolNoMemory,
}

/// <summary>
/// Why nothing more was taken, with the numbers behind it. <see cref="ToString"/> is the operator's text, e.g.
/// <c>queue parallelism 4/4</c> or <c>engine 'pg' has no free slot</c>.
/// </summary>
/// <param name="Kind">Which limit.</param>
/// <param name="Used">Running count, or running MiB, counted against the limit.</param>
/// <param name="Needed">MiB the next job needs (memory limits only, else 0).</param>
/// <param name="Limit">The limit: a count or MiB.</param>
/// <param name="Share">The queue's maximum resource share (resource share only, else 0).</param>
/// <param name="Engine">The engine (engine limit only), or the pool (worker placement only); else null.</param>
public readonly record struct WaitReason(
    WaitReasonKind Kind, long Used, long Needed, long Limit, double Share = 0, string? Engine = null)
{
    /// <summary>The operator's text for this reason.</summary>
    public override string ToString() => Kind switch
    {
        WaitReasonKind.QueueClosed => "queue closed",
        WaitReasonKind.QueueParallelism => Format($"queue parallelism {Used}/{Limit}"),
        WaitReasonKind.QueueResourceShare =>
            Format($"queue resource share {Share} reached ({Used} + {Needed} MB > {Limit} MB)"),
        WaitReasonKind.EngineNoFreeSlot => $"engine '{Engine}' has no free slot",
        WaitReasonKind.ClusterMaxRunning => Format($"cluster max running {Used}/{Limit}"),
        WaitReasonKind.ClusterMemory => Format($"cluster memory {Used} + {Needed} MB > {Limit} MB"),
        WaitReasonKind.PoolHasNoWorker => $"no live worker in pool '{Engine}'",
        WaitReasonKind.PoolNoFreeSlot => Format($"no free slot on the {Limit} live workers of pool '{Engine}'"),
        WaitReasonKind.PoolNoMemory => Format($"no worker in pool '{Engine}' with {Needed} MB free (most free: {Limit} MB)"),
        _ => Kind.ToString(),
    };

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A queue that still has waiting jobs after the walk, and why none more of them started.</summary>
/// <param name="Queue">Queue name.</param>
/// <param name="Reason">The limit its next job met.</param>
/// <param name="Head">Its next job, the one the limit held.</param>
public readonly record struct QueueWait(string Queue, WaitReason Reason, WaitingJob Head);

/// <summary>A job the walk started, with its score at that moment (for the job's <c>running</c> event).</summary>
/// <param name="Job">The job, now counted as running.</param>
/// <param name="Score">job weight + dynamic factor + queue weight, just before it started.</param>
/// <param name="WorkerId">The worker placement chose; null when the pick was given no workers (placement off).</param>
public readonly record struct PickedJob(WaitingJob Job, double Score, string? WorkerId = null);

/// <summary>How a walk ended.</summary>
public enum PickStop
{
    /// <summary>No queue has a waiting job that may start: every queue is empty, closed or held (see <see cref="PickResult.Waits"/>).</summary>
    NothingStartable,

    /// <summary>The caller's maximum number of jobs was started.</summary>
    MaxJobsReached,

    /// <summary>A cluster-wide limit was hit (see <see cref="PickResult.StopReason"/>).</summary>
    ClusterLimit,
}

/// <summary>
/// The outcome of <see cref="WeightedQueueScheduler.Pick(DateTimeOffset, ClusterLimits, IReadOnlyList{EngineSlots}, int, PickResult)"/>.
/// Reusable: a pick clears it first, so a caller that picks often keeps one and allocates nothing per decision.
/// </summary>
public sealed class PickResult
{
    private readonly List<PickedJob> _started = [];
    private readonly List<QueueWait> _waits = [];
    private readonly List<WaitingJob> _expired = [];

    /// <summary>Jobs to start, in policy order; the scheduler already counts them as running.</summary>
    public IReadOnlyList<PickedJob> Started => _started;

    /// <summary>
    /// Queues met during the walk whose next job could not start, each once, with the reason. A queue the walk
    /// never reached (it stopped earlier) is not listed.
    /// </summary>
    public IReadOnlyList<QueueWait> Waits => _waits;

    /// <summary>
    /// Waiting jobs found past their deadline at a queue's head; the scheduler has dropped them and the caller
    /// fails them with <c>timeout</c>. Expired jobs elsewhere are left to the timeout sweep.
    /// </summary>
    public IReadOnlyList<WaitingJob> Expired => _expired;

    /// <summary>How the walk ended.</summary>
    public PickStop Stop { get; private set; }

    /// <summary>The cluster limit that ended the walk when <see cref="Stop"/> is <see cref="PickStop.ClusterLimit"/>; else null.</summary>
    public WaitReason? StopReason { get; private set; }

    internal void Clear()
    {
        _started.Clear();
        _waits.Clear();
        _expired.Clear();
        Stop = PickStop.NothingStartable;
        StopReason = null;
    }

    internal void AddStarted(PickedJob job) => _started.Add(job);

    internal void AddWait(QueueWait wait) => _waits.Add(wait);

    internal void AddExpired(WaitingJob job) => _expired.Add(job);

    internal void Finish(PickStop stop, WaitReason? reason)
    {
        Stop = stop;
        StopReason = reason;
    }
}
