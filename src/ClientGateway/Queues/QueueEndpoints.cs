using Hera.ClientGateway.Http;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Queues;

/// <summary><c>/v1/queues</c>: list, read, and create or change a queue at run time (the contract in <c>API.md</c>).</summary>
public static class QueueEndpoints
{
    /// <summary>Maps the queue routes.</summary>
    public static IEndpointRouteBuilder MapHeraQueues(this IEndpointRouteBuilder routes)
    {
        var queues = routes.MapGroup("/v1/queues");
        queues.MapGet("", (JobScheduler scheduler) => TypedResults.Ok(scheduler.ListQueues().Select(QueueResponse.From)));
        queues.MapGet("/{name}", (string name, JobScheduler scheduler) =>
            TypedResults.Ok(QueueResponse.From(scheduler.GetQueue(name) ?? throw scheduler.QueueNotFound(name))));
        queues.MapPut("/{name}", PutAsync);
        return routes;
    }

    // PUT merges: members left out keep the queue's current values (a new queue's defaults), so closing a
    // queue is {"state":"closed"} and does not reset its weight.
    private static async Task<IResult> PutAsync(string name, HttpContext context, JobScheduler scheduler, EngineCatalog engines, GatewayOptions options)
    {
        var request = await RequestBody.ReadJsonAsync<PutQueueRequest>(
            context.Request, options.MaxRequestBytes, "a queue", "e.g. {\"weight\": 10}", context.RequestAborted).ConfigureAwait(false);
        if (request.Engines?.FirstOrDefault(e => engines.Find(e) is null) is { } unknown)
        {
            throw engines.NotFound(unknown);
        }

        var change = await scheduler.ChangeQueueAsync(name, request.ApplyTo, context.RequestAborted).ConfigureAwait(false);
        var queue = QueueResponse.From(change.Queue);
        return change.Created ? TypedResults.Created($"/v1/queues/{name}", queue) : TypedResults.Ok(queue);
    }
}

/// <summary>The body of <c>PUT /v1/queues/{name}</c>: every member optional; those given replace the current values.</summary>
public sealed record PutQueueRequest
{
    /// <summary>Priority; higher runs first.</summary>
    public double? Weight { get; init; }

    /// <summary>Waiting jobs held before <c>queue_full</c>.</summary>
    public int? Capacity { get; init; }

    /// <summary>Jobs of the queue running at once.</summary>
    public int? Parallelism { get; init; }

    /// <summary>Fraction of the cluster's memory its running jobs may hold, in (0, 1].</summary>
    public double? MaxResourceShare { get; init; }

    /// <summary>Worker pool.</summary>
    public string? Pool { get; init; }

    /// <summary><c>open</c> or <c>closed</c>.</summary>
    public string? State { get; init; }

    /// <summary>Default routing: candidate engines of a job that names none (replaces the current list when given).</summary>
    public List<string>? Engines { get; init; }

    /// <summary>
    /// The queue with the given members applied. Every problem, this body's (an unknown <c>state</c>) and the
    /// resulting settings', is reported at once as <c>invalid_request</c>.
    /// </summary>
    public QueueDefinition ApplyTo(QueueDefinition current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var problems = new List<string>();
        var state = current.State;
        if (State is not null && !QueueStateNames.TryParse(State, out state))
        {
            problems.Add($"state must be open or closed; got '{State}'");
        }

        var next = current with
        {
            Weight = Weight ?? current.Weight,
            Capacity = Capacity ?? current.Capacity,
            Parallelism = Parallelism ?? current.Parallelism,
            MaxResourceShare = MaxResourceShare ?? current.MaxResourceShare,
            Pool = Pool ?? current.Pool,
            State = state,
            Engines = Engines ?? current.Engines,
        };
        problems.AddRange(next.Problems());
        return problems.Count == 0 ? next : throw new HeraProblemException(ProblemCodes.InvalidRequest, string.Join("; ", problems));
    }
}

/// <summary>A queue on the wire: the contract's settings and live numbers, then Hera's extensions.</summary>
public sealed record QueueResponse(
    string Name,
    double Weight,
    int Capacity,
    int Parallelism,
    double MaxResourceShare,
    string Pool,
    string State,
    IReadOnlyList<string> Engines,
    int Size,
    int Running,
    double DynamicFactor,
    long RunningMemoryMb,
    string? WaitReason,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>The wire form of a queue view.</summary>
    public static QueueResponse From(QueueView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var d = view.Queue.Definition;
        return new QueueResponse(
            d.Name, d.Weight, d.Capacity, d.Parallelism, d.MaxResourceShare, d.Pool, d.State.ToWire(), d.Routing,
            view.Size, view.Running, view.DynamicFactor, view.RunningMemoryMb, view.WaitReason,
            view.Queue.CreatedAt.UtcDateTime, view.Queue.UpdatedAt.UtcDateTime);
    }
}
