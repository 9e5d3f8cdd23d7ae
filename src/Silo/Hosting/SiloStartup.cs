using Hera.EngineAdapters.Demo;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;
using Hera.Grains.Results;
using Hera.Grains.Scheduling;
using Hera.Silo.Configuration;

namespace Hera.Silo.Hosting;

/// <summary>
/// What a silo does before it serves or runs anything: migrate the grid store, clear partial result files a crash
/// left, load the demo warehouse on first start, and put back in line the jobs the previous process was running
/// (the embedded silo is their only worker, so every running job is orphaned at start).
/// </summary>
internal sealed partial class SiloStartup(
    SiloOptions options, SiloIdentity silo, IGridStore store, ResultStore results, JobRecovery recovery, EngineCatalog engines, JobScheduler scheduler,
    ILogger<SiloStartup> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var schema = await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        Log.StoreReady(logger, store.Name, schema);

        // A shared results directory holds other silos' results being written: only the embedded silo may sweep it.
        var partials = options.IsCluster ? 0 : results.DeleteLeftoverPartials();
        if (partials > 0)
        {
            Log.PartialsRemoved(logger, partials);
        }

        await LoadDemoDataAsync(cancellationToken).ConfigureAwait(false);
        await engines.StartAsync(cancellationToken).ConfigureAwait(false);

        // Embedded, the silo's worker is the only one, so every running job is orphaned at start. In a cluster only
        // this silo's own worker's are (its previous process died with them); the leader hands back the others'.
        var recovered = options.IsCluster
            ? await recovery.RecoverWorkerAsync(
                options.SiloId, options.MaxAttempts, $"worker lost: silo {silo.Id} restarted while the job ran", cancellationToken).ConfigureAwait(false)
            : silo.Has(SiloRoles.Scheduler)
                ? await recovery.RecoverAllRunningAsync(
                    options.MaxAttempts, $"worker lost: silo {silo.Id} restarted while the job ran", cancellationToken).ConfigureAwait(false)
                : new RecoveryResult(0, 0);
        if (recovered.Requeued + recovered.Failed > 0)
        {
            Log.Recovered(logger, recovered.Requeued, recovered.Failed);
        }

        // The queues' live state (admission needs it even on a gateway-only silo) is loaded after recovery, so
        // it sees the jobs recovery put back in line.
        await scheduler.StartAsync(cancellationToken).ConfigureAwait(false);
        Log.Started(logger, silo.Id, string.Join(',', silo.Roles), options.DataDir);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadDemoDataAsync(CancellationToken cancellationToken)
    {
        // The engine's folder must exist whether or not demo data is loaded: jobs create the file on first use.
        Directory.CreateDirectory(Path.GetDirectoryName(options.LocalEnginePath)!);
        if (options.DemoDataScale <= 0 || await SqliteShopLoader.IsLoadedAsync(options.LocalEnginePath, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var started = TimeProvider.System.GetTimestamp();
        await SqliteShopLoader.LoadAsync(options.LocalEnginePath, new ShopGenerator(options.DemoDataScale), null, cancellationToken).ConfigureAwait(false);
        Log.DemoLoaded(logger, options.DemoDataScale, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Grid store {Store} ready at schema version {Version}")]
        public static partial void StoreReady(ILogger logger, string store, int version);

        [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Removed {Count} partial result files left by a crash")]
        public static partial void PartialsRemoved(ILogger logger, int count);

        [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Recovered orphaned jobs: {Requeued} back to waiting, {Failed} failed worker_lost")]
        public static partial void Recovered(ILogger logger, int requeued, int failed);

        [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Loaded the shop demo data at scale {Scale} into 'local' in {Seconds:F1} s")]
        public static partial void DemoLoaded(ILogger logger, double scale, double seconds);

        [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Silo {SiloId} started with roles {Roles}, data in {DataDir}")]
        public static partial void Started(ILogger logger, string siloId, string roles, string dataDir);
    }
}
