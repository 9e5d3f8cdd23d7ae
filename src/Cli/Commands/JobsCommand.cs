using System.CommandLine;
using Hera.Cli.Output;

namespace Hera.Cli.Commands;

/// <summary><c>hera jobs [--state S] [--queue Q] [--limit N]</c>: recent jobs, newest first, as a table.</summary>
internal sealed class JobsCommand : Command
{
    private readonly CliSession _session;
    private readonly Option<string?> _state = new Option<string?>("--state", "-s") { Description = "Only jobs in this state.", HelpName = "STATE" }
        .AcceptOnlyFromAmong("new", "waiting", "running", "succeed", "failed");

    private readonly Option<string?> _queue = new("--queue", "-q") { Description = "Only jobs of this queue.", HelpName = "QUEUE" };
    private readonly Option<int?> _limit = CommandOptions.Positive(new Option<int?>("--limit", "-n") { Description = "At most this many jobs (default: the gateway's).", HelpName = "N" });

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public JobsCommand(CliSession session)
        : base("jobs", "List recent jobs, newest first.")
    {
        _session = session;
        Options.Add(_state);
        Options.Add(_queue);
        Options.Add(_limit);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var jobs = await _session.Connect(parse)
            .ListJobsAsync(parse.GetValue(_state), parse.GetValue(_queue), parse.GetValue(_limit), cancellationToken)
            .ConfigureAwait(false);
        if (jobs.Count == 0)
        {
            await _session.Error.WriteLineAsync("no jobs").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await JobPrinter.WriteListAsync(jobs, _session.Output).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
