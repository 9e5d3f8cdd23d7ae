using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Scheduling;
using Polly;
using Polly.Retry;

namespace Hera.Silo.Cluster;

/// <summary>
/// Runs the scheduler only while this silo leads: waits for the grid store's leadership lease, dispatches under
/// its epoch (<see cref="JobScheduler.LeadAsync"/>) together with the membership check, and when the lease is lost
/// (its connection broke, or a fenced write found a newer leader) stops at once and queues for leadership again.
/// With the embedded store the lease is granted at once and never lost.
/// </summary>
internal sealed partial class LeaderService(
    SiloIdentity silo, IGridStore store, JobScheduler scheduler, SiloMembership membership, TimeProvider time, ILogger<LeaderService> logger)
    : BackgroundService
{
    // The store may be down (a restart): keep asking, backing off to a couple of seconds, until stopped.
    private static readonly ResiliencePipeline Acquire = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not OperationCanceledException),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            MaxRetryAttempts = int.MaxValue,
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ILeaderLease lease;
            try
            {
                lease = await Acquire.ExecuteAsync(
                    async token => await store.LeaderAcquireAsync(silo.Id, time.GetUtcNow(), token).ConfigureAwait(false), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await using (lease.ConfigureAwait(false))
            {
                Log.Leading(logger, silo.Id, lease.Epoch);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lease.Lost);
                var check = CheckMembersAsync(leading.Token);
                await scheduler.LeadAsync(lease.Epoch, leading.Token).ConfigureAwait(false);
                await leading.CancelAsync().ConfigureAwait(false);
                await check.ConfigureAwait(false);
                if (!stoppingToken.IsCancellationRequested)
                {
                    Log.NotLeading(logger, silo.Id, lease.Epoch);
                }
            }

            // Stepping down released the lock for another silo; a short pause keeps a silo whose store connection
            // is failing from taking it straight back.
            try
            {
                await Task.Delay(StepDownPause, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static TimeSpan StepDownPause => TimeSpan.FromMilliseconds(500);

    private async Task CheckMembersAsync(CancellationToken leading)
    {
        using var timer = new PeriodicTimer(SiloMembership.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(leading).ConfigureAwait(false))
            {
                try
                {
                    await membership.CheckSilosAsync(leading).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.CheckFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // No longer leading.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Silo {SiloId} leads the cluster with epoch {Epoch}")]
        public static partial void Leading(ILogger logger, string siloId, long epoch);

        [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Silo {SiloId} no longer leads (epoch {Epoch}); waiting to lead again")]
        public static partial void NotLeading(ILogger logger, string siloId, long epoch);

        [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Checking silo membership failed")]
        public static partial void CheckFailed(ILogger logger, Exception exception);
    }
}
