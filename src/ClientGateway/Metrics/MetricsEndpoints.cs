using Hera.ClientGateway.Problems;
using Hera.Grains.Interfaces.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hera.ClientGateway.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus text exposition of every registered <see cref="IMetricsSource"/>, and the
/// registration of the gateway's own sources.
/// </summary>
public static partial class MetricsEndpoints
{
    /// <summary>
    /// Registers the gateway's metrics: HTTP request counting (a middleware placed first in the pipeline), job
    /// flow counters (following the job change feed from start-up), and the live-state sources (jobs by state,
    /// queues, workers, engines, this silo and its process). Call once while composing the silo's services;
    /// further <see cref="IMetricsSource"/> singletons registered by anyone show up in <c>/metrics</c> as well.
    /// </summary>
    public static IServiceCollection AddHeraGatewayMetrics(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(HttpRequestMetrics)))
        {
            return services; // twice would write every series twice, which Prometheus refuses
        }

        services.AddSingleton<HttpRequestMetrics>();
        services.AddSingleton<JobFlowMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<JobFlowMetrics>());
        services.AddTransient<IStartupFilter, HttpMetricsStartupFilter>();
        services.AddSingleton<IMetricsSource, ProcessMetricsSource>();
        services.AddSingleton<IMetricsSource, JobStateMetricsSource>();
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<JobFlowMetrics>());
        services.AddSingleton<IMetricsSource, SchedulerMetricsSource>();
        services.AddSingleton<IMetricsSource, EngineMetricsSource>();
        services.AddSingleton<IMetricsSource>(sp => sp.GetRequiredService<HttpRequestMetrics>());
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c>.</summary>
    public static IEndpointRouteBuilder MapHeraMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", ScrapeAsync);
        return routes;
    }

    private static async Task<IResult> ScrapeAsync(HttpContext context, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (context.RequestServices.GetService<HttpRequestMetrics>() is null)
        {
            return ProblemWriter.Result(ProblemCodes.Unavailable, "metrics are not registered in this silo; its composition must call services.AddHeraGatewayMetrics()");
        }

        var writer = new PrometheusTextWriter();
        foreach (var source in context.RequestServices.GetServices<IMetricsSource>())
        {
            try
            {
                await source.CollectAsync(writer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One broken source must not blank the others: Prometheus keeps what the scrape holds.
                LogSourceFailed(loggers.CreateLogger("Hera.ClientGateway.Metrics"), e, source.GetType().Name);
            }
        }

        return TypedResults.Text(writer.ToString(), PrometheusTextWriter.ContentType);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Metrics source {Source} failed; its families are missing from this scrape")]
    private static partial void LogSourceFailed(ILogger logger, Exception exception, string source);
}
