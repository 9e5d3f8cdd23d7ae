using System.Collections.Concurrent;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Jobs;
using Hera.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace Hera.Grains.Workers;

/// <summary>
/// This silo's worker grain: a fixed number of slots, filled with jobs the scheduler picks. Each pass claims up
/// to the free slot count (a conditional <c>waiting → running</c> write, so a job runs once per attempt) and
/// starts a <see cref="JobRunner"/> per claim. It wakes when a job becomes waiting or a slot frees, and polls
/// at <see cref="WorkerOptions.PollInterval"/> as a safety net.
/// </summary>
public sealed partial class Worker : IDisposable
{
    private readonly WorkerOptions _options;
    private readonly IJobPicker _picker;
    private readonly IGrainFactory _grains;
    private readonly IEngineRegistry _engines;
    private readonly JobRunner _runner;
    private readonly JobChangeFeed _feed;
    private readonly ILogger<Worker> _logger;
    private readonly AsyncSignal _wake = new();
    private readonly ConcurrentDictionary<string, Task> _running = new();

    /// <summary>Creates the worker and subscribes it to job changes.</summary>
    public Worker(WorkerOptions options, IJobPicker picker, IGrainFactory grains, IEngineRegistry engines, JobRunner runner, JobChangeFeed feed, ILogger<Worker> logger)
    {
        options.Validate();
        (_options, _picker, _grains, _engines, _runner, _feed, _logger) = (options, picker, grains, engines, runner, feed, logger);
        _feed.Changed += OnJobChanged;
    }

    /// <summary>This worker's settings.</summary>
    public WorkerOptions Options => _options;

    /// <summary>Attempts running now.</summary>
    public int RunningCount => _running.Count;

    /// <summary>Claims and starts jobs for the free slots once. Attempts keep running after it returns.</summary>
    public async Task<DispatchResult> RunOnceAsync(CancellationToken stopping)
    {
        var free = _options.Slots - _running.Count;
        var picked = await _picker.PickAsync(free, stopping).ConfigureAwait(false);
        var started = 0;
        foreach (var job in picked)
        {
            var engine = job.Spec.Engines.Count > 0 ? job.Spec.Engines[0] : _engines.DefaultEngine;
            var claimed = await _grains.GetJob(job.Id)
                .TryStartAsync(_options.WorkerId, engine, $"worker {_options.WorkerId} engine {engine}", stopping)
                .ConfigureAwait(false);
            if (claimed is null)
            {
                continue;
            }

            started++;

            // The attempt must be in the slot table before it can finish and remove itself.
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var key = $"{claimed.Id}:{claimed.Attempts}";
            _running[key] = RunAttemptAsync(key, claimed, registered.Task, stopping);
            registered.SetResult();
        }

        return new DispatchResult(free, picked.Count, started);
    }

    /// <summary>The dispatch loop: a pass, then sleep until woken or the poll interval passes. Returns after
    /// <paramref name="stopping"/> fires and every running attempt has ended.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        Log.Started(_logger, _options.WorkerId, _options.Slots);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var result = await RunOnceAsync(stopping).ConfigureAwait(false);
                if (result.Started > 0 && result.Started == result.FreeSlots)
                {
                    continue; // Every free slot filled: more may be waiting; a finishing attempt wakes us.
                }

                await _wake.WaitAsync(_options.PollInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The store may be briefly unavailable; the loop must outlive that.
                Log.PassFailed(_logger, e);
                await Task.Delay(_options.PollInterval, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        Log.Stopped(_logger, _options.WorkerId);
    }

    /// <inheritdoc />
    public void Dispose() => _feed.Changed -= OnJobChanged;

    private async Task RunAttemptAsync(string key, JobRecord claimed, Task registered, CancellationToken stopping)
    {
        await registered.ConfigureAwait(false);
        try
        {
            await _runner.RunAsync(claimed, stopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The runner records job failures itself; what reaches here is the store failing underneath it.
            // The job stays running and is recovered at the next start.
            Log.AttemptFailedToRecord(_logger, e, claimed.Id, claimed.Attempts);
        }
        finally
        {
            _running.TryRemove(key, out _);
            _wake.Set();
        }
    }

    private void OnJobChanged(JobRecord job)
    {
        if (job.State == JobState.Waiting)
        {
            _wake.Set();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Worker {WorkerId} started with {Slots} slots")]
        public static partial void Started(ILogger logger, string workerId, int slots);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Worker {WorkerId} stopped")]
        public static partial void Stopped(ILogger logger, string workerId);

        [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Job {JobId} attempt {Attempt}: the outcome could not be recorded")]
        public static partial void AttemptFailedToRecord(ILogger logger, Exception exception, string jobId, int attempt);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Dispatch pass failed; retrying after the poll interval")]
        public static partial void PassFailed(ILogger logger, Exception exception);
    }
}

/// <summary>What one dispatch pass did.</summary>
/// <param name="FreeSlots">Slots free at the start of the pass.</param>
/// <param name="Picked">Jobs the scheduler offered.</param>
/// <param name="Started">Jobs claimed and started (offers can be lost to a concurrent cancel or claim).</param>
public sealed record DispatchResult(int FreeSlots, int Picked, int Started);
