using System.Text.Json;
using Hera.ClientGateway.Jobs;
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
            TypedResults.Ok(QueueResponse.From(scheduler.GetQueue(name) ?? throw NotFound(name, scheduler))));
        queues.MapPut("/{name}", PutAsync);
        return routes;
    }

    // PUT merges: members left out keep the queue's current values (a new queue's defaults), so closing a
    // queue is {"state":"closed"} and does not reset its weight.
    private static async Task<IResult> PutAsync(string name, HttpContext context, JobScheduler scheduler, GatewayOptions options)
    {
        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        PutQueueRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<PutQueueRequest>(body.Span, GatewayJson.Options);
        }
        catch (JsonException e)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"the body is not a valid queue: {e.Message}");
        }

        if (request is null)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, "the body must be a JSON object");
        }

        var current = scheduler.GetQueue(name);
        var definition = request.ApplyTo(current?.Queue.Definition ?? QueueDefinition.WithDefaults(name));
        var problems = definition.Problems();
        if (problems.Count > 0)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, string.Join("; ", problems));
        }

        var stored = QueueResponse.From(await scheduler.UpsertQueueAsync(definition, context.RequestAborted).ConfigureAwait(false));
        return current is null ? TypedResults.Created($"/v1/queues/{name}", stored) : TypedResults.Ok(stored);
    }

    private static HeraProblemException NotFound(string name, JobScheduler scheduler) => new(
        ProblemCodes.QueueNotFound,
        $"queue '{name}' does not exist; queues: {string.Join(", ", scheduler.ListQueues().Select(q => q.Queue.Definition.Name))}");
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

    /// <summary>The queue with the given members applied; throws <c>invalid_request</c> for a bad <c>state</c>.</summary>
    public QueueDefinition ApplyTo(QueueDefinition current)
    {
        var state = current.State;
        if (State is not null && !QueueStateNames.TryParse(State, out state))
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"'state' must be open or closed; got '{State}'");
        }

        return current with
        {
            Weight = Weight ?? current.Weight,
            Capacity = Capacity ?? current.Capacity,
            Parallelism = Parallelism ?? current.Parallelism,
            MaxResourceShare = MaxResourceShare ?? current.MaxResourceShare,
            Pool = Pool ?? current.Pool,
            State = state,
        };
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
            d.Name, d.Weight, d.Capacity, d.Parallelism, d.MaxResourceShare, d.Pool, d.State.ToWire(),
            view.Size, view.Running, view.DynamicFactor, view.RunningMemoryMb, view.WaitReason,
            view.Queue.CreatedAt.UtcDateTime, view.Queue.UpdatedAt.UtcDateTime);
    }
}
