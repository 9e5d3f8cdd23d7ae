using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Hera.Tests.Support;

/// <summary>
/// A whole embedded silo (store, worker, engine <c>local</c> with a tiny <c>shop</c>) behind the in-memory test
/// server, on a fresh data directory. One per test class: the demo data loads once.
/// </summary>
public class HeraGatewayFactory : WebApplicationFactory<Program>
{
    public string DataDir { get; } = Path.Combine(Path.GetTempPath(), "hera-tests", Guid.NewGuid().ToString("N"));

    /// <summary>Silo options beyond the data dir; a derived factory changes or adds some (e.g. <c>worker-slots</c>).</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["demo-data"] = "0.001",
        ["worker-slots"] = "2",
        ["max-request-bytes"] = "65536",
        ["silo-id"] = "test-silo",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data-dir", DataDir);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
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
