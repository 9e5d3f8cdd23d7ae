using Hera.ClientGateway.Metrics;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Scheduling;
using Hera.Silo.Configuration;

namespace Hera.Silo.Cluster;

/// <summary>
/// Cluster families for <c>GET /metrics</c>: whether this silo leads and with which epoch, who leads as the store
/// records it, and every member's liveness, so an alert can fire on "no leader" or "a silo is dead".
/// </summary>
internal sealed class ClusterMetrics(IGridStore store, JobScheduler scheduler, SiloOptions options, TimeProvider time) : IMetricsSource
{
    public async ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Gauge("hera_silo_leading", "1 while this silo leads the cluster (runs the scheduler), else 0.", scheduler.LeaderEpoch is null ? 0 : 1);
        if (scheduler.LeaderEpoch is { } epoch)
        {
            writer.Gauge("hera_leader_epoch", "The leadership epoch this silo leads with; every new leader raises it.", epoch);
        }

        var deadAfter = TimeSpan.FromSeconds(options.WorkerDeadAfterSeconds);
        var now = time.GetUtcNow();
        var silos = await store.SiloListAsync(cancellationToken).ConfigureAwait(false);
        var leader = await store.LeaderGetAsync(cancellationToken).ConfigureAwait(false);
        writer.Describe("hera_silo_up", "1 for a member whose heartbeats arrive, 0 for one dead or stopped.", PrometheusMetricType.Gauge);
        foreach (var silo in silos)
        {
            var up = silo.StateAt(now, deadAfter) == SiloState.Alive;
            writer.Gauge("hera_silo_up", "1 for a member whose heartbeats arrive, 0 for one dead or stopped.", up ? 1 : 0, ("silo", silo.Id));
        }

        if (leader is not null)
        {
            writer.Gauge("hera_cluster_leader", "1 for the silo the store records as leader.", 1, ("silo", leader.SiloId));
        }
    }
}
