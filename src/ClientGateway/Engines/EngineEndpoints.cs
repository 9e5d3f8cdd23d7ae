using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hera.ClientGateway.Http;
using Hera.EngineAdapters.Demo;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Engines;

/// <summary>
/// <c>/v1/engines</c> and <c>/v1/parameters</c>: register and change engines at run time, check their health and
/// circuit, load the demo warehouse into one, and set the business and account parameter layers.
/// </summary>
public static partial class EngineEndpoints
{
    /// <summary>Maps the engine and parameter routes.</summary>
    public static IEndpointRouteBuilder MapHeraEngines(this IEndpointRouteBuilder routes)
    {
        var engines = routes.MapGroup("/v1/engines");
        engines.MapGet("", (EngineCatalog catalog) => TypedResults.Ok(catalog.List().Select(e => EngineResponse.From(e, catalog))));
        engines.MapGet("/{name}", (string name, EngineCatalog catalog) =>
            TypedResults.Ok(EngineResponse.From(catalog.List().FirstOrDefault(e => e.Definition.Name == name) ?? throw catalog.NotFound(name), catalog)));
        engines.MapPut("/{name}", PutAsync);
        engines.MapGet("/{name}/health", HealthAsync);
        engines.MapGet("/{name}/parameters", EffectiveParameters);
        engines.MapPost("/{name}/demo-data", DemoDataAsync);

        var parameters = routes.MapGroup("/v1/parameters");
        parameters.MapGet("", (EngineCatalog catalog) => TypedResults.Ok(catalog.ListLayers().Select(ParameterLayerResponse.From)));
        parameters.MapPut("/{layer}/{key}", PutLayerAsync);
        return routes;
    }

    // PUT merges like queues do: a new engine needs kind and connection; a known one keeps what is left out.
    private static async Task<IResult> PutAsync(string name, HttpContext context, EngineCatalog catalog, GatewayOptions options)
    {
        var request = await RequestBody.ReadJsonAsync<PutEngineRequest>(
            context.Request, options.MaxRequestBytes, "an engine", "e.g. {\"kind\": \"postgres\", \"connection\": \"Host=...\"}", context.RequestAborted).ConfigureAwait(false);
        var current = catalog.Find(name);
        var definition = new EngineDefinition(
            name,
            request.Kind ?? current?.Kind ?? string.Empty,
            request.Connection ?? current?.Connection ?? string.Empty,
            request.MaxConcurrency ?? current?.MaxConcurrency ?? EngineDefinition.DefaultMaxConcurrency,
            request.Parameters ?? current?.Parameters ?? new Dictionary<string, string>());
        var (stored, created) = await catalog.UpsertAsync(definition, context.RequestAborted).ConfigureAwait(false);
        var answer = EngineResponse.From(stored, catalog);
        return created ? TypedResults.Created($"/v1/engines/{name}", answer) : TypedResults.Ok(answer);
    }

    private static async Task<IResult> HealthAsync(string name, EngineCatalog catalog, CancellationToken cancellationToken)
    {
        var status = await catalog.CheckAsync(name, cancellationToken).ConfigureAwait(false) ?? throw catalog.NotFound(name);
        return TypedResults.Ok(new EngineHealthResponse(
            name, status.Definition.Kind, status.Health.Healthy, status.Health.LatencyMs, status.Health.Detail, status.Circuit,
            status.Running, status.Definition.MaxConcurrency));
    }

    private static IResult EffectiveParameters(string name, HttpContext context, EngineCatalog catalog)
    {
        _ = catalog.Find(name) ?? throw catalog.NotFound(name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in ParameterLayers.All)
        {
            if (context.Request.Query[layer].FirstOrDefault() is { Length: > 0 } value)
            {
                labels[layer] = value;
            }
        }

        var spec = JobSpec.ForSql("SELECT 1") with { Labels = labels };
        return TypedResults.Ok(catalog.Assemble(name, spec));
    }

    private static async Task<IResult> DemoDataAsync(string name, HttpContext context, EngineCatalog catalog, GatewayOptions options)
    {
        var request = await RequestBody.ReadJsonAsync<DemoDataRequest>(
            context.Request, options.MaxRequestBytes, "a demo-data request", "e.g. {\"scale\": 0.01}", context.RequestAborted).ConfigureAwait(false);
        var scale = request.Scale ?? 0.01;
        if (!(scale > 0 && scale <= ShopGenerator.MaxScale))
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, string.Create(
                CultureInfo.InvariantCulture, $"scale must be greater than 0 and at most {ShopGenerator.MaxScale}; got {scale}"));
        }

        var started = Stopwatch.GetTimestamp();
        var loaded = await catalog.LoadDemoDataAsync(name, scale, null, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(new DemoDataResponse(
            name, loaded.Scale, loaded.Seed, loaded.RowCounts, Stopwatch.GetElapsedTime(started).TotalSeconds));
    }

    private static async Task<IResult> PutLayerAsync(string layer, string key, HttpContext context, EngineCatalog catalog, GatewayOptions options)
    {
        var targets = await RequestBody.ReadJsonAsync<Dictionary<string, Dictionary<string, string>>>(
            context.Request, options.MaxRequestBytes, "a parameter layer", "e.g. {\"postgres\": {\"work_mem\": \"64MB\"}}", context.RequestAborted).ConfigureAwait(false);
        var stored = await catalog.UpsertLayerAsync(
            layer, key, targets.ToDictionary(t => t.Key, t => (IReadOnlyDictionary<string, string>)t.Value), context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(ParameterLayerResponse.From(stored));
    }

    /// <summary>A connection with its secrets hidden: <c>Password=***</c>, <c>//user:***@host</c>.</summary>
    internal static string Redact(string connection) =>
        UrlPassword().Replace(KeyPassword().Replace(connection, "$1=***"), "//$1:***@");

    [GeneratedRegex("(?i)\\b(password|pwd)\\s*=\\s*[^;]*")]
    private static partial Regex KeyPassword();

    [GeneratedRegex("//([^:/@]+):[^@/]*@")]
    private static partial Regex UrlPassword();
}

/// <summary>The body of <c>PUT /v1/engines/{name}</c>; members left out keep the engine's current values.</summary>
public sealed record PutEngineRequest
{
    /// <summary><c>sqlite</c>, <c>postgres</c> or <c>clickhouse</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>File path, connection string or URL, by kind.</summary>
    public string? Connection { get; init; }

    /// <summary>Statements it may run at once.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Engine-level parameters (replace the current ones when given).</summary>
    public Dictionary<string, string>? Parameters { get; init; }
}

/// <summary>The body of <c>POST /v1/engines/{name}/demo-data</c>.</summary>
public sealed record DemoDataRequest
{
    /// <summary>Scale of the <c>shop</c> warehouse; default 0.01.</summary>
    public double? Scale { get; init; }
}

/// <summary>An engine on the wire, with its connection's secrets hidden.</summary>
public sealed record EngineResponse(
    string Name,
    string Kind,
    string Connection,
    int MaxConcurrency,
    IReadOnlyDictionary<string, string> Parameters,
    string Circuit,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>The wire form of a stored engine.</summary>
    public static EngineResponse From(EngineRecord engine, EngineCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        var d = engine.Definition;
        return new EngineResponse(
            d.Name, d.Kind, EngineEndpoints.Redact(d.Connection), d.MaxConcurrency, d.Parameters, catalog.CircuitOf(d.Name),
            engine.CreatedAt.UtcDateTime, engine.UpdatedAt.UtcDateTime);
    }
}

/// <summary>The answer of <c>GET /v1/engines/{name}/health</c>.</summary>
public sealed record EngineHealthResponse(
    string Name, string Kind, bool Healthy, double LatencyMs, string? Detail, string Circuit, int Running, int MaxConcurrency);

/// <summary>The answer of <c>POST /v1/engines/{name}/demo-data</c>.</summary>
public sealed record DemoDataResponse(string Engine, double Scale, ulong Seed, IReadOnlyDictionary<string, long> RowCounts, double Seconds);

/// <summary>A parameter-layer entry on the wire.</summary>
public sealed record ParameterLayerResponse(
    string Layer, string Key, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Targets, DateTime UpdatedAt)
{
    /// <summary>The wire form of a stored entry.</summary>
    public static ParameterLayerResponse From(ParameterLayerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ParameterLayerResponse(record.Layer, record.Key, record.Targets, record.UpdatedAt.UtcDateTime);
    }
}
