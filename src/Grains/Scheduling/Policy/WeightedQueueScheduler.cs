using Hera.Grains.Interfaces.Queues;
// Design note: the weighted multi-queue policy (DESIGN.md "Queue grain + scheduler", seed "Multi-queue +
// multi-user scheduling"), pure and in memory. No I/O, no clock, no locks: the caller passes `now` and the
// limits, owns synchronisation and persists what the scheduler decides.
//
// Order. Queues by weight, highest first; among equal weights the highest dynamic factor
// (size / capacity x (1 - running / parallelism)), then registration order. Inside a queue, the job with the
// earliest deadline (enqueue time + timeout) first, then submission order. A decision re-evaluates the queue
// order, because starting a job lowers its queue's dynamic factor and lets an equal-weight neighbour through.
//
// Two inconsistencies in the sources, and the rule chosen:
// 1. The seed's score = job weight + dynamic factor + queue weight rewards a *high* job weight (time left),
//    while its sorting text (and DESIGN.md) runs the job *nearest its timeout* first. The sorting text is the
//    rule; Score() is computed exactly as the seed states it, for the dashboard only, and does not order jobs.
// 2. "Nearest its timeout" (earliest deadline) and "lowest job weight" (largest elapsed fraction of its own
//    timeout) are the same order only when a queue's jobs share one timeout. With 200 s and 100 s timeouts
//    they disagree: a job with 100 s left of 200 s (weight 0.5) versus one with 90 s left of 100 s (weight
//    0.9). Earliest deadline is chosen: it is what "nearest its timeout" says (the job that fails first runs
//    first), and it is static, so each queue keeps a heap and a decision costs O(log n) instead of the
//    re-sort per pick that time-varying weights would need.
//
// The walk. Each decision finds the first queue in that order whose head job may start; a queue whose head
// is held (closed, parallelism, resource share of cluster memory, engine without a free slot) is skipped for
// the rest of the pick and reported with its reason, so a low-weight queue still runs while a high-weight one
// sits at its cap. Inside a queue the order is strict: a held head holds its queue (no overtaking by a later
// deadline). Cluster limits (max running tasks, max memory) end the whole walk: a large job next in order
// waits for memory rather than being overtaken forever by small ones. Heads found past their deadline are
// dropped and returned as expired. Cost per decision: O(queues scanned + log jobs in the queue), no
// allocation once the internal arrays have grown.
//
// Placement. Given the live workers' free slots and memory, a head may start only if a worker of its queue's
// pool has a free slot and the memory; it goes to the one with the most free memory (spreading load), and a
// head no worker can take holds its queue like any other queue limit. Placement is part of the walk, not a
// step after it, because a job the walk started but nobody can run would have to be put back, and the reason
// it waits ("no worker in pool 'core' with 512 MB free") belongs with the other reasons. The caller passes free
// capacity; the scheduler's own accounting of what it placed (UseOfWorker, RunningOnEngine) is what the
// caller subtracts, so capacity never lags a heartbeat.
namespace Hera.Grains.Scheduling.Policy;

/// <summary>
/// The weighted multi-queue scheduling policy over in-memory queues of waiting jobs: incremental updates
/// (submit, start, finish, cancel, requeue) and <see cref="Pick(DateTimeOffset, ClusterLimits, IReadOnlyList{EngineSlots}, int, PickResult)"/>,
/// which returns the jobs to start in policy order and why the rest wait. Not thread-safe: one owner (the
/// scheduler grain) calls it.
/// </summary>
public sealed class WeightedQueueScheduler
{
    private readonly Dictionary<string, QueueRuntime> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobEntry> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _engineIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerUse> _workerUse = new(StringComparer.Ordinal);
    private readonly WeightOrder _groups = new();
    private int[] _engineFree = [];
    private int[] _engineRunning = [];
    private WorkerSlots[] _workerFree = [];
    private int _workerCount = -1; // -1: placement off for this pick
    private int _placedWorker = -1; // set by Hold when it lets a head through with placement on
    private long _sequence;
    private long _pick;

    /// <summary>Waiting jobs across all queues.</summary>
    public int WaitingCount { get; private set; }

    /// <summary>Running jobs across all queues.</summary>
    public int RunningCount { get; private set; }

    /// <summary>Sum of the running jobs' memory estimates, in MiB.</summary>
    public long RunningMemoryMb { get; private set; }

    /// <summary>Adds a queue or changes its settings; its waiting and running jobs stay.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside the bounds <see cref="QueueDefinition"/> documents.</exception>
    public void UpsertQueue(QueueDefinition policy)
    {
        Validate(policy);
        if (_queues.TryGetValue(policy.Name, out var queue))
        {
            var oldWeight = queue.Policy.Weight;
            queue.Policy = policy;
            if (oldWeight.Equals(policy.Weight))
            {
                return;
            }

            _groups.Leave(queue, oldWeight);
        }
        else
        {
            queue = new QueueRuntime(policy);
            _queues.Add(policy.Name, queue);
        }

        _groups.Join(queue);
    }

    /// <summary>Removes a queue that has no waiting or running job; false if it is unknown or not empty.</summary>
    public bool RemoveQueue(string name)
    {
        if (!_queues.TryGetValue(name, out var queue) || queue.Waiting.Count > 0 || queue.Running > 0)
        {
            return false;
        }

        _queues.Remove(name);
        _groups.Leave(queue, queue.Policy.Weight);
        return true;
    }

    /// <summary>The queue's settings, or null if unknown.</summary>
    public QueueDefinition? GetQueue(string name) => _queues.TryGetValue(name, out var q) ? q.Policy : null;

    /// <summary>Every queue's settings, in registration order within each weight, highest weight first.</summary>
    public IEnumerable<QueueDefinition> Queues => _groups.Groups.SelectMany(g => g.Queues).Select(q => q.Policy);

    /// <summary>A held job's state in the scheduler, or null when it does not hold the job.</summary>
    public HeldJob? Find(string jobId) =>
        _jobs.TryGetValue(jobId, out var e) ? new HeldJob(e.Job, e.Running, e.WorkerId) : null;

    /// <summary>Running jobs the scheduler counts on <paramref name="engine"/>.</summary>
    public int RunningOnEngine(string engine) =>
        _engineIndex.TryGetValue(engine, out var index) ? _engineRunning[index] : 0;

    /// <summary>What the running jobs placed on <paramref name="workerId"/> hold.</summary>
    public WorkerUse UseOfWorker(string workerId) => _workerUse.GetValueOrDefault(workerId);

    /// <summary>Ids of the running jobs placed on <paramref name="workerId"/> (a scan: for the rare lost worker).</summary>
    public IReadOnlyList<string> RunningJobsOn(string workerId) =>
        [.. _jobs.Values.Where(e => e.Running && e.WorkerId == workerId).Select(e => e.Job.Id)];

    /// <summary>A queue's current size, running count, running memory and dynamic factor; null if unknown.</summary>
    public QueueLoad? GetLoad(string queue) =>
        _queues.TryGetValue(queue, out var q)
            ? new QueueLoad(q.Policy.Name, q.Waiting.Count, q.Running, q.RunningMemoryMb, q.DynamicFactor)
            : null;

    /// <summary>A job entered waiting (submitted, or back from a lost worker with a new enqueue time).</summary>
    /// <exception cref="ArgumentException">Unknown queue, id already held, non-positive timeout or negative memory.</exception>
    public void Submit(WaitingJob job)
    {
        var entry = Track(job);
        entry.Queue.Waiting.Push(entry);
        WaitingCount++;
    }

    /// <summary>Counts a job that is already running (e.g. found running at start-up) against its queue's limits
    /// and, when <paramref name="workerId"/> is given, against that worker.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Submit"/>.</exception>
    public void AddRunning(WaitingJob job, string? workerId = null)
    {
        var entry = Track(job);
        entry.WorkerId = workerId;
        MarkRunning(entry);
    }

    /// <summary>
    /// Drops every waiting job past its deadline, in all queues, into <paramref name="expired"/>; the caller
    /// fails them with <c>timeout</c>. Cost: one heap peek per queue plus one removal per expired job.
    /// </summary>
    public int SweepExpired(DateTimeOffset now, ICollection<WaitingJob> expired)
    {
        ArgumentNullException.ThrowIfNull(expired);
        var count = 0;
        foreach (var queue in _queues.Values)
        {
            while (queue.Waiting.Count > 0 && queue.Waiting.Peek().DeadlineTicks < now.UtcTicks)
            {
                var entry = queue.Waiting.Peek();
                queue.Waiting.Remove(entry);
                WaitingCount--;
                _jobs.Remove(entry.Job.Id);
                expired.Add(entry.Job);
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// A job left the scheduler: finished, cancelled or timed out, waiting or running. Its slot and memory are
    /// freed. False if the scheduler does not hold it.
    /// </summary>
    public bool Remove(string jobId)
    {
        if (!_jobs.Remove(jobId, out var entry))
        {
            return false;
        }

        if (entry.Running)
        {
            MarkStopped(entry);
        }
        else
        {
            entry.Queue.Waiting.Remove(entry);
            WaitingCount--;
        }

        return true;
    }

    /// <summary>
    /// A picked job did not start after all (its claim lost a race): back to waiting with its original enqueue
    /// time and deadline. False if it is unknown or not running.
    /// </summary>
    public bool Requeue(string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var entry) || !entry.Running)
        {
            return false;
        }

        MarkStopped(entry);
        entry.Queue.Waiting.Push(entry);
        WaitingCount++;
        return true;
    }

    /// <summary>The seed's job weight: 1 - (now - enqueue time) / timeout; 1 when enqueued, 0 at the deadline, negative after.</summary>
    public static double JobWeight(WaitingJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        return 1.0 - ((now - job.EnqueuedAt).TotalSeconds / job.TimeoutSeconds);
    }

    /// <summary>A queue's dynamic factor now: size / capacity x (1 - running / parallelism).</summary>
    /// <exception cref="KeyNotFoundException">Unknown queue.</exception>
    public double DynamicFactor(string queue) => _queues[queue].DynamicFactor;

    /// <summary>
    /// A held job's score for the dashboard: job weight + its queue's dynamic factor + queue weight. Shown, not
    /// used for ordering (see the design note at the top of this file).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The scheduler does not hold the job.</exception>
    public double Score(string jobId, DateTimeOffset now) => Score(_jobs[jobId], now);

    /// <summary>Walks the queues and starts up to <paramref name="maxJobs"/> jobs; see the overload that reuses a result.</summary>
    public PickResult Pick(DateTimeOffset now, ClusterLimits limits, IReadOnlyList<EngineSlots> engineFreeSlots, int maxJobs)
    {
        var result = new PickResult();
        Pick(now, limits, engineFreeSlots, maxJobs, result);
        return result;
    }

    /// <summary>Walks the queues with worker placement; see the overload that reuses a result.</summary>
    public PickResult Pick(DateTimeOffset now, ClusterLimits limits, IReadOnlyList<EngineSlots> engineFreeSlots, IReadOnlyList<WorkerSlots> workers)
    {
        var result = new PickResult();
        Pick(now, limits, engineFreeSlots, workers, result);
        return result;
    }

    /// <summary>
    /// As <see cref="Pick(DateTimeOffset, ClusterLimits, IReadOnlyList{EngineSlots}, int, PickResult)"/>, and also
    /// places each started job on a worker of its queue's pool with a free slot and room for its memory (the one
    /// with the most free memory, to spread load). A head no worker can take holds its queue with the reason
    /// (no live worker in the pool, no free slot, not enough memory). The free slots of all workers bound the walk.
    /// </summary>
    public void Pick(DateTimeOffset now, ClusterLimits limits, IReadOnlyList<EngineSlots> engineFreeSlots, IReadOnlyList<WorkerSlots> workers, PickResult into)
    {
        ArgumentNullException.ThrowIfNull(workers);
        if (_workerFree.Length < workers.Count)
        {
            _workerFree = new WorkerSlots[workers.Count];
        }

        for (var i = 0; i < workers.Count; i++)
        {
            _workerFree[i] = workers[i];
        }

        _workerCount = workers.Count;
        try
        {
            Pick(now, limits, engineFreeSlots, int.MaxValue, into);
        }
        finally
        {
            _workerCount = -1;
        }
    }

    /// <summary>
    /// Walks the queues in policy order and starts jobs, one decision at a time, until <paramref name="maxJobs"/>
    /// started, nothing more may start, or a cluster limit is hit. Started jobs count as running at once; the
    /// caller claims them and calls <see cref="Requeue"/> for a lost claim and <see cref="Remove"/> when one ends.
    /// </summary>
    /// <param name="now">The clock, for scores and for dropping heads past their deadline.</param>
    /// <param name="limits">Cluster-wide limits in force.</param>
    /// <param name="engineFreeSlots">Free concurrency per engine; each start takes one slot of its job's engine.</param>
    /// <param name="maxJobs">Most jobs to start in this walk (e.g. the free worker slots).</param>
    /// <param name="into">Cleared, then filled with the outcome.</param>
    public void Pick(DateTimeOffset now, ClusterLimits limits, IReadOnlyList<EngineSlots> engineFreeSlots, int maxJobs, PickResult into)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(engineFreeSlots);
        ArgumentNullException.ThrowIfNull(into);
        into.Clear();
        _pick++;
        LoadEngineSlots(engineFreeSlots);
        while (true)
        {
            var stop = NextStart(now, limits, maxJobs - into.Started.Count, into);
            if (stop is { } reason)
            {
                into.Finish(reason.Stop, reason.Reason);
                return;
            }
        }
    }

    // One decision: start the next job in policy order, or say why the walk ends.
    private (PickStop Stop, WaitReason? Reason)? NextStart(DateTimeOffset now, ClusterLimits limits, int room, PickResult into)
    {
        if (WaitingCount == 0)
        {
            return (PickStop.NothingStartable, null);
        }

        if (room <= 0)
        {
            return (PickStop.MaxJobsReached, null);
        }

        if (RunningCount >= limits.MaxRunningTasks)
        {
            return (PickStop.ClusterLimit, new WaitReason(WaitReasonKind.ClusterMaxRunning, RunningCount, 0, limits.MaxRunningTasks));
        }

        var queue = NextQueue(now.UtcTicks, limits, into);
        if (queue is null)
        {
            return (PickStop.NothingStartable, null);
        }

        var head = queue.Waiting.Peek();
        if (RunningMemoryMb + head.Job.MemoryMb > limits.MaxMemoryMb)
        {
            return (PickStop.ClusterLimit, new WaitReason(WaitReasonKind.ClusterMemory, RunningMemoryMb, head.Job.MemoryMb, limits.MaxMemoryMb));
        }

        string? workerId = null;
        if (_workerCount >= 0)
        {
            // Every queue of the winning group was checked, each placement overwriting the last: place again.
            Place(queue.Policy.Pool, head.Job.MemoryMb);
            ref var worker = ref _workerFree[_placedWorker];
            worker = worker with { FreeSlots = worker.FreeSlots - 1, FreeMemoryMb = worker.FreeMemoryMb - head.Job.MemoryMb };
            workerId = worker.WorkerId;
        }

        into.AddStarted(new PickedJob(head.Job, Score(head, now), workerId));
        queue.Waiting.Remove(head);
        WaitingCount--;
        head.WorkerId = workerId;
        MarkRunning(head);
        _engineFree[head.EngineIndex]--;
        return null;
    }

    // Groups are by weight, highest first; inside the first group with a startable queue, the highest factor wins.
    private QueueRuntime? NextQueue(long nowTicks, ClusterLimits limits, PickResult into)
    {
        foreach (var group in _groups.Groups)
        {
            QueueRuntime? best = null;
            var bestFactor = 0.0;
            foreach (var queue in group.Queues)
            {
                if (!MayStart(queue, nowTicks, limits, into))
                {
                    continue;
                }

                var factor = queue.DynamicFactor;
                if (best is null || factor > bestFactor)
                {
                    best = queue;
                    bestFactor = factor;
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return null;
    }

    // A held queue stays held for the rest of the pick: its limits only tighten while the pick runs.
    private bool MayStart(QueueRuntime queue, long nowTicks, ClusterLimits limits, PickResult into)
    {
        if (queue.HeldInPick == _pick)
        {
            return false;
        }

        DropExpired(queue, nowTicks, into);
        if (queue.Waiting.Count == 0)
        {
            return false;
        }

        if (Hold(queue, queue.Waiting.Peek(), limits) is not { } reason)
        {
            return true;
        }

        queue.HeldInPick = _pick;
        into.AddWait(new QueueWait(queue.Policy.Name, reason, queue.Waiting.Peek().Job));
        return false;
    }

    private WaitReason? Hold(QueueRuntime queue, JobEntry head, ClusterLimits limits)
    {
        var policy = queue.Policy;
        if (policy.State == QueueState.Closed)
        {
            return new WaitReason(WaitReasonKind.QueueClosed, 0, 0, 0);
        }

        if (queue.Running >= policy.Parallelism)
        {
            return new WaitReason(WaitReasonKind.QueueParallelism, queue.Running, 0, policy.Parallelism);
        }

        var memoryLimit = queue.MemoryLimitMb(limits.ClusterMemoryMb);
        if (queue.RunningMemoryMb + head.Job.MemoryMb > memoryLimit)
        {
            return new WaitReason(
                WaitReasonKind.QueueResourceShare, queue.RunningMemoryMb, head.Job.MemoryMb, memoryLimit, policy.MaxResourceShare);
        }

        if (_engineFree[head.EngineIndex] <= 0)
        {
            return new WaitReason(WaitReasonKind.EngineNoFreeSlot, 0, 0, 0, 0, head.Job.Engine);
        }

        return _workerCount < 0 ? null : Place(policy.Pool, head.Job.MemoryMb);
    }

    // Placement: the live worker of the pool with a free slot and the most free memory, if that memory fits.
    // Linear in the workers, which are few next to the jobs; a cluster of hundreds of workers would index by pool.
    private WaitReason? Place(string pool, long memoryMb)
    {
        int inPool = 0, best = -1;
        long mostFree = 0;
        for (var i = 0; i < _workerCount; i++)
        {
            var worker = _workerFree[i];
            if (!string.Equals(worker.Pool, pool, StringComparison.Ordinal))
            {
                continue;
            }

            inPool++;
            if (worker.FreeSlots > 0 && (best < 0 || worker.FreeMemoryMb > mostFree))
            {
                best = i;
                mostFree = worker.FreeMemoryMb;
            }
        }

        if (inPool == 0)
        {
            return new WaitReason(WaitReasonKind.PoolHasNoWorker, 0, 0, 0, 0, pool);
        }

        if (best < 0)
        {
            return new WaitReason(WaitReasonKind.PoolNoFreeSlot, 0, 0, inPool, 0, pool);
        }

        if (mostFree < memoryMb)
        {
            return new WaitReason(WaitReasonKind.PoolNoMemory, 0, memoryMb, mostFree, 0, pool);
        }

        _placedWorker = best;
        return null;
    }

    // Deadlines order the heap, so every expired job of a queue is at its head.
    private void DropExpired(QueueRuntime queue, long nowTicks, PickResult into)
    {
        while (queue.Waiting.Count > 0 && queue.Waiting.Peek().DeadlineTicks < nowTicks)
        {
            var entry = queue.Waiting.Peek();
            queue.Waiting.Remove(entry);
            WaitingCount--;
            _jobs.Remove(entry.Job.Id);
            into.AddExpired(entry.Job);
        }
    }

    private static double Score(JobEntry entry, DateTimeOffset now) =>
        JobWeight(entry.Job, now) + entry.Queue.DynamicFactor + entry.Queue.Policy.Weight;

    private void LoadEngineSlots(IReadOnlyList<EngineSlots> engineFreeSlots)
    {
        Array.Clear(_engineFree);
        for (var i = 0; i < engineFreeSlots.Count; i++)
        {
            var slots = engineFreeSlots[i];
            if (_engineIndex.TryGetValue(slots.Engine, out var index))
            {
                _engineFree[index] = Math.Max(0, slots.FreeSlots);
            }
        }
    }

    private JobEntry Track(WaitingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(job.TimeoutSeconds, nameof(job));
        ArgumentOutOfRangeException.ThrowIfNegative(job.MemoryMb, nameof(job));
        if (!_queues.TryGetValue(job.Queue, out var queue))
        {
            throw new ArgumentException($"Queue '{job.Queue}' does not exist.", nameof(job));
        }

        if (_jobs.ContainsKey(job.Id))
        {
            throw new ArgumentException($"Job '{job.Id}' is already held.", nameof(job));
        }

        var entry = new JobEntry(job, queue, EngineIndex(job.Engine), _sequence++);
        _jobs.Add(job.Id, entry);
        return entry;
    }

    private int EngineIndex(string engine)
    {
        if (!_engineIndex.TryGetValue(engine, out var index))
        {
            index = _engineIndex.Count;
            _engineIndex.Add(engine, index);
            Array.Resize(ref _engineFree, index + 1);
            Array.Resize(ref _engineRunning, index + 1);
        }

        return index;
    }

    private void MarkRunning(JobEntry entry)
    {
        entry.Running = true;
        entry.Queue.Running++;
        entry.Queue.RunningMemoryMb += entry.Job.MemoryMb;
        RunningCount++;
        RunningMemoryMb += entry.Job.MemoryMb;
        _engineRunning[entry.EngineIndex]++;
        if (entry.WorkerId is { } worker)
        {
            var use = _workerUse.GetValueOrDefault(worker);
            _workerUse[worker] = new WorkerUse(use.Running + 1, use.MemoryMb + entry.Job.MemoryMb);
        }
    }

    private void MarkStopped(JobEntry entry)
    {
        entry.Running = false;
        entry.Queue.Running--;
        entry.Queue.RunningMemoryMb -= entry.Job.MemoryMb;
        RunningCount--;
        RunningMemoryMb -= entry.Job.MemoryMb;
        _engineRunning[entry.EngineIndex]--;
        if (entry.WorkerId is { } worker)
        {
            var use = _workerUse[worker];
            if (use.Running == 1)
            {
                _workerUse.Remove(worker);
            }
            else
            {
                _workerUse[worker] = new WorkerUse(use.Running - 1, use.MemoryMb - entry.Job.MemoryMb);
            }

            entry.WorkerId = null;
        }
    }

    private static void Validate(QueueDefinition policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = policy.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), string.Join("; ", problems));
        }
    }
}
