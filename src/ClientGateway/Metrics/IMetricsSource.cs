namespace Hera.ClientGateway.Metrics;

/// <summary>
/// One contributor to <c>GET /metrics</c>. Every <see cref="IMetricsSource"/> registered in the service container
/// (as a singleton) is asked once per scrape, in registration order, to add its samples; this is how other parts
/// of the silo (e.g. cluster membership and leadership) add families without touching the endpoint.
/// </summary>
public interface IMetricsSource
{
    /// <summary>
    /// Adds this source's current samples to <paramref name="writer"/>. Called for each scrape, possibly while
    /// another scrape runs; keep it to reading state. A source that throws is logged and skipped for that scrape
    /// (samples it added before throwing stay).
    /// </summary>
    ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken);
}
