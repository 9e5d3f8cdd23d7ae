using System.Net;
using System.Net.Sockets;
using Hera.Client;

namespace Hera.Cli.Tests;

/// <summary>What one in-process run of <c>hera</c> left behind.</summary>
internal sealed record CliOutcome(int ExitCode, string Output, string Error)
{
    /// <summary>Asserts the exit code, showing both streams when it differs.</summary>
    public void AssertExitCode(int expected) =>
        Assert.True(ExitCode == expected, $"exit {ExitCode}, expected {expected}\n--- stdout\n{Output}\n--- stderr\n{Error}");

    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs <c>hera</c> in-process with captured writers, against the embedded silo or a real URL.</summary>
internal static class CliRunner
{
    /// <summary>Runs against the factory's in-memory gateway.</summary>
    public static Task<CliOutcome> RunAsync(HeraGatewayFactory gateway, params string[] args)
    {
        var client = new HeraClient(gateway.CreateClient());
        return RunAsync(_ => client, args);
    }

    /// <summary>Runs over real HTTP, as the console does; <c>--gateway</c> in <paramref name="args"/> picks the URL.</summary>
    public static Task<CliOutcome> RunOverHttpAsync(params string[] args) => RunAsync(CliContext.ConnectOverHttp, args);

    /// <summary>A loopback URL nothing listens on.</summary>
    public static string UnusedLoopbackUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    private static async Task<CliOutcome> RunAsync(Func<Uri, HeraClient> connect, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await HeraCli.RunAsync(args, new CliContext(output, error, connect, CliContext.FallbackGateway));
        return new CliOutcome(code, output.ToString(), error.ToString());
    }
}
