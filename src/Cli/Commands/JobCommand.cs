using System.CommandLine;
using Hera.Cli.Output;

namespace Hera.Cli.Commands;

/// <summary>
/// <c>hera job ID [--wait SECONDS]</c>: the job's state, engine, attempts, times, error and event history. Exit 1
/// when the job has failed, so scripts can branch on it.
/// </summary>
internal sealed class JobCommand : Command
{
    private readonly CliSession _session;
    private readonly Argument<string> _id = CommandOptions.JobId();
    private readonly Option<int?> _wait = CommandOptions.Wait("Wait up to this long for the job to finish before showing it.");

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public JobCommand(CliSession session)
        : base("job", "Show a job: state, engine, attempts, times, error and history.")
    {
        _session = session;
        Arguments.Add(_id);
        Options.Add(_wait);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var client = _session.Connect(parse);
        var id = parse.GetValue(_id)!;
        var job = parse.GetValue(_wait) is > 0 and var seconds
            ? await client.WaitAsync(id, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false)
            : await client.GetJobAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
        await JobPrinter.WriteDetailsAsync(job, _session.Output).ConfigureAwait(false);
        return job.State == "failed" ? ExitCodes.Failed : ExitCodes.Success;
    }
}
