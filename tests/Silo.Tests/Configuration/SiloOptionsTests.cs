using Hera.Silo.Configuration;
using Microsoft.Extensions.Configuration;

namespace Hera.Silo.Tests.Configuration;

/// <summary>The silo's command line (<c>API.md</c>, "Running a silo"): defaults, parsing, and refusals that name the flag.</summary>
public sealed class SiloOptionsTests
{
    [Fact]
    public void With_no_options_the_silo_is_the_embedded_default()
    {
        var options = Parse();

        Assert.Equal(Path.GetFullPath("data"), options.DataDir);
        Assert.Equal(Path.Combine(Path.GetFullPath("data"), "results"), options.ResultsDir);
        Assert.Equal("sqlite", options.Store);
        Assert.Equal(["gateway", "scheduler", "worker"], options.Roles.Order());
        Assert.Equal(SiloOptions.SmallDemoScale, options.DemoDataScale);
        Assert.Equal(Environment.ProcessorCount, options.WorkerSlots);
        Assert.True(options.WorkerMemoryMb >= 256);
        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal("core", options.WorkerPool);
        Assert.Null(options.MaxRunningTasks);
        Assert.Null(options.MaxMemoryMb);
        Assert.Equal(5, options.WorkerDeadAfterSeconds);
    }

    [Fact]
    public void Scheduling_options_are_read()
    {
        var options = Parse(
            "--worker-pool", "non-core", "--max-running-tasks", "12", "--max-memory-mb", "4096", "--worker-dead-after-seconds", "9");

        Assert.Equal("non-core", options.WorkerPool);
        Assert.Equal(12, options.MaxRunningTasks);
        Assert.Equal(4096, options.MaxMemoryMb);
        Assert.Equal(9, options.WorkerDeadAfterSeconds);
    }

    [Fact]
    public void Every_documented_option_is_read()
    {
        var options = Parse(
            "--data-dir", "/tmp/hera-a", "--results-dir", "/tmp/hera-r", "--roles", "gateway, worker", "--demo-data", "0.5",
            "--worker-slots", "7", "--worker-memory-mb", "2048", "--max-attempts", "5", "--silo-id", "s1", "--store-connection", "Data Source=/tmp/x.db");

        Assert.Equal("/tmp/hera-a", options.DataDir);
        Assert.Equal("/tmp/hera-r", options.ResultsDir);
        Assert.Equal(["gateway", "worker"], options.Roles.Order());
        Assert.Equal(0.5, options.DemoDataScale);
        Assert.Equal(7, options.WorkerSlots);
        Assert.Equal(2048, options.WorkerMemoryMb);
        Assert.Equal(5, options.MaxAttempts);
        Assert.Equal("s1", options.SiloId);
        Assert.Equal("Data Source=/tmp/x.db", options.StoreConnection);
        Assert.Equal("/tmp/hera-a/engines/local.db", options.LocalEnginePath);
    }

    [Fact]
    public void Cluster_mode_is_postgres_with_a_connection_and_an_advertised_gateway()
    {
        var options = Parse("--store", "postgres", "--store-connection", "Host=db;Database=hera", "--advertise-url", "http://silo-a:5080/");

        Assert.True(options.IsCluster);
        Assert.Equal("Host=db;Database=hera", options.StoreConnection);
        Assert.Equal("http://silo-a:5080", options.AdvertiseUrl);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5080")]
    [InlineData("http://0.0.0.0:6001", "http://127.0.0.1:6001")]
    [InlineData("http://127.0.0.1:6002;http://127.0.0.1:6003", "http://127.0.0.1:6002")]
    public void The_advertised_gateway_defaults_to_the_first_listen_url(string? urls, string advertised)
    {
        var options = urls is null ? Parse() : Parse("--urls", urls);

        Assert.False(options.IsCluster);
        Assert.Equal(advertised, options.AdvertiseUrl);
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("0", 0)]
    [InlineData("small", 0.01)]
    [InlineData("1", 1)]
    public void Demo_data_takes_a_scale_or_a_word(string value, double scale) =>
        Assert.Equal(scale, Parse("--demo-data", value).DemoDataScale);

    [Theory]
    [InlineData("--store", "mysql", "--store")]
    [InlineData("--store", "postgres", "--store-connection")]
    [InlineData("--advertise-url", "not a url", "--advertise-url")]
    [InlineData("--roles", "gateway,brain", "--roles")]
    [InlineData("--worker-slots", "0", "--worker-slots")]
    [InlineData("--worker-slots", "many", "--worker-slots")]
    [InlineData("--worker-memory-mb", "-1", "--worker-memory-mb")]
    [InlineData("--max-attempts", "0", "--max-attempts")]
    [InlineData("--demo-data", "huge", "--demo-data")]
    [InlineData("--worker-pool", "no spaces", "--worker-pool")]
    [InlineData("--max-running-tasks", "0", "--max-running-tasks")]
    [InlineData("--max-memory-mb", "lots", "--max-memory-mb")]
    [InlineData("--worker-dead-after-seconds", "1", "--worker-dead-after-seconds")]
    public void A_bad_value_is_refused_naming_its_flag(string flag, string value, string named)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse(flag, value));
        Assert.Contains(named, error.Message);
    }

    private static SiloOptions Parse(params string[] args) =>
        SiloOptions.Parse(new ConfigurationBuilder().AddCommandLine(args).Build());
}
