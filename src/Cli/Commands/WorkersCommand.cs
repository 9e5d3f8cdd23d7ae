using System.CommandLine;
using Hera.Cli.Output;

namespace Hera.Cli.Commands;

/// <summary><c>hera workers</c>: every worker the grid has seen (dead and stopped ones too), as of its last heartbeat.</summary>
internal sealed class WorkersCommand : Command
{
    private readonly CliSession _session;

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public WorkersCommand(CliSession session)
        : base("workers", "List workers: pool, state, slots, running tasks, memory, last heartbeat.")
    {
        _session = session;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var workers = await _session.Connect(parse).ListWorkersAsync(cancellationToken).ConfigureAwait(false);
        if (workers.Count == 0)
        {
            await _session.Error.WriteLineAsync("no workers").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await WorkerPrinter.WriteListAsync(workers, _session.Output).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
