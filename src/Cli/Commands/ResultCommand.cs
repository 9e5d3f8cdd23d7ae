using System.CommandLine;
using System.Text;
using Hera.Cli.Output;

namespace Hera.Cli.Commands;

/// <summary>
/// <c>hera result ID [--format F] [--output FILE]</c>: streams a succeeded job's result to standard output or a
/// file, in bounded memory. A job that has not succeeded is the gateway's <c>result_not_ready</c> problem (exit 3).
/// </summary>
internal sealed class ResultCommand : Command
{
    private readonly CliSession _session;
    private readonly Argument<string> _id = CommandOptions.JobId();
    private readonly Option<string> _format = ResultFormats.CreateOption();
    private readonly Option<FileInfo?> _output = new("--output", "-o") { Description = "Write to this file instead of standard output.", HelpName = "FILE" };

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public ResultCommand(CliSession session)
        : base("result", "Stream a succeeded job's result.")
    {
        _session = session;
        Arguments.Add(_id);
        Options.Add(_format);
        Options.Add(_output);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var client = _session.Connect(parse);
        var id = parse.GetValue(_id)!;
        var format = ResultFormats.Parse(parse.GetValue(_format));
        if (parse.GetValue(_output) is not { } file)
        {
            await ResultPrinter.WriteAsync(client, id, format, null, _session.Output, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        // Written beside the target and renamed at the end, so a failed download never leaves a half file under
        // the requested name.
        var partial = file.FullName + ".partial";
        try
        {
            await using (var writer = new StreamWriter(partial, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
            {
                await ResultPrinter.WriteAsync(client, id, format, null, writer, cancellationToken).ConfigureAwait(false);
            }

            File.Move(partial, file.FullName, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }

        await _session.Error.WriteLineAsync($"wrote {new FileInfo(file.FullName).Length} bytes to {file.FullName}").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
