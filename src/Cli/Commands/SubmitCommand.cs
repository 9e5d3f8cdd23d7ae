using System.CommandLine;
using System.Globalization;
using Hera.Cli.Output;
using Hera.Client;

namespace Hera.Cli.Commands;

/// <summary>
/// <c>hera submit "SQL"</c>: submits a job. Without <c>--wait</c> prints <c>ID STATE</c>; with it, waits (the
/// gateway's long-poll) and prints the result (exit 0), the failure on standard error (exit 1), or, if the wait ran
/// out, the id and state with exit 1. With <c>--retry-queue-full N</c>, a <c>queue_full</c> refusal is retried up to N
/// times with exponential backoff and jitter, each retry noted on standard error; nothing else is retried.
/// </summary>
internal sealed class SubmitCommand : Command
{
    private readonly CliSession _session;
    private readonly Argument<string> _sql = new("sql") { Description = "The SQL to run." };
    private readonly Option<string?> _queue = new("--queue", "-q") { Description = "Queue (default: 'default').", HelpName = "QUEUE" };
    private readonly Option<string[]> _engines = new("--engine", "-e") { Description = "Candidate engine, in order; repeat or separate with commas.", HelpName = "ENGINE" };
    private readonly Option<int?> _timeout = CommandOptions.Positive(new Option<int?>("--timeout") { Description = "Job timeout.", HelpName = "SECONDS" });
    private readonly Option<string[]> _labels = new("--label", "-l") { Description = "Label as key=value; repeatable.", HelpName = "KEY=VALUE" };
    private readonly Option<int?> _wait = CommandOptions.Wait("Wait up to this long for the job to finish, then print its result.");
    private readonly Option<string> _format = ResultFormats.CreateOption();
    private readonly Option<int?> _retryQueueFull = CommandOptions.NotNegative(new Option<int?>("--retry-queue-full")
    {
        Description = "If the queue is full, retry up to N times with backoff (from 1 s, at most 30 s apart); 0 = fail at once.",
        HelpName = "N",
    });

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public SubmitCommand(CliSession session)
        : base("submit", "Submit SQL as a job; with --wait, print its result.")
    {
        _session = session;
        _labels.Validators.Add(result =>
        {
            foreach (var label in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (label.IndexOf('=', StringComparison.Ordinal) < 1)
                {
                    result.AddError($"--label must be key=value; got '{label}'");
                }
            }
        });
        Arguments.Add(_sql);
        Options.Add(_queue);
        Options.Add(_engines);
        Options.Add(_timeout);
        Options.Add(_labels);
        Options.Add(_wait);
        Options.Add(_format);
        Options.Add(_retryQueueFull);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var client = _session.Connect(parse);
        var wait = parse.GetValue(_wait) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        var started = DateTime.UtcNow;
        var submitter = parse.GetValue(_retryQueueFull) is > 0 and var retries ? client.WithOptions(RetryOptions(retries)) : client;
        var job = await submitter.SubmitAsync(Request(parse), wait, cancellationToken).ConfigureAwait(false);
        if (wait is null)
        {
            await _session.Output.WriteLineAsync($"{job.Id} {job.State}").ConfigureAwait(false);
            return ExitCodes.Success;
        }

        // The submit's wait is one long-poll; WaitAsync covers whatever of the wait is left if it came back early.
        if (!job.IsFinished)
        {
            job = await client.WaitAsync(job.Id, wait.Value - (DateTime.UtcNow - started), cancellationToken).ConfigureAwait(false);
        }

        return await JobOutcome.WriteAsync(_session, client, job, ResultFormats.Parse(parse.GetValue(_format)), cancellationToken).ConfigureAwait(false);
    }

    private HeraClientOptions RetryOptions(int retries) => new()
    {
        QueueFullRetry = new QueueFullRetry
        {
            MaxRetries = retries,
            OnRetry = async attempt => await _session.Error.WriteLineAsync(
                $"{attempt.Exception.Code}: {attempt.Exception.Detail} (retry {attempt.Attempt} of {retries} in {attempt.Delay.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)").ConfigureAwait(false),
        },
    };

    private HeraJobRequest Request(ParseResult parse)
    {
        var engines = (parse.GetValue(_engines) ?? []).SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var labels = (parse.GetValue(_labels) ?? []).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        return new HeraJobRequest
        {
            Sql = parse.GetValue(_sql)!,
            Queue = parse.GetValue(_queue),
            Engines = engines.Count > 0 ? engines : null,
            TimeoutSeconds = parse.GetValue(_timeout),
            Labels = labels.Count > 0 ? labels : null,
        };
    }
}
