using System.Collections.Concurrent;
using Hera.Grains.Clock;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Interfaces.Workers;
using Hera.Grains.Jobs;
using Hera.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace Hera.Grains.Workers;

/// <summary>
/// This silo's worker grain: it offers slots and memory in one pool, runs the attempts the scheduler claims for
/// it (one <see cref="JobRunner"/> each), and writes a heartbeat every <see cref="WorkerOptions.HeartbeatInterval"/>
/// with its running count and the memory estimated for its running tasks. The scheduler places jobs by those
/// numbers and declares the worker dead when the heartbeats stop.
/// </summary>
public sealed partial class Worker
{
    private readonly WorkerOptions _options;
    private readonly JobRunner _runner;
    private readonly IGridStore _store;
    private readonly WorkerDirectory _directory;
    private readonly TimeProvider _time;
    private readonly ILogger<Worker> _logger;
    private readonly ConcurrentDictionary<string, Attempt> _running = new();
    private readonly JobChangeFeed _feed;
    private readonly Lock _startedGate = new();
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);
    private readonly Queue<string> _startedOrder = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly DateTimeOffset _startedAt;

    // Attempts started here, remembered so that a claim seen twice (handed over in-process and then seen in the
    // change feed, or a late echo of a finished attempt's claim) starts once; bounded, oldest forgotten first.
    private const int StartedMemory = 100_000;

    /// <summary>
    /// Creates the worker and makes it reachable through <paramref name="directory"/>, and through
    /// <paramref name="feed"/> for claims made by a scheduler in another silo.
    /// </summary>
    public Worker(WorkerOptions options, JobRunner runner, IGridStore store, WorkerDirectory directory, JobChangeFeed feed, TimeProvider time, ILogger<Worker> logger)
    {
        options.Validate();
        (_options, _runner, _store, _directory, _feed, _time, _logger) = (options, runner, store, directory, feed, time, logger);
        _startedAt = time.UtcNowMicros();
        directory.Register(this);
        feed.Changed += OnJobChanged;
    }

    /// <summary>This worker's settings.</summary>
    public WorkerOptions Options => _options;

    /// <summary>Attempts running now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>
    /// Starts a claimed attempt (state running, this worker's id). False when the worker is stopping; the
    /// caller then hands the job back. The scheduler keeps to the offered slots; the worker does not re-check.
    /// </summary>
    public bool TryStart(JobRecord claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        var key = $"{claimed.Id}:{claimed.Attempts}";
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_startedGate)
        {
            if (!FirstStart(key))
            {
                return true; // already running (or run) here
            }

            // The attempt must be in the table before it can finish and remove itself; started and running are
            // recorded together so the safety poll never sees one without the other.
            _running[key] = new Attempt(MemoryEstimates.For(claimed.Spec), RunAttemptAsync(key, claimed, registered.Task));
        }

        registered.SetResult();
        return true;
    }

    /// <summary>
    /// Starts the attempts the store says are this worker's and that it does not run: claims whose change
    /// delivery was missed (a dropped connection). Returns how many it started. Called every
    /// <see cref="WorkerOptions.SafetyPollInterval"/> when the store is shared.
    /// </summary>
    public async Task<int> PollClaimsAsync(CancellationToken cancellationToken)
    {
        var mine = await _store.JobListAsync(
            new JobListParams(JobState.Running, Limit: Math.Max(_options.Slots * 4, 64), Order: JobListOrder.EnqueuedFirst, WorkerId: _options.WorkerId),
            cancellationToken).ConfigureAwait(false);
        var started = 0;
        foreach (var job in mine)
        {
            var key = $"{job.Id}:{job.Attempts}";
            bool wasStarted, isRunning;
            lock (_startedGate)
            {
                (wasStarted, isRunning) = (_started.Contains(key), _running.ContainsKey(key));
            }

            if (!wasStarted && TryStart(job))
            {
                started++;
                Log.MissedClaimStarted(_logger, job.Id, job.Attempts);
            }
            else if (wasStarted && !isRunning)
            {
                // The attempt ended here but its outcome never reached the store (it was down past the retries):
                // the job goes back in line rather than sit in running on a live worker.
                Log.UnrecordedAttemptHandedBack(_logger, job.Id, job.Attempts);
                await _runner.HandBackAsync(job, "the attempt ended but its outcome could not be recorded; re-queued", cancellationToken).ConfigureAwait(false);
            }
        }

        return started;
    }

    /// <summary>The heartbeat as it stands now.</summary>
    public WorkerRecord Heartbeat(WorkerState state = WorkerState.Alive)
    {
        var attempts = _running.Values.ToList();
        return new WorkerRecord
        {
            Id = _options.WorkerId,
            Silo = _options.SiloId,
            Pool = _options.Pool,
            Slots = _options.Slots,
            MemoryMb = _options.MemoryMb,
            Running = attempts.Count,
            MemoryUsedMb = attempts.Sum(a => a.MemoryMb),
            StartedAt = _startedAt,
            LastHeartbeat = _time.UtcNowMicros(),
            State = state,
        };
    }

    /// <summary>
    /// Writes a heartbeat every <see cref="WorkerOptions.HeartbeatInterval"/> until <paramref name="stopping"/>
    /// fires; then stops taking attempts, lets the running ones hand their jobs back, and writes a last
    /// heartbeat with state <c>stopped</c>.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        Log.Started(_logger, _options.WorkerId, _options.Pool, _options.Slots, _options.MemoryMb);
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        var lastPoll = _time.GetTimestamp();
        while (!stopping.IsCancellationRequested)
        {
            await BeatAsync(WorkerState.Alive, stopping).ConfigureAwait(false);
            if (_store.SupportsListenNotify && _time.GetElapsedTime(lastPoll) >= _options.SafetyPollInterval)
            {
                lastPoll = _time.GetTimestamp();
                await PollSafelyAsync(stopping).ConfigureAwait(false);
            }

            try
            {
                await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _feed.Changed -= OnJobChanged;

        // Tell the scheduler first, so the jobs about to be handed back are not placed here again.
        _directory.Publish(Heartbeat(WorkerState.Stopped));
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values.Select(a => a.Task)).ConfigureAwait(false);
        await BeatAsync(WorkerState.Stopped, CancellationToken.None).ConfigureAwait(false);
        Log.Stopped(_logger, _options.WorkerId);
    }

    // A claim made for this worker by a scheduler in another silo arrives as a job change.
    private void OnJobChanged(JobRecord job)
    {
        if (job.State == JobState.Running && job.WorkerId == _options.WorkerId && !WasStarted(job))
        {
            TryStart(job);
        }
    }

    private async Task PollSafelyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await PollClaimsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            Log.PollFailed(_logger, e, _options.WorkerId);
        }
    }

    private bool WasStarted(JobRecord job)
    {
        lock (_startedGate)
        {
            return _started.Contains($"{job.Id}:{job.Attempts}");
        }
    }

    // Call holding _startedGate.
    private bool FirstStart(string key)
    {
        if (!_started.Add(key))
        {
            return false;
        }

        _startedOrder.Enqueue(key);
        if (_startedOrder.Count > StartedMemory)
        {
            _started.Remove(_startedOrder.Dequeue());
        }

        return true;
    }

    private async Task BeatAsync(WorkerState state, CancellationToken cancellationToken)
    {
        var heartbeat = Heartbeat(state);
        try
        {
            await _store.WorkerUpsertAsync(heartbeat, cancellationToken).ConfigureAwait(false);
            _directory.Publish(heartbeat);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the stopped heartbeat follows.
        }
        catch (Exception e)
        {
            // The store may be briefly unavailable; a missed beat is what the dead-after margin is for.
            Log.HeartbeatFailed(_logger, e, _options.WorkerId);
        }
    }

    private async Task RunAttemptAsync(string key, JobRecord claimed, Task registered)
    {
        await registered.ConfigureAwait(false);
        try
        {
            await _runner.RunAsync(claimed, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The runner records job failures itself; what reaches here is the store failing underneath it.
            // The job stays running and is recovered when this worker is declared lost or the silo restarts.
            Log.AttemptFailedToRecord(_logger, e, claimed.Id, claimed.Attempts);
        }
        finally
        {
            _running.TryRemove(key, out _);
            _directory.Publish(Heartbeat(_stopping.IsCancellationRequested ? WorkerState.Stopped : WorkerState.Alive));
        }
    }

    private sealed record Attempt(int MemoryMb, Task Task);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Worker {WorkerId} started in pool {Pool} with {Slots} slots and {MemoryMb} MB")]
        public static partial void Started(ILogger logger, string workerId, string pool, int slots, int memoryMb);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Worker {WorkerId} stopped")]
        public static partial void Stopped(ILogger logger, string workerId);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Job {JobId} attempt {Attempt}: the outcome could not be recorded")]
        public static partial void AttemptFailedToRecord(ILogger logger, Exception exception, string jobId, int attempt);

        [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: its claim was not delivered; started by the safety poll")]
        public static partial void MissedClaimStarted(ILogger logger, string jobId, int attempt);

        [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt}: ended here without its outcome recorded; handing the job back")]
        public static partial void UnrecordedAttemptHandedBack(ILogger logger, string jobId, int attempt);

        [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Worker {WorkerId}: polling the store for its claims failed")]
        public static partial void PollFailed(ILogger logger, Exception exception, string workerId);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Worker {WorkerId}: writing the heartbeat failed")]
        public static partial void HeartbeatFailed(ILogger logger, Exception exception, string workerId);
    }
}
