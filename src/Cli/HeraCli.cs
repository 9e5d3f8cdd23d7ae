using System.CommandLine;
using Hera.Cli.Commands;
using Hera.Client;

namespace Hera.Cli;

/// <summary>
/// The <c>hera</c> command line: builds the command tree and runs one invocation, mapping every outcome to an
/// exit code (<see cref="ExitCodes"/>). Failures that reach here (gateway problems, an unreachable gateway) are
/// mapped in this one place; commands only return their own outcome.
/// </summary>
internal static class HeraCli
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var gateway = GatewayOption(context.DefaultGateway);
        var root = Build(new CliSession(context, gateway));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("run 'hera --help' for usage").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var invocation = new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (HeraApiException problem)
        {
            await context.Error.WriteLineAsync($"{problem.Code}: {problem.Detail}").ConfigureAwait(false);
            return ExitCodes.Problem;
        }
        catch (HttpRequestException unreachable) when (unreachable.StatusCode is null)
        {
            await context.Error.WriteLineAsync($"cannot reach the Hera gateway at {parse.GetValue(gateway)}: {unreachable.Message}").ConfigureAwait(false);
            return ExitCodes.Unreachable;
        }
        catch (OperationCanceledException timeout) when (timeout.InnerException is TimeoutException)
        {
            await context.Error.WriteLineAsync($"cannot reach the Hera gateway at {parse.GetValue(gateway)}: connecting timed out").ConfigureAwait(false);
            return ExitCodes.Unreachable;
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("interrupted").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }

    private static RootCommand Build(CliSession session)
    {
        var root = new RootCommand("hera: submit SQL jobs to a Hera gateway, follow them and read their results; manage queues, list workers.");
        root.Options.Add(session.Gateway);
        root.Subcommands.Add(new SubmitCommand(session));
        root.Subcommands.Add(new JobCommand(session));
        root.Subcommands.Add(new ResultCommand(session));
        root.Subcommands.Add(new CancelCommand(session));
        root.Subcommands.Add(new JobsCommand(session));
        root.Subcommands.Add(new QueuesCommand(session));
        root.Subcommands.Add(new QueueCommand(session));
        root.Subcommands.Add(new WorkersCommand(session));
        root.Subcommands.Add(new ClusterCommand(session));
        root.Subcommands.Add(new HealthCommand(session));
        return root;
    }

    private static Option<string> GatewayOption(string defaultGateway)
    {
        var option = new Option<string>("--gateway")
        {
            Description = $"Gateway base URL (default: $HERA_GATEWAY, else {CliContext.FallbackGateway}).",
            HelpName = "URL",
            Recursive = true,
            DefaultValueFactory = _ => defaultGateway,
        };
        option.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                result.AddError($"--gateway must be an absolute http(s) URL; got '{text}'");
            }
        });
        return option;
    }
}
