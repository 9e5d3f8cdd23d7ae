using System.CommandLine;
using Hera.Cli.Output;

namespace Hera.Cli.Commands;

/// <summary><c>hera queues</c>: every queue with its settings, waiting and running jobs, as a table.</summary>
internal sealed class QueuesCommand : Command
{
    private readonly CliSession _session;

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public QueuesCommand(CliSession session)
        : base("queues", "List queues: settings, waiting (size) and running jobs, dynamic factor.")
    {
        _session = session;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var queues = await _session.Connect(parse).ListQueuesAsync(cancellationToken).ConfigureAwait(false);
        if (queues.Count == 0)
        {
            await _session.Error.WriteLineAsync("no queues").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await QueuePrinter.WriteListAsync(queues, _session.Output).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
