using Hera.ClientGateway.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Hera.ClientGateway.Tests.Metrics;

/// <summary>The registration of the gateway's metrics in the service container.</summary>
public sealed class MetricsRegistrationTests
{
    [Fact]
    public void Registering_twice_registers_once_so_no_series_is_written_twice()
    {
        var services = new ServiceCollection();

        services.AddHeraGatewayMetrics();
        var once = services.Count;
        services.AddHeraGatewayMetrics();

        Assert.Equal(once, services.Count);
        Assert.Equal(6, services.Count(d => d.ServiceType == typeof(IMetricsSource)));
    }
}
