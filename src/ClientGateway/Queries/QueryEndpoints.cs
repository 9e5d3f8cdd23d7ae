using System.Globalization;
using Hera.ClientGateway.Http;
using Hera.ClientGateway.Jobs;
using Hera.ClientGateway.Results;
using Hera.Grains.Execution;
using Hera.Grains.Interactive;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Results;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Queries;

/// <summary>
/// <c>POST /v1/query</c>: an interactive query, answered with its rows at once instead of a job to poll (see the
/// design note on <see cref="InteractiveQueries"/>). The body is a job's; the answer is a result in the format
/// <c>Accept</c> asks for, with <c>Hera-Job-Id</c> (the query's record in <c>/v1/jobs</c>) and <c>Hera-Engine</c>.
/// </summary>
public static class QueryEndpoints
{
    /// <summary>Header naming the job an interactive query is recorded as.</summary>
    public const string JobIdHeader = "Hera-Job-Id";

    /// <summary>Header naming the engine whose rows the answer carries.</summary>
    public const string EngineHeader = "Hera-Engine";

    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapHeraQueries(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/query", QueryAsync);
        return routes;
    }

    private static async Task QueryAsync(HttpContext context, InteractiveQueries queries, GatewayOptions options)
    {
        var format = ResultFormats.Negotiate(context.Request.Headers.Accept);
        var request = await RequestBody.ReadJsonAsync<SubmitJobRequest>(
            context.Request, options.MaxRequestBytes, "a query", "with at least 'sql'", context.RequestAborted).ConfigureAwait(false);
        var spec = request.ToSpec();
        if (spec.Type != JobTypes.Adhoc)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"an interactive query is 'adhoc'; submit a '{spec.Type}' job to /v1/jobs");
        }

        var candidates = queries.Admit(spec);
        InteractiveResult result;
        try
        {
            result = await queries.RunAsync(spec, candidates, jobId => StreamTo(context, format, jobId), context.RequestAborted).ConfigureAwait(false);
        }
        catch (InteractiveQueryException e) when (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            // Rows were already on their way (or nobody listens): end the connection without a clean end of body,
            // so no client can take a cut-short result for a whole one.
            _ = e;
            context.Abort();
            return;
        }
        catch (InteractiveQueryException e)
        {
            throw Problem(e.Job);
        }

        if (result.Held is { } held)
        {
            // A race's winner held in memory: written through the same format transforms as a streamed answer.
            context.Response.Headers[ResultFileResult.RowCountHeader] = result.Rows.ToString(CultureInfo.InvariantCulture);
            var body = new StreamedResultBody(context.Response, format, response => SetHeaders(response, result.JobId, result.Engine));
            await body.WriteAsync(held, context.RequestAborted).ConfigureAwait(false);
            await body.CompleteAsync(context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (result.Path is not null)
        {
            try
            {
                var file = result.File ?? throw new HeraProblemException(ProblemCodes.Internal, $"the winning result of query {result.JobId} vanished");
                SetHeaders(context.Response, result.JobId, result.Engine);
                await new ResultFileResult(file, format, result.Rows).ExecuteAsync(context).ConfigureAwait(false);
            }
            finally
            {
                result.Release();
            }
        }
    }

    /// <summary>The sink for one engine's rows: straight into the response, committed on the first bytes.</summary>
    private static RowSink StreamTo(HttpContext context, ResultFormat format, string jobId) => async (engine, rows, token) =>
    {
        var body = new StreamedResultBody(context.Response, format, response => SetHeaders(response, jobId, engine));
        try
        {
            var count = await ResultFileWriter.WriteAsync(rows, body, token).ConfigureAwait(false);
            await body.CompleteAsync(token).ConfigureAwait(false);
            return new SinkResult(count, null);
        }
        catch (Exception e) when (body.Committed && e is not StreamedResultBrokenException)
        {
            throw new StreamedResultBrokenException(e);
        }
    };

    private static void SetHeaders(HttpResponse response, string jobId, string engine)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.Headers[JobIdHeader] = jobId;
        response.Headers[EngineHeader] = engine;
        response.Headers.CacheControl = "no-store";
    }

    /// <summary>The problem for a query that failed before any row was sent, carrying the recorded job's id.</summary>
    private static HeraProblemException Problem(JobRecord job)
    {
        var code = job.Reason switch
        {
            JobFailureReasons.SqlError => ProblemCodes.SqlError,
            JobFailureReasons.EngineError => ProblemCodes.EngineError,
            JobFailureReasons.Timeout => ProblemCodes.Timeout,
            _ => ProblemCodes.Internal,
        };
        var extensions = new Dictionary<string, object?>
        {
            ["jobId"] = job.Id,
            ["engine"] = job.Engine,
            ["engineCode"] = job.Error?.Code,
        };
        return new HeraProblemException(code, job.Error?.Message ?? job.Reason ?? "the query failed", extensions);
    }
}
