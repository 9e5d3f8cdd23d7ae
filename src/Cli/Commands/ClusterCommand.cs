using System.CommandLine;
using Hera.Cli.Output;

namespace Hera.Cli.Commands;

/// <summary><c>hera cluster</c>: who leads, and every silo with its gateway, roles, state and last heartbeat.</summary>
internal sealed class ClusterCommand : Command
{
    private readonly CliSession _session;

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public ClusterCommand(CliSession session)
        : base("cluster", "Show the leader and every silo: gateway address, roles, state, last heartbeat.")
    {
        _session = session;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var cluster = await _session.Connect(parse).GetClusterAsync(cancellationToken).ConfigureAwait(false);
        await ClusterPrinter.WriteAsync(cluster, _session.Output).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
