using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Hera.ClientGateway.Metrics;

/// <summary>
/// Requests this silo's HTTP server answered since start: <c>hera_http_requests_total{method,status}</c> and the
/// <c>hera_http_request_duration_seconds</c> histogram. Fed by a middleware placed outermost (see
/// <see cref="HttpMetricsStartupFilter"/>), so the status counted is the one the client got, problems included.
/// </summary>
public sealed class HttpRequestMetrics : IMetricsSource
{
    // Long-polls (?wait=N, up to 300 s) land in the top buckets; the low ones resolve the API's quick answers.
    private static readonly double[] DurationBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    // Methods outside this set count as OTHER, so a client sending made-up methods cannot grow the series.
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal) { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };

    /// <summary>The status counted for a request whose client closed the connection before the answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    private readonly ConcurrentDictionary<(string Method, int Status), Tally> _requests = new();
    private readonly Histogram _durations = new(DurationBounds);

    /// <summary>Counts one answered request and its duration.</summary>
    public void Record(string method, int status, TimeSpan duration)
    {
        var key = (KnownMethods.Contains(method) ? method : "OTHER", status);
        Interlocked.Increment(ref _requests.GetOrAdd(key, static _ => new Tally()).Value);
        _durations.Observe(duration.TotalSeconds);
    }

    /// <inheritdoc />
    public ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        const string requestsHelp = "HTTP requests this silo answered since it started, by method and status.";
        writer.Describe("hera_http_requests_total", requestsHelp, PrometheusMetricType.Counter);
        foreach (var ((method, status), count) in _requests.OrderBy(r => r.Key.Method, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
        {
            writer.Counter("hera_http_requests_total", requestsHelp, Interlocked.Read(ref count.Value),
                ("method", method), ("status", status.ToString(CultureInfo.InvariantCulture)));
        }

        writer.Histogram("hera_http_request_duration_seconds", "Time from a request's arrival to the end of its answer, in seconds.", _durations.Snapshot());
        return ValueTask.CompletedTask;
    }

    /// <summary>The middleware: times the rest of the pipeline and records the status the client got.</summary>
    internal async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(context).ConfigureAwait(false);
            status = context.Response.StatusCode;
        }
        finally
        {
            // An exception that escapes every handler reaches the client as a 500, except when the client went
            // away first (a long-poll given up): that is nginx's 499, so it does not read as a server fault.
            Record(
                context.Request.Method,
                context.RequestAborted.IsCancellationRequested ? ClientClosedRequest : status,
                Stopwatch.GetElapsedTime(started));
        }
    }

    private sealed class Tally
    {
        public long Value;
    }
}

/// <summary>Puts <see cref="HttpRequestMetrics"/>' middleware in front of the whole pipeline, ahead of the problem handlers.</summary>
internal sealed class HttpMetricsStartupFilter(HttpRequestMetrics metrics) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(metrics.InvokeAsync);
        next(app);
    };
}
