namespace Hera.Cli;

/// <summary>
/// The process entry point. Not top-level statements: a global <c>Program</c> would clash with the silo's in test
/// projects that reference both.
/// </summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => HeraCli.RunAsync(args, CliContext.ForConsole());
}
