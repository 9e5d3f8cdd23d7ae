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

    /// <summary>
    /// Runs against the factory's in-memory gateway with standard error going to <paramref name="error"/>, so a test
    /// can react to what the command reports while it runs.
    /// </summary>
    public static Task<CliOutcome> RunAsync(HeraGatewayFactory gateway, StringWriter error, params string[] args)
    {
        var client = new HeraClient(gateway.CreateClient());
        return RunAsync(_ => client, args, error);
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

    private static async Task<CliOutcome> RunAsync(Func<Uri, HeraClient> connect, string[] args, StringWriter? errorWriter = null)
    {
        using var output = new StringWriter();
        using var error = errorWriter ?? new StringWriter();
        var code = await HeraCli.RunAsync(args, new CliContext(output, error, connect, CliContext.FallbackGateway));
        return new CliOutcome(code, output.ToString(), error.ToString());
    }
}

/// <summary>
/// A standard-error writer that hands each line written with <c>WriteLineAsync</c> to <paramref name="onLine"/> and
/// lets the command go on only when that returns: a test makes its move at an exact point of the command's run.
/// </summary>
internal sealed class LineHookWriter(Func<string, Task> onLine) : StringWriter
{
    public override async Task WriteLineAsync(string? value)
    {
        await base.WriteLineAsync(value);
        await onLine(value ?? "");
    }
}
