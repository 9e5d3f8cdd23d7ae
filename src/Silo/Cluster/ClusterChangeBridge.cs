using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;
using Hera.Grains.Scheduling;

namespace Hera.Silo.Cluster;

/// <summary>
/// Carries the changes other silos make through the shared grid store into this silo's in-process views: a job
/// change is re-read and published on the <see cref="JobChangeFeed"/> (which wakes long polls, the dispatcher,
/// the worker a claim is for, and the attempt a cancel is for); queue, engine and parameter changes reload those
/// caches. After a reconnect everything is re-read, since changes may have been missed meanwhile.
/// </summary>
internal sealed partial class ClusterChangeBridge(
    IGridStore store, JobChangeFeed feed, JobScheduler scheduler, EngineCatalog engines, ILogger<ClusterChangeBridge> logger)
    : BackgroundService, IGridChangeListener
{
    private int _resyncs;

    /// <summary>How many times listening (re)started; the first is at start.</summary>
    public int Resyncs => Volatile.Read(ref _resyncs);

    public async ValueTask OnChangeAsync(GridChange change, CancellationToken cancellationToken)
    {
        try
        {
            switch (change.Kind)
            {
                case GridChangeKind.Job when change.Job is { } written:
                    feed.Publish(written);
                    break;
                case GridChangeKind.Job:
                    if (await store.JobGetAsync(change.Key, cancellationToken).ConfigureAwait(false) is { } job)
                    {
                        feed.Publish(job);
                    }

                    break;
                case GridChangeKind.JobNote:
                    feed.PublishNote(change.Key);
                    break;
                case GridChangeKind.Queue:
                    await scheduler.ReloadQueueAsync(change.Key, cancellationToken).ConfigureAwait(false);
                    break;
                case GridChangeKind.Engine or GridChangeKind.Parameters:
                    await engines.ReloadAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case GridChangeKind.Leader:
                    Log.NewLeader(logger, change.Key);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            // A change that cannot be followed now is caught up by the next resync or safety poll.
            Log.ChangeFailed(logger, e, change.Kind.ToString(), change.Key);
        }
    }

    public async ValueTask OnResyncAsync(CancellationToken cancellationToken)
    {
        // The first call is at start, where everything was just loaded.
        if (Interlocked.Increment(ref _resyncs) == 1)
        {
            return;
        }

        Log.Resyncing(logger);
        try
        {
            await scheduler.ResyncAsync(cancellationToken).ConfigureAwait(false);
            await engines.ReloadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ResyncFailed(logger, e);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => store.ListenAsync(this, stoppingToken);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Silo {SiloId} now leads the cluster")]
        public static partial void NewLeader(ILogger logger, string siloId);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Following a {Kind} change of {Key} failed")]
        public static partial void ChangeFailed(ILogger logger, Exception exception, string kind, string key);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Change delivery resumed; re-reading queues, jobs and engines")]
        public static partial void Resyncing(ILogger logger);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Re-reading after a reconnect failed; the next resync tries again")]
        public static partial void ResyncFailed(ILogger logger, Exception exception);
    }
}
