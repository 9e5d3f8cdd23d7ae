using System.CommandLine;
using Hera.Cli.Output;

namespace Hera.Cli.Commands;

/// <summary><c>hera queue get NAME</c>: the queue's settings and live numbers; an unknown name is <c>queue_not_found</c> (exit 3).</summary>
internal sealed class QueueGetCommand : Command
{
    private readonly CliSession _session;
    private readonly Argument<string> _name = CommandOptions.QueueName();

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public QueueGetCommand(CliSession session)
        : base("get", "Show a queue: settings, waiting and running jobs, why its next job waits.")
    {
        _session = session;
        Arguments.Add(_name);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var queue = await _session.Connect(parse).GetQueueAsync(parse.GetValue(_name)!, cancellationToken).ConfigureAwait(false);
        await QueuePrinter.WriteDetailsAsync(queue, _session.Output).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
