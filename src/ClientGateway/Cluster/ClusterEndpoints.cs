using Hera.ClientGateway.Engines;
using Hera.ClientGateway.Queues;
using Hera.ClientGateway.Workers;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Cluster;

/// <summary><c>GET /v1/cluster</c>: one snapshot of leader, silos, workers, queues and engines (the contract in <c>API.md</c>).</summary>
public static class ClusterEndpoints
{
    /// <summary>Maps the cluster route.</summary>
    public static IEndpointRouteBuilder MapHeraCluster(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/cluster", SnapshotAsync);
        return routes;
    }

    private static async Task<IResult> SnapshotAsync(
        IGridStore store, JobScheduler scheduler, EngineCatalog engines, SchedulerOptions options, SiloIdentity self, TimeProvider time, CancellationToken cancellationToken)
    {
        var leader = await store.LeaderGetAsync(cancellationToken).ConfigureAwait(false);
        var silos = await store.SiloListAsync(cancellationToken).ConfigureAwait(false);
        var workers = await scheduler.ListWorkersAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();

        // The leader declares silos dead; when the leader itself died, nobody has yet, so silence is judged here too.
        var members = silos.Select(s => SiloResponse.From(s, now, options.WorkerDeadAfter)).ToList();
        var leading = leader is not null && members.Any(s => s.Id == leader.SiloId && s.State == "alive") ? leader : null;
        return TypedResults.Ok(new ClusterResponse(
            leading?.SiloId,
            leading?.Epoch,
            leading?.AcquiredAt.UtcDateTime,
            self.Id,
            members,
            scheduler.ListQueues().Select(QueueResponse.From).ToList(),
            workers.Select(WorkerResponse.From).ToList(),
            engines.List().Select(e => EngineResponse.From(e, engines)).ToList()));
    }
}

/// <summary>
/// <c>GET /v1/cluster</c> on the wire: the contract's <c>leader</c>, <c>silos</c>, <c>queues</c>, <c>workers</c> and
/// <c>engines</c>, then Hera's extensions: the leader's epoch and since when it leads, and which silo answered.
/// <c>leader</c> is null while no live silo leads (an election after the leader died).
/// </summary>
public sealed record ClusterResponse(
    string? Leader,
    long? LeaderEpoch,
    DateTime? LeaderSince,
    string AnsweredBy,
    IReadOnlyList<SiloResponse> Silos,
    IReadOnlyList<QueueResponse> Queues,
    IReadOnlyList<WorkerResponse> Workers,
    IReadOnlyList<EngineResponse> Engines);

/// <summary>A silo on the wire: id, gateway address, roles, state (<c>alive</c>, <c>dead</c>, <c>stopped</c>), last heartbeat, start.</summary>
public sealed record SiloResponse(string Id, string Address, IReadOnlyList<string> Roles, string State, DateTime LastHeartbeat, DateTime StartedAt)
{
    /// <summary>The wire form of a membership entry; an alive silo silent for longer than <paramref name="deadAfter"/> shows as dead.</summary>
    public static SiloResponse From(SiloRecord silo, DateTimeOffset now, TimeSpan deadAfter)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return new SiloResponse(silo.Id, silo.Address, silo.Roles, silo.StateAt(now, deadAfter).ToWire(), silo.LastHeartbeat.UtcDateTime, silo.StartedAt.UtcDateTime);
    }
}
