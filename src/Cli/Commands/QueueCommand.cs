using System.CommandLine;

namespace Hera.Cli.Commands;

/// <summary><c>hera queue get|set NAME</c>: read one queue, or create or change it.</summary>
internal sealed class QueueCommand : Command
{
    /// <summary>Builds the command and its subcommands; their actions run against <paramref name="session"/>'s gateway.</summary>
    public QueueCommand(CliSession session)
        : base("queue", "Show, create or change one queue.")
    {
        Subcommands.Add(new QueueGetCommand(session));
        Subcommands.Add(new QueueSetCommand(session));
    }
}
