using Hera.Client;

namespace Hera.Cli;

/// <summary>
/// Where the CLI writes and how it reaches a gateway. The console builds one from the process; tests build one
/// with string writers and a client on the in-memory test server.
/// </summary>
/// <param name="Output">Standard output: job ids, tables, result bodies.</param>
/// <param name="Error">Standard error: failures, problems, notes.</param>
/// <param name="Connect">Builds the client for the gateway named by <c>--gateway</c> (an absolute URL ending in <c>/</c>).</param>
/// <param name="DefaultGateway">The gateway when <c>--gateway</c> is not given.</param>
internal sealed record CliContext(TextWriter Output, TextWriter Error, Func<Uri, HeraClient> Connect, string DefaultGateway)
{
    /// <summary>The gateway when neither <c>--gateway</c> nor <c>HERA_GATEWAY</c> says otherwise.</summary>
    public const string FallbackGateway = "http://127.0.0.1:5080";

    /// <summary>The process's console, real HTTP, and <c>HERA_GATEWAY</c> as the default gateway.</summary>
    public static CliContext ForConsole() => new(
        Console.Out,
        Console.Error,
        ConnectOverHttp,
        Environment.GetEnvironmentVariable("HERA_GATEWAY") is { Length: > 0 } fromEnvironment ? fromEnvironment : FallbackGateway);

    /// <summary>
    /// A client over a fresh socket handler. No overall request timeout: every wait is bounded by the gateway's
    /// long-poll, and results stream for as long as they are; only connecting is bounded.
    /// </summary>
    public static HeraClient ConnectOverHttp(Uri gateway) => new(
        new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = gateway,
            Timeout = Timeout.InfiniteTimeSpan,
        });
}
