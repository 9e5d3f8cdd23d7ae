using Hera.Cli.Output;
using Hera.Client;

namespace Hera.Cli.Commands;

/// <summary>What a wait ends with, shared by <c>submit --wait</c>: the result, the failure, or "still running".</summary>
internal static class JobOutcome
{
    /// <summary>
    /// Succeeded: writes the result in <paramref name="format"/> to standard output, exit 0. Failed: reason and error
    /// to standard error, exit 1. Not finished: id and state to standard output, a note to standard error, exit 1.
    /// </summary>
    public static async Task<int> WriteAsync(CliSession session, HeraClient client, HeraJob job, ResultFormat format, CancellationToken cancellationToken)
    {
        switch (job.State)
        {
            case "succeed":
                await ResultPrinter.WriteAsync(client, job.Id, format, job.RowCount, session.Output, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            case "failed":
                await JobPrinter.WriteFailureAsync(job, session.Error).ConfigureAwait(false);
                return ExitCodes.Failed;
            default:
                await session.Output.WriteLineAsync($"{job.Id} {job.State}").ConfigureAwait(false);
                await session.Error.WriteLineAsync($"job {job.Id} is still {job.State}; follow it with 'hera job {job.Id} --wait SECONDS'").ConfigureAwait(false);
                return ExitCodes.Failed;
        }
    }
}
