using System.CommandLine;
using Hera.Cli.Output;
using Hera.Client;

namespace Hera.Cli.Commands;

/// <summary>
/// <c>hera queue set NAME [--weight W] [--capacity N] [--parallelism N] [--max-resource-share F] [--pool P]
/// [--state open|closed]</c>: creates the queue or changes it. Options left out keep the queue's current values (a new
/// queue's defaults), so <c>--state closed</c> alone closes it and nothing else. Prints <c>created queue NAME</c> or
/// <c>changed queue NAME</c>, then the queue. A value the gateway refuses is <c>invalid_request</c> (exit 3).
/// </summary>
internal sealed class QueueSetCommand : Command
{
    private readonly CliSession _session;
    private readonly Argument<string> _name = CommandOptions.QueueName();
    private readonly Option<double?> _weight = new("--weight") { Description = "Priority, 0 or more; a higher weight runs first.", HelpName = "W" };
    private readonly Option<int?> _capacity = CommandOptions.Positive(new Option<int?>("--capacity") { Description = "Waiting jobs held before submissions are refused (queue_full).", HelpName = "N" });
    private readonly Option<int?> _parallelism = CommandOptions.Positive(new Option<int?>("--parallelism") { Description = "Jobs of the queue running at once.", HelpName = "N" });
    private readonly Option<double?> _share = new("--max-resource-share") { Description = "Fraction of the cluster's memory its running jobs may hold, in (0, 1].", HelpName = "F" };
    private readonly Option<string?> _pool = new("--pool") { Description = "Worker pool its jobs run on.", HelpName = "POOL" };
    private readonly Option<string?> _state = new Option<string?>("--state") { Description = "open (takes jobs) or closed (refuses them; waiting ones stay).", HelpName = "STATE" }
        .AcceptOnlyFromAmong("open", "closed");

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public QueueSetCommand(CliSession session)
        : base("set", "Create a queue or change it; options left out keep their current values.")
    {
        _session = session;
        Arguments.Add(_name);
        Options.Add(_weight);
        Options.Add(_capacity);
        Options.Add(_parallelism);
        Options.Add(_share);
        Options.Add(_pool);
        Options.Add(_state);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var settings = new HeraQueueSettings
        {
            Weight = parse.GetValue(_weight),
            Capacity = parse.GetValue(_capacity),
            Parallelism = parse.GetValue(_parallelism),
            MaxResourceShare = parse.GetValue(_share),
            Pool = parse.GetValue(_pool),
            State = parse.GetValue(_state),
        };
        var put = await _session.Connect(parse).PutQueueAsync(parse.GetValue(_name)!, settings, cancellationToken).ConfigureAwait(false);
        await _session.Output.WriteLineAsync($"{(put.Created ? "created" : "changed")} queue {put.Queue.Name}").ConfigureAwait(false);
        await QueuePrinter.WriteDetailsAsync(put.Queue, _session.Output).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
