using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hera.ClientGateway.Tests.Cluster;

/// <summary><c>GET /v1/cluster</c> on the embedded silo: a cluster of one, which leads itself.</summary>
public sealed class ClusterApiTests(HeraGatewayFactory factory) : IClassFixture<HeraGatewayFactory>
{
    private readonly HttpClient _http = factory.CreateClient();

    [Fact]
    public async Task The_embedded_silo_is_a_cluster_of_one_that_leads_itself()
    {
        // The silo's first heartbeat and its leadership are written as it starts; a submitted job's long poll
        // paces the wait until both show.
        JsonElement view;
        do
        {
            using var submitted = await _http.PostAsJsonAsync("v1/jobs?wait=5", new { sql = "SELECT 1 AS n" });
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            view = await _http.GetFromJsonAsync<JsonElement>("v1/cluster");
        }
        while (view.GetProperty("leader").ValueKind == JsonValueKind.Null || view.GetProperty("silos").GetArrayLength() == 0);

        var silo = Assert.Single(view.GetProperty("silos").EnumerateArray());
        Assert.Equal(silo.GetProperty("id").GetString(), view.GetProperty("leader").GetString());
        Assert.Equal(view.GetProperty("answeredBy").GetString(), view.GetProperty("leader").GetString());
        Assert.Equal("alive", silo.GetProperty("state").GetString());
        Assert.Equal(["gateway", "scheduler", "worker"], silo.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(view.GetProperty("leaderEpoch").GetInt64() >= 1);
        Assert.Contains(view.GetProperty("queues").EnumerateArray(), q => q.GetProperty("name").GetString() == "default");
        Assert.Contains(view.GetProperty("engines").EnumerateArray(), e => e.GetProperty("name").GetString() == "local");
        Assert.Equal("alive", Assert.Single(view.GetProperty("workers").EnumerateArray()).GetProperty("state").GetString());

        var metrics = await _http.GetStringAsync("metrics");
        Assert.Contains("\nhera_silo_leading 1", metrics, StringComparison.Ordinal);
        Assert.Contains($"hera_silo_up{{silo=\"{silo.GetProperty("id").GetString()}\"}} 1", metrics, StringComparison.Ordinal);
    }
}
