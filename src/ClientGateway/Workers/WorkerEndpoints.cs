using Hera.Grains.Interfaces.Workers;
using Hera.Grains.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Workers;

/// <summary><c>GET /v1/workers</c>: every worker's last heartbeat (the contract in <c>API.md</c>).</summary>
public static class WorkerEndpoints
{
    /// <summary>Maps the worker routes.</summary>
    public static IEndpointRouteBuilder MapHeraWorkers(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/workers", async (JobScheduler scheduler, CancellationToken cancellationToken) =>
            TypedResults.Ok((await scheduler.ListWorkersAsync(cancellationToken).ConfigureAwait(false)).Select(WorkerResponse.From)));
        return routes;
    }
}

/// <summary>A worker on the wire: the contract's members, then Hera's extensions (<c>slots</c>, <c>memoryMb</c>, <c>startedAt</c>).</summary>
public sealed record WorkerResponse(
    string Id,
    string Silo,
    string Pool,
    int MemoryUsedMb,
    int MemoryFreeMb,
    int Running,
    DateTime LastHeartbeat,
    string State,
    int Slots,
    int MemoryMb,
    DateTime StartedAt)
{
    /// <summary>The wire form of a heartbeat.</summary>
    public static WorkerResponse From(WorkerRecord worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return new WorkerResponse(
            worker.Id, worker.Silo, worker.Pool, worker.MemoryUsedMb, worker.MemoryFreeMb, worker.Running,
            worker.LastHeartbeat.UtcDateTime, worker.State.ToWire(), worker.Slots, worker.MemoryMb, worker.StartedAt.UtcDateTime);
    }
}
