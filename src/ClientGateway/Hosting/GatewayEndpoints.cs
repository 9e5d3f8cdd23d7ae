using Hera.ClientGateway.Cluster;
using Hera.ClientGateway.Engines;
using Hera.ClientGateway.Jobs;
using Hera.ClientGateway.Metrics;
using Hera.ClientGateway.Queries;
using Hera.ClientGateway.Sql;
using Hera.ClientGateway.Problems;
using Hera.ClientGateway.Queues;
using Hera.ClientGateway.Workers;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Hosting;

/// <summary>Composition of the HTTP API: one call maps every route the gateway serves.</summary>
public static class GatewayEndpoints
{
    /// <summary>Maps <c>/v1/*</c>, <c>/metrics</c> and <c>/healthz</c>; unknown routes answer a <c>not_found</c> problem.</summary>
    public static IEndpointRouteBuilder MapHeraGateway(this IEndpointRouteBuilder routes)
    {
        routes.MapHeraJobs();
        routes.MapHeraQueries();
        routes.MapHeraSql();
        routes.MapHeraQueues();
        routes.MapHeraWorkers();
        routes.MapHeraEngines();
        routes.MapHeraCluster();
        routes.MapHeraMetrics();
        routes.MapGet("/healthz", HealthAsync);
        return routes;
    }

    private static async Task<IResult> HealthAsync(SiloIdentity silo, IGridStore store, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<JobState, long> counts;
        try
        {
            counts = await store.JobCountByStateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return ProblemWriter.Result(ProblemCodes.Unavailable, $"the {store.Name} grid store does not answer: {e.Message}");
        }

        return TypedResults.Ok(new
        {
            status = "ok",
            silo = silo.Id,
            roles = silo.Roles.Order(StringComparer.Ordinal),
            store = store.Name,
            startedAt = silo.StartedAt.UtcDateTime,
            jobs = Enum.GetValues<JobState>().ToDictionary(s => s.ToWire(), s => counts.GetValueOrDefault(s)),
        });
    }
}
