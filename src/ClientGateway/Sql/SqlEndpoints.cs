using Hera.ClientGateway.Http;
using Hera.ClientGateway.Problems;
using Hera.Grains.Engines;
using Hera.Grains.Execution;
using Hera.Grains.Interfaces.Errors;
using Hera.Sql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Sql;

/// <summary>
/// <c>POST /v1/sql/rewrite</c>: a Trino query as every registered engine (or the listed ones) would run it, or why an
/// engine cannot, in one answer (the seed's SQLParser service). What jobs run is exactly this.
/// </summary>
public static class SqlEndpoints
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapHeraSql(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/sql/rewrite", RewriteAsync);
        return routes;
    }

    private static async Task<IResult> RewriteAsync(HttpContext context, EngineCatalog catalog, SqlDialects dialects, GatewayOptions options)
    {
        var request = await RequestBody.ReadJsonAsync<RewriteRequest>(
            context.Request, options.MaxRequestBytes, "a rewrite request", "with 'sql'", context.RequestAborted).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(request.Sql))
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, "the body needs a non-empty 'sql' member");
        }

        var engines = request.Engines is { Count: > 0 } named
            ? named.Select(name => catalog.Find(name) ?? throw catalog.NotFound(name)).ToList()
            : [.. catalog.List().Select(r => r.Definition).OrderBy(e => e.Name, StringComparer.Ordinal)];
        try
        {
            var results = dialects.RewriteAll(request.Sql, engines.Select(e => (e.Name, e.Kind)));
            return TypedResults.Ok(new RewriteResponse(
                request.Sql,
                [.. results.Select((r, i) => new EngineRewrite(r.EngineName, engines[i].Kind, r.Dialect, r.Sql, r.Declined?.Message))]));
        }
        catch (SqlSyntaxException e)
        {
            throw SqlProblems.InvalidSql(e);
        }
    }
}

/// <summary>The body of <c>POST /v1/sql/rewrite</c>.</summary>
/// <param name="Sql">A Trino query.</param>
/// <param name="Engines">Engines to rewrite for; every registered engine when absent or empty.</param>
public sealed record RewriteRequest(string? Sql, List<string>? Engines);

/// <summary>The answer: the query as given, and one entry per engine.</summary>
/// <param name="Sql">The query as given.</param>
/// <param name="Engines">Per engine, in the order asked (by name when all).</param>
public sealed record RewriteResponse(string Sql, IReadOnlyList<EngineRewrite> Engines);

/// <summary>One engine's rewrite: <paramref name="Sql"/> to run there, or <paramref name="Declined"/> saying why not.</summary>
/// <param name="Engine">Engine name.</param>
/// <param name="Kind">Engine kind.</param>
/// <param name="Dialect">The dialect printed.</param>
/// <param name="Sql">The statement, or null when declined.</param>
/// <param name="Declined">Why the engine cannot run the query exactly (code <c>sql_unsupported</c>), or null.</param>
public sealed record EngineRewrite(string Engine, string Kind, string Dialect, string? Sql, string? Declined);
