using System.CommandLine;
using Hera.Client;

namespace Hera.Cli;

/// <summary>What every command shares: the writers and the global <c>--gateway</c> option.</summary>
internal sealed class CliSession(CliContext context, Option<string> gateway)
{
    /// <summary>The global <c>--gateway</c> option (recursive: valid after any command).</summary>
    public Option<string> Gateway => gateway;

    /// <summary>Standard output.</summary>
    public TextWriter Output => context.Output;

    /// <summary>Standard error.</summary>
    public TextWriter Error => context.Error;

    /// <summary>A client for the gateway this invocation names.</summary>
    public HeraClient Connect(ParseResult parse) => context.Connect(GatewayUri(parse.GetValue(gateway)));

    /// <summary>The gateway as a base address (always ending in <c>/</c>, so <c>v1/jobs</c> resolves below it).</summary>
    public static Uri GatewayUri(string? text)
    {
        var uri = new Uri(text ?? CliContext.FallbackGateway, UriKind.Absolute);
        return uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri + "/");
    }
}
