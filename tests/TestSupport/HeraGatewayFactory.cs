using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hera.Tests.Support;

/// <summary>
/// A whole embedded silo (store, worker, engine <c>local</c> with a tiny <c>shop</c>) behind the in-memory test
/// server, on a fresh data directory. One per test class: the demo data loads once.
/// </summary>
public sealed class HeraGatewayFactory : WebApplicationFactory<Program>
{
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "hera-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data-dir", DataDir);
        builder.UseSetting("demo-data", "0.001");
        builder.UseSetting("worker-slots", "2");
        builder.UseSetting("max-request-bytes", "65536");
        builder.UseSetting("silo-id", "test-silo");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
