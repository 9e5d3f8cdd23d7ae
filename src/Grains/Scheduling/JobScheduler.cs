using System.Globalization;
using Hera.Grains.Engines;
using Hera.Grains.Execution;
using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Interfaces.Workers;
using Hera.Grains.Jobs;
using Hera.Grains.Scheduling.Policy;
using Hera.Grains.Workers;
using Microsoft.Extensions.Logging;

namespace Hera.Grains.Scheduling;

/// <summary>
/// The scheduler grain: the queue grains' live state and the dispatcher. It holds every waiting and running job
/// in a <see cref="WeightedQueueScheduler"/> (rebuilt from the grid store at start, then kept current by the
/// job change feed), admits submissions against each queue's state and capacity, and on every wake-up walks
/// the queues: jobs past their timeout fail <c>timeout</c>, picked jobs are claimed for the worker placement
/// chose and handed to it, and each held queue's next job gets an event saying why it waits. It also watches
/// worker heartbeats and hands back the jobs of a worker whose heartbeats stopped.
/// </summary>
/// <remarks>
/// One lock guards the in-memory state; no I/O happens under it. Writes (claims, timeouts, events) follow
/// each walk, in the order the walk decided.
/// </remarks>
public sealed partial class JobScheduler : IDisposable
{
    private readonly Lock _gate = new();
    private readonly WeightedQueueScheduler _policy = new();
    private readonly PickResult _pick = new();
    private readonly Dictionary<string, QueueRecord> _queues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _reservations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _reservedPerQueue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkerRecord> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitReason> _queueWaits = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _waitNotes = new(StringComparer.Ordinal);
    private readonly List<WorkerSlots> _workerSlots = [];
    private readonly List<EngineSlots> _engineSlots = [];
    private readonly AsyncSignal _wake = new();
    private readonly SemaphoreSlim _queueWrites = new(1, 1);
    private readonly SchedulerOptions _options;
    private readonly IGridStore _store;
    private readonly IGrainFactory _grains;
    private readonly EngineCatalog _engines;
    private readonly EngineRouting _routing;
    private readonly JobChangeFeed _feed;
    private readonly WorkerDirectory _directory;
    private readonly TimeProvider _time;
    private readonly ILogger<JobScheduler> _logger;
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    // The last record seen of each held job: its spec for the parameters, and the version a claim writes against.
    private readonly Dictionary<string, JobRecord> _records = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly Queue<string> _finishedOrder = new();
    private WaitReason? _clusterStop;

    // The epoch of the leadership this silo holds while it dispatches; null when it does not lead. Every write
    // the dispatcher makes is fenced by it.
    private long? _epoch;

    // Finished ids remembered so that a stale change published late (a claim's "running" landing after the
    // cancel that followed it) cannot bring a finished job back; bounded, oldest forgotten first.
    private const int FinishedMemory = 100_000;

    /// <summary>Creates the scheduler; <see cref="StartAsync"/> loads its state.</summary>
    public JobScheduler(
        SchedulerOptions options, IGridStore store, IGrainFactory grains, EngineCatalog engines, EngineRouting routing, JobChangeFeed feed,
        WorkerDirectory directory, TimeProvider time, ILogger<JobScheduler> logger)
    {
        options.Validate();
        (_options, _store, _grains, _engines, _routing, _feed, _directory, _time, _logger) =
            (options, store, grains, engines, routing, feed, directory, time, logger);
    }

    /// <summary>The leadership epoch this silo dispatches under, or null when it does not lead.</summary>
    public long? LeaderEpoch => _epoch;

    /// <summary>
    /// Loads queues, workers, waiting and running jobs from the store and starts following job changes and
    /// worker heartbeats. Call once, after the store is migrated and before anything submits or runs jobs.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (queues, waiting, running, workers) = await ResyncAsync(cancellationToken).ConfigureAwait(false);
        _feed.Changed += OnJobChanged;
        _directory.Heartbeat += OnHeartbeat;

        // Workers of this process are live now; waiting for their first written heartbeat would leave the first
        // walks without workers and note a false "no live worker" on every waiting job.
        foreach (var local in _directory.LocalHeartbeats())
        {
            OnHeartbeat(local);
        }

        Log.Loaded(_logger, queues, waiting, running, workers);
    }

    /// <summary>
    /// Re-reads queues, workers, waiting and running jobs from the store and makes the in-memory state match:
    /// at start, when this silo becomes leader, and after change delivery was interrupted (changes may have
    /// been missed). Jobs held in memory but no longer waiting or running in the store are dropped.
    /// </summary>
    public async Task<(int Queues, int Waiting, int Running, int Workers)> ResyncAsync(CancellationToken cancellationToken)
    {
        var queues = await _store.QueueListAsync(cancellationToken).ConfigureAwait(false);
        var workers = await _store.WorkerListAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var queue in queues)
            {
                _queues[queue.Definition.Name] = queue;
                _policy.UpsertQueue(queue.Definition);
            }

            foreach (var worker in workers)
            {
                if (!_workers.TryGetValue(worker.Id, out var known) || worker.LastHeartbeat >= known.LastHeartbeat)
                {
                    _workers[worker.Id] = worker;
                }
            }
        }

        var (waiting, running) = await ReconcileJobsAsync(cancellationToken).ConfigureAwait(false);
        return (queues.Count, waiting, running, workers.Count);
    }

    /// <summary>
    /// Makes the jobs held in memory match the store's waiting and running jobs: what a missed change left out is
    /// added, what finished unseen is dropped. The leader calls it every <see cref="SchedulerOptions.SafetyPoll"/>
    /// when the store is shared, so a lost notification delays a job by at most that much. Returns how many
    /// jobs were waiting and running.
    /// </summary>
    public async Task<(int Waiting, int Running)> ReconcileJobsAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, long> before;
        lock (_gate)
        {
            before = new Dictionary<string, long>(_versions, StringComparer.Ordinal);
        }

        // Running first: a job can go from running back to waiting (a worker handing it back) at any moment, and
        // then shows in the second read; the other way only this scheduler moves jobs, not while it reads here.
        var running = await _store.JobListAsync(new JobListParams(JobState.Running, Limit: int.MaxValue, Order: JobListOrder.EnqueuedFirst), cancellationToken).ConfigureAwait(false);
        var waiting = await _store.JobListAsync(new JobListParams(JobState.Waiting, Limit: int.MaxValue, Order: JobListOrder.EnqueuedFirst), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var current = waiting.Concat(running).Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var (id, version) in before)
            {
                // Dropped only when nothing about it was heard since the reads began: a job submitted or changed
                // meanwhile is newer than the reads and stays.
                if (!current.Contains(id) && _versions.TryGetValue(id, out var now) && now == version)
                {
                    _policy.Remove(id);
                    _versions.Remove(id);
                    _records.Remove(id);
                    _waitNotes.Remove(id);
                }
            }

            foreach (var job in waiting.Concat(running))
            {
                Apply(job);
            }
        }

        _wake.Set();
        return (waiting.Count, running.Count);
    }

    /// <summary>Follows a queue change another silo made: re-reads the queue and takes its settings.</summary>
    public async Task ReloadQueueAsync(string name, CancellationToken cancellationToken)
    {
        if (await _store.QueueGetAsync(name, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return;
        }

        lock (_gate)
        {
            if (_queues.TryGetValue(name, out var known) && known.Version > stored.Version)
            {
                return;
            }

            _queues[name] = stored;
            _policy.UpsertQueue(stored.Definition);
            _queueWaits.Remove(name);
        }

        _wake.Set();
    }

    /// <summary>
    /// Dispatches as the cluster's leader with <paramref name="epoch"/> until <paramref name="lost"/> fires or a
    /// fenced write shows another silo leads: rebuilds the state from the store (the previous leader's decisions
    /// are only there), hands back the jobs of workers no longer alive, then runs the dispatch loop.
    /// </summary>
    public async Task LeadAsync(long epoch, CancellationToken lost)
    {
        _epoch = epoch;
        try
        {
            await ResyncAsync(lost).ConfigureAwait(false);
            await CheckWorkersAsync(lost).ConfigureAwait(false);
            await RunAsync(lost).ConfigureAwait(false);
        }
        catch (LeadershipLostException)
        {
            Log.LeadershipLost(_logger, epoch);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested)
        {
            // Lost or stopping: the caller knows which.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Taking over needs the store (a resync, the workers' state); when it does not answer, this silo steps
            // down and queues for leadership again rather than lead blind.
            Log.TakeoverFailed(_logger, e, epoch);
        }
        finally
        {
            _epoch = null;
        }
    }

    /// <summary>
    /// The dispatch loop: a pass on every wake-up (a job changed, a worker beat, a queue changed) and at least
    /// every <see cref="SchedulerOptions.Tick"/> (timeouts, dead workers). Returns when <paramref name="stopping"/> fires.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var lastWorkerCheck = _time.GetTimestamp();
        var lastReconcile = _time.GetTimestamp();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stopping).ConfigureAwait(false);
                if (_time.GetElapsedTime(lastWorkerCheck) >= _options.Tick)
                {
                    lastWorkerCheck = _time.GetTimestamp();
                    await CheckWorkersAsync(stopping).ConfigureAwait(false);
                }

                // Another silo's changes arrive as notifications; one lost (a dropped connection before the resync)
                // must not leave a job waiting forever.
                if (_store.SupportsListenNotify && _time.GetElapsedTime(lastReconcile) >= _options.SafetyPoll)
                {
                    lastReconcile = _time.GetTimestamp();
                    await ReconcileJobsAsync(stopping).ConfigureAwait(false);
                }

                await _wake.WaitAsync(_options.Tick, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (LeadershipLostException)
            {
                throw;
            }
            catch (Exception e)
            {
                // The store may be briefly unavailable; the loop must outlive that.
                Log.PassFailed(_logger, e);
                await _wake.WaitAsync(_options.Tick, stopping).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Admission, before anything is stored: the queue must exist, be open and hold fewer waiting jobs than
    /// its capacity. On success the job's place is reserved until the returned ticket is disposed or the job
    /// shows up waiting, so concurrent submissions cannot overfill the queue.
    /// </summary>
    /// <exception cref="HeraProblemException"><c>queue_not_found</c>, <c>queue_closed</c> or <c>queue_full</c>.</exception>
    public IDisposable Admit(string queue, string jobId)
    {
        lock (_gate)
        {
            var definition = RequireOpenQueue(queue);
            var held = _policy.GetLoad(queue)!.Size + _reservedPerQueue.GetValueOrDefault(queue);
            if (held >= definition.Capacity)
            {
                throw new HeraProblemException(ProblemCodes.QueueFull, Invariant($"queue '{queue}' holds {held} of {definition.Capacity} jobs; retry later"));
            }

            _reservations[jobId] = queue;
            _reservedPerQueue[queue] = _reservedPerQueue.GetValueOrDefault(queue) + 1;
            return new Reservation(this, jobId);
        }
    }

    /// <summary>The definition of <paramref name="queue"/>, which must exist and be open (interactive queries pass
    /// these gates without waiting in the queue).</summary>
    /// <exception cref="HeraProblemException"><c>queue_not_found</c> or <c>queue_closed</c>.</exception>
    public QueueDefinition RequireOpenQueue(string queue)
    {
        lock (_gate)
        {
            if (_policy.GetQueue(queue) is not { } definition)
            {
                throw QueueNotFound(queue);
            }

            if (definition.State == QueueState.Closed)
            {
                throw new HeraProblemException(ProblemCodes.QueueClosed, $"queue '{queue}' is closed and takes no new jobs; its waiting jobs stay queued");
            }

            return definition;
        }
    }

    /// <summary>
    /// Read-modify-write of one queue: <paramref name="change"/> gets its current settings (the defaults for a
    /// new queue) and returns the new ones. Changes are serialised, so two callers changing different members
    /// at once both land. <paramref name="change"/> may throw to refuse; nothing is written then.
    /// </summary>
    /// <exception cref="HeraProblemException"><c>invalid_request</c> when the new settings have problems (see <see cref="QueueDefinition.Problems"/>).</exception>
    public async Task<QueueChange> ChangeQueueAsync(string name, Func<QueueDefinition, QueueDefinition> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await _queueWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            QueueDefinition? current;
            lock (_gate)
            {
                current = _queues.TryGetValue(name, out var known) ? known.Definition : null;
            }

            var next = change(current ?? QueueDefinition.WithDefaults(name)) with { Name = name };
            var problems = next.Problems();
            if (problems.Count > 0)
            {
                throw new HeraProblemException(ProblemCodes.InvalidRequest, string.Join("; ", problems));
            }

            var stored = await _store.QueueUpsertAsync(next, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            QueueView view;
            lock (_gate)
            {
                _queues[name] = stored;
                _policy.UpsertQueue(stored.Definition);
                _queueWaits.Remove(name); // its last reason may no longer hold; the next walk says
                view = ViewOf(stored);
            }

            _wake.Set();
            return new QueueChange(view, current is null);
        }
        finally
        {
            _queueWrites.Release();
        }
    }

    /// <summary>The <c>queue_not_found</c> problem for <paramref name="name"/>, naming the queues there are.</summary>
    public HeraProblemException QueueNotFound(string name)
    {
        lock (_gate)
        {
            return new HeraProblemException(
                ProblemCodes.QueueNotFound, $"queue '{name}' does not exist; queues: {string.Join(", ", _queues.Keys.Order(StringComparer.Ordinal))}");
        }
    }

    /// <summary>A queue with its live numbers, or null.</summary>
    public QueueView? GetQueue(string name)
    {
        lock (_gate)
        {
            return _queues.TryGetValue(name, out var queue) ? ViewOf(queue) : null;
        }
    }

    /// <summary>Every queue with its live numbers, by name.</summary>
    public IReadOnlyList<QueueView> ListQueues()
    {
        lock (_gate)
        {
            return [.. _queues.Values.OrderBy(q => q.Definition.Name, StringComparer.Ordinal).Select(ViewOf)];
        }
    }

    /// <summary>
    /// Every worker the grid has seen, by id, as of its last heartbeat (dead ones included). For a live worker,
    /// <see cref="WorkerRecord.Running"/> and <see cref="WorkerRecord.MemoryUsedMb"/> are the scheduler's own
    /// count of what it placed there, which is current at once, where the heartbeat's lags by up to a second.
    /// </summary>
    public IReadOnlyList<WorkerRecord> ListWorkers()
    {
        lock (_gate)
        {
            return [.. _workers.Values.OrderBy(w => w.Id, StringComparer.Ordinal).Select(WithPlacedLoad)];
        }
    }

    private WorkerRecord WithPlacedLoad(WorkerRecord worker)
    {
        if (worker.State != WorkerState.Alive)
        {
            return worker;
        }

        var use = _policy.UseOfWorker(worker.Id);
        return worker with { Running = use.Running, MemoryUsedMb = (int)Math.Min(int.MaxValue, use.MemoryMb) };
    }

    /// <summary>
    /// For a waiting job the scheduler holds: its score now and, when the last walk held it back, why. Null
    /// for a job the scheduler does not hold as waiting.
    /// </summary>
    public WaitingInfo? DescribeWaiting(string jobId)
    {
        lock (_gate)
        {
            if (_policy.Find(jobId) is not { Running: false } held)
            {
                return null;
            }

            var reason = _queueWaits.TryGetValue(held.Job.Queue, out var wait) ? wait : _clusterStop;
            return new WaitingInfo(_policy.Score(jobId, _time.GetUtcNow()), reason?.ToString());
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _feed.Changed -= OnJobChanged;
        _directory.Heartbeat -= OnHeartbeat;
        _queueWrites.Dispose();
    }

    /// <summary>One walk and the writes it calls for. Public for tests that drive the scheduler step by step.</summary>
    public async Task<PassResult> PassAsync(CancellationToken cancellationToken)
    {
        var expired = new List<WaitingJob>();
        List<PickedJob> started;
        List<QueueWait> waits;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            _policy.SweepExpired(now, expired);
            _policy.Pick(now, CurrentLimits(now), EngineSlots(), LiveWorkerSlots(now), _pick);
            started = [.. _pick.Started];
            waits = [.. _pick.Waits];
            expired.AddRange(_pick.Expired);
            _queueWaits.Clear();
            foreach (var wait in waits)
            {
                _queueWaits[wait.Queue] = wait.Reason;
            }

            _clusterStop = _pick.StopReason;
        }

        foreach (var job in expired)
        {
            await _grains.GetJob(job.Id, _epoch).FailAsync(null, JobFailureReasons.Timeout, new JobError(
                JobFailureReasons.Timeout, Invariant($"waited past its timeout of {job.TimeoutSeconds} s")), cancellationToken).ConfigureAwait(false);
        }

        // Notes go first: they are rare (a head's reason changed), and a job started by this walk then never
        // finishes before the walk's notes are in the store.
        foreach (var wait in waits)
        {
            if (IsWorthAnEvent(wait.Reason.Kind))
            {
                await NoteWaitAsync(wait.Head.Id, wait.Reason.ToString(), now, cancellationToken).ConfigureAwait(false);
            }
        }

        var claimed = 0;
        foreach (var pick in started)
        {
            claimed += await ClaimAsync(pick, cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        return new PassResult(claimed, expired.Count, waits.Count);
    }

    /// <summary>
    /// Declares dead every alive worker whose last heartbeat is older than <see cref="SchedulerOptions.WorkerDeadAfter"/>
    /// and hands its running jobs back (attempt + 1 at the next claim, or <c>worker_lost</c> past the attempt
    /// limit). Heartbeats of workers in other processes are read from the store. Public for tests.
    /// </summary>
    public async Task<int> CheckWorkersAsync(CancellationToken cancellationToken)
    {
        foreach (var stored in await _store.WorkerListAsync(cancellationToken).ConfigureAwait(false))
        {
            OnHeartbeat(stored);
        }

        var now = _time.GetUtcNow();
        List<WorkerRecord> stale;
        List<(string Worker, string Job)> orphans;
        lock (_gate)
        {
            stale = [.. _workers.Values.Where(w => w.State == WorkerState.Alive && now - w.LastHeartbeat > _options.WorkerDeadAfter)];

            // Jobs still running on a worker already known dead or stopped: a previous leader declared it but did
            // not live to hand its jobs back, or a stopping worker was handed a claim it could not take.
            orphans = [.. _workers.Values.Where(w => w.State != WorkerState.Alive).SelectMany(w => _policy.RunningJobsOn(w.Id).Select(j => (w.Id, j)))];
        }

        foreach (var (worker, id) in orphans)
        {
            await RecoverFromAsync(worker, id, $"worker {worker} is not alive", cancellationToken).ConfigureAwait(false);
        }

        var lost = 0;
        foreach (var worker in stale)
        {
            if (!await _store.WorkerMarkDeadAsync(worker.Id, worker.LastHeartbeat, cancellationToken).ConfigureAwait(false))
            {
                continue; // A heartbeat landed in between: it lives.
            }

            lost++;
            var silence = (now - worker.LastHeartbeat).TotalSeconds;
            Log.WorkerDead(_logger, worker.Id, silence);
            IReadOnlyList<string> jobs;
            lock (_gate)
            {
                _workers[worker.Id] = worker with { State = WorkerState.Dead };
                jobs = _policy.RunningJobsOn(worker.Id);
            }

            var detail = Invariant($"worker {worker.Id} lost: no heartbeat for {silence:F1} s");
            foreach (var id in jobs)
            {
                await RecoverFromAsync(worker.Id, id, detail, cancellationToken).ConfigureAwait(false);
            }
        }

        return lost;
    }

    /// <summary>
    /// Every worker the grid has seen, as <see cref="ListWorkers"/>, first re-read from the store when this silo
    /// does not lead (the leader's view follows heartbeats; a follower's would be stale).
    /// </summary>
    public async Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(CancellationToken cancellationToken)
    {
        if (_epoch is null && _store.SupportsListenNotify)
        {
            foreach (var stored in await _store.WorkerListAsync(cancellationToken).ConfigureAwait(false))
            {
                OnHeartbeat(stored);
            }
        }

        return ListWorkers();
    }

    // Hands back the job's attempt on that worker only: the job may have been placed again since the verdict.
    private async Task RecoverFromAsync(string workerId, string jobId, string detail, CancellationToken cancellationToken)
    {
        var grain = _grains.GetJob(jobId, _epoch);
        if (await grain.GetAsync(cancellationToken).ConfigureAwait(false) is { State: JobState.Running } job && job.WorkerId == workerId)
        {
            await grain.RecoverAsync(_options.MaxAttempts, detail, cancellationToken, job.Attempts).ConfigureAwait(false);
        }
        else
        {
            // Already moved on (finished, or handed back and placed again): follow the store.
            var current = await grain.GetAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (current is null)
                {
                    _policy.Remove(jobId);
                }
                else
                {
                    Apply(current);
                }
            }
        }
    }

    private async Task<bool> ClaimAsync(PickedJob pick, CancellationToken cancellationToken)
    {
        var job = pick.Job;
        JobRecord? known;
        lock (_gate)
        {
            _records.TryGetValue(job.Id, out known);
        }

        var worker = pick.WorkerId!;
        var grain = _grains.GetJob(job.Id, _epoch);
        var spec = known?.Spec ?? (await grain.GetAsync(cancellationToken).ConfigureAwait(false))?.Spec;

        // The effective parameters are recorded with the start, so an operator sees what the attempt ran with.
        var parameters = spec is null || _engines.Find(job.Engine) is null ? string.Empty : ParameterAssembly.Describe(_engines.Assemble(job.Engine, spec));
        var detail = parameters.Length == 0 ? $"worker {worker} engine {job.Engine}" : $"worker {worker} engine {job.Engine} parameters {parameters}";
        // Written against the record last seen, without reading it again: if it changed since, the version check
        // fails and the grain re-reads, so the shortcut only ever saves a round trip.
        var claimed = await grain.TryStartAsync(worker, job.Engine, pick.Score, detail, cancellationToken, known is { State: JobState.Waiting } ? known : null).ConfigureAwait(false);
        if (claimed is null)
        {
            // Cancelled (or otherwise moved) since the walk: follow the stored job, not the walk's guess.
            var current = await grain.GetAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (current is null)
                {
                    _policy.Remove(job.Id);
                }
                else
                {
                    Apply(current);
                }
            }

            return false;
        }

        var delivery = _directory.Deliver(worker, claimed);
        if (delivery == Delivery.Refused || (delivery == Delivery.NotHere && !_store.SupportsListenNotify))
        {
            // The worker stopped between its heartbeat and now (or, with a store no other silo shares, is no
            // worker of this grid any more): the job goes back in line at once.
            await grain.RecoverAsync(int.MaxValue, $"worker {worker} could not take the job; re-queued", cancellationToken, claimed.Attempts).ConfigureAwait(false);
            return false;
        }

        // NotHere with a shared store: the worker's silo learns of the claim from the store's change delivery.

        lock (_gate)
        {
            _waitNotes.Remove(job.Id);
        }

        return true;
    }

    // Plain saturation (every slot busy, the cluster's task limit) is the normal state of a busy grid and would
    // cost a write per queued job; it shows in the job's waitReason only. Every other limit is specific to the
    // job or its queue and is what an operator asks about.
    private static bool IsWorthAnEvent(WaitReasonKind kind) => kind is not (WaitReasonKind.PoolNoFreeSlot or WaitReasonKind.ClusterMaxRunning);

    // A waiting job gets an event when the reason it waits changes, not on every walk.
    private async Task NoteWaitAsync(string jobId, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_waitNotes.TryGetValue(jobId, out var last) && last == reason)
            {
                return;
            }

            _waitNotes[jobId] = reason;
        }

        await _store.JobEventAppendAsync(jobId, new JobEventDraft(JobState.Waiting, at, $"waiting: {reason}"), cancellationToken).ConfigureAwait(false);
    }

    private void OnJobChanged(JobRecord job)
    {
        lock (_gate)
        {
            Apply(job);
        }

        _wake.Set();
    }

    private void OnHeartbeat(WorkerRecord heartbeat)
    {
        var changed = false;
        lock (_gate)
        {
            if (!_workers.TryGetValue(heartbeat.Id, out var known) || heartbeat.LastHeartbeat >= known.LastHeartbeat)
            {
                changed = known is null || known.State != heartbeat.State || known.Running != heartbeat.Running;
                _workers[heartbeat.Id] = heartbeat;
            }
        }

        if (changed)
        {
            _wake.Set();
        }
    }

    // Brings the policy in line with one job's stored state. Idempotent: applying the same record twice, or a
    // record the scheduler already reflects (its own claims), changes nothing.
    // Changes are published after their write, so two writers' changes can arrive out of order: the version
    // decides, and a finished job stays finished.
    private void Apply(JobRecord job)
    {
        ConsumeReservation(job.Id);
        if (_finished.Contains(job.Id) || (_versions.TryGetValue(job.Id, out var seen) && job.Version < seen))
        {
            return;
        }

        var held = _policy.Find(job.Id);
        if (job.State.IsTerminal())
        {
            _policy.Remove(job.Id);
            _waitNotes.Remove(job.Id);
            _versions.Remove(job.Id);
            _records.Remove(job.Id);
            RememberFinished(job.Id);
            return;
        }

        _versions[job.Id] = job.Version;
        _records[job.Id] = job;

        if (_policy.GetQueue(job.Spec.Queue) is null)
        {
            Log.UnknownQueue(_logger, job.Id, job.Spec.Queue);
            return;
        }

        var running = job.State == JobState.Running;
        if (held is { } h && h.Running == running && (!running || h.WorkerId == job.WorkerId))
        {
            return;
        }

        _policy.Remove(job.Id);
        var waiting = ToWaiting(job);
        if (running)
        {
            _policy.AddRunning(waiting, job.WorkerId);
        }
        else
        {
            _policy.Submit(waiting);
        }
    }

    // The timeout counts from submission (as the runner enforces it), so a job handed back by a lost worker
    // keeps its place and its deadline instead of starting over at the back.
    private WaitingJob ToWaiting(JobRecord job) => new(
        job.Id,
        job.Spec.Queue,
        job.SubmittedAt,
        job.Spec.TimeoutSeconds,
        MemoryEstimates.For(job.Spec),
        _routing.FirstEngine(job.Spec, _policy.GetQueue(job.Spec.Queue)));

    private void RememberFinished(string jobId)
    {
        if (_finished.Add(jobId))
        {
            _finishedOrder.Enqueue(jobId);
            if (_finishedOrder.Count > FinishedMemory)
            {
                _finished.Remove(_finishedOrder.Dequeue());
            }
        }
    }

    private void ConsumeReservation(string jobId)
    {
        if (_reservations.Remove(jobId, out var queue))
        {
            var left = _reservedPerQueue[queue] - 1;
            if (left == 0)
            {
                _reservedPerQueue.Remove(queue);
            }
            else
            {
                _reservedPerQueue[queue] = left;
            }
        }
    }

    private ClusterLimits CurrentLimits(DateTimeOffset now)
    {
        long clusterMemory = 0;
        foreach (var worker in _workers.Values)
        {
            if (IsLive(worker, now))
            {
                clusterMemory += worker.MemoryMb;
            }
        }

        return new ClusterLimits(_options.MaxRunningTasks, _options.MaxMemoryMb, clusterMemory);
    }

    private List<EngineSlots> EngineSlots()
    {
        _engineSlots.Clear();
        foreach (var engine in _engines.List())
        {
            var name = engine.Definition.Name;
            _engineSlots.Add(new EngineSlots(name, engine.Definition.MaxConcurrency - _policy.RunningOnEngine(name)));
        }

        return _engineSlots;
    }

    private List<WorkerSlots> LiveWorkerSlots(DateTimeOffset now)
    {
        _workerSlots.Clear();
        foreach (var worker in _workers.Values)
        {
            if (IsLive(worker, now))
            {
                var use = _policy.UseOfWorker(worker.Id);
                _workerSlots.Add(new WorkerSlots(worker.Id, worker.Pool, worker.Slots - use.Running, worker.MemoryMb - use.MemoryMb));
            }
        }

        return _workerSlots;
    }

    private bool IsLive(WorkerRecord worker, DateTimeOffset now) =>
        worker.State == WorkerState.Alive && now - worker.LastHeartbeat <= _options.WorkerDeadAfter;

    private QueueView ViewOf(QueueRecord queue)
    {
        var load = _policy.GetLoad(queue.Definition.Name)!;
        return new QueueView(queue, load.Size, load.Running, load.RunningMemoryMb, load.DynamicFactor,
            _queueWaits.TryGetValue(queue.Definition.Name, out var wait) ? wait.ToString() : null);
    }

    private void Release(string jobId)
    {
        lock (_gate)
        {
            ConsumeReservation(jobId);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Reservation(JobScheduler owner, string jobId) : IDisposable
    {
        public void Dispose() => owner.Release(jobId);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Scheduler loaded {Queues} queues, {Waiting} waiting and {Running} running jobs, {Workers} workers")]
        public static partial void Loaded(ILogger logger, int queues, int waiting, int running, int workers);

        [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Scheduler pass failed; retrying after the tick")]
        public static partial void PassFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Worker {WorkerId} is dead: no heartbeat for {Seconds:F1} s; handing its jobs back")]
        public static partial void WorkerDead(ILogger logger, string workerId, double seconds);

        [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Leading with epoch {Epoch} failed; stepping down")]
        public static partial void TakeoverFailed(ILogger logger, Exception exception, long epoch);

        [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "Leadership with epoch {Epoch} lost: another silo leads; dispatching stops")]
        public static partial void LeadershipLost(ILogger logger, long epoch);

        [LoggerMessage(EventId = 2204, Level = LogLevel.Error, Message = "Job {JobId} names queue {Queue}, which the scheduler does not know; it is not scheduled")]
        public static partial void UnknownQueue(ILogger logger, string jobId, string queue);
    }
}

/// <summary>A queue with its live numbers, for <c>GET /v1/queues</c>.</summary>
/// <param name="Queue">Settings and bookkeeping, as stored.</param>
/// <param name="Size">Waiting jobs.</param>
/// <param name="Running">Running jobs.</param>
/// <param name="RunningMemoryMb">Memory estimated for its running jobs, in MiB.</param>
/// <param name="DynamicFactor">size / capacity x (1 - running / parallelism), now.</param>
/// <param name="WaitReason">Why its next job did not start at the last walk; null when nothing held it.</param>
public sealed record QueueView(QueueRecord Queue, int Size, int Running, long RunningMemoryMb, double DynamicFactor, string? WaitReason);

/// <summary>The outcome of <see cref="JobScheduler.ChangeQueueAsync"/>.</summary>
/// <param name="Queue">The queue as now in force.</param>
/// <param name="Created">True when the queue did not exist before.</param>
public sealed record QueueChange(QueueView Queue, bool Created);

/// <summary>What the scheduler says about a waiting job.</summary>
/// <param name="Score">job weight + dynamic factor + queue weight, now.</param>
/// <param name="Reason">Why the last walk did not start it (its queue's, or the cluster's, limit); null if none was met.</param>
public sealed record WaitingInfo(double Score, string? Reason);

/// <summary>What one pass did.</summary>
/// <param name="Started">Jobs claimed and handed to a worker.</param>
/// <param name="Expired">Waiting jobs failed with <c>timeout</c>.</param>
/// <param name="HeldQueues">Queues with waiting jobs that could not start.</param>
public sealed record PassResult(int Started, int Expired, int HeldQueues);
