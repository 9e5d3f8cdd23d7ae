using Hera.Grains.Clock;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Storage;
using Hera.Silo.Configuration;

namespace Hera.Silo.Cluster;

/// <summary>
/// This silo's membership: a heartbeat row in the grid store every <see cref="HeartbeatInterval"/> (its id,
/// gateway address, roles), and a last one saying <c>stopped</c> on a graceful stop. The leader declares a silo
/// dead when its heartbeats stop (<see cref="CheckSilosAsync"/>).
/// </summary>
internal sealed partial class SiloMembership(SiloOptions options, SiloIdentity silo, IGridStore store, TimeProvider time, ILogger<SiloMembership> logger)
    : BackgroundService
{
    /// <summary>How often the silo writes its heartbeat.</summary>
    public static TimeSpan HeartbeatInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>This silo's membership entry as of now.</summary>
    public SiloRecord Current(SiloState state = SiloState.Alive) => new()
    {
        Id = silo.Id,
        Address = options.AdvertiseUrl,
        Roles = [.. silo.Roles.Order(StringComparer.Ordinal)],
        StartedAt = silo.StartedAt,
        LastHeartbeat = time.UtcNowMicros(),
        State = state,
    };

    /// <summary>
    /// Declares dead every alive silo whose last heartbeat is older than the dead-after setting. Called by the
    /// leader; returns the silos it declared.
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckSilosAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var deadAfter = TimeSpan.FromSeconds(options.WorkerDeadAfterSeconds);
        var declared = new List<string>();
        foreach (var member in await store.SiloListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (member.IsSilentAt(now, deadAfter)
                && await store.SiloMarkDeadAsync(member.Id, member.LastHeartbeat, cancellationToken).ConfigureAwait(false))
            {
                Log.SiloDead(logger, member.Id, (now - member.LastHeartbeat).TotalSeconds);
                declared.Add(member.Id);
            }
        }

        return declared;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, time);
        do
        {
            await BeatAsync(SiloState.Alive, stoppingToken).ConfigureAwait(false);
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await BeatAsync(SiloState.Stopped, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task BeatAsync(SiloState state, CancellationToken cancellationToken)
    {
        try
        {
            await store.SiloUpsertAsync(Current(state), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            // The store may be briefly unavailable (a restart); a missed beat is what the dead-after margin is for.
            Log.HeartbeatFailed(logger, e, silo.Id);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Silo {SiloId}: writing the membership heartbeat failed")]
        public static partial void HeartbeatFailed(ILogger logger, Exception exception, string siloId);

        [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Silo {SiloId} is dead: no heartbeat for {Seconds:F1} s")]
        public static partial void SiloDead(ILogger logger, string siloId, double seconds);
    }
}
