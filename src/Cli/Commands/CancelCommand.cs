using System.CommandLine;

namespace Hera.Cli.Commands;

/// <summary>
/// <c>hera cancel ID</c>: cancels a waiting or running job (exit 0). A job that had already finished is left as it
/// is, the gateway's explanation is printed, and the exit code is 1 (nothing to do).
/// </summary>
internal sealed class CancelCommand : Command
{
    private readonly CliSession _session;
    private readonly Argument<string> _id = CommandOptions.JobId();

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public CancelCommand(CliSession session)
        : base("cancel", "Cancel a waiting or running job.")
    {
        _session = session;
        Arguments.Add(_id);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var answer = await _session.Connect(parse).CancelAsync(parse.GetValue(_id)!, cancellationToken).ConfigureAwait(false);
        if (answer.Cancelled)
        {
            await _session.Output.WriteLineAsync($"cancelled job {answer.Job.Id}").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        await _session.Output.WriteLineAsync($"not cancelled: {answer.Detail}").ConfigureAwait(false);
        return ExitCodes.Failed;
    }
}
