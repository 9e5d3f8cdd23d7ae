namespace Hera.Cli;

/// <summary>The process exit codes of <c>hera</c>; scripts branch on them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>
    /// The job failed, or there was nothing to do: a cancel of a finished job, a wait that ran out before the job
    /// finished.
    /// </summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown command or option, bad value).</summary>
    public const int Usage = 2;

    /// <summary>The gateway answered with a problem; <c>code: detail</c> went to standard error.</summary>
    public const int Problem = 3;

    /// <summary>The gateway could not be reached at the given URL.</summary>
    public const int Unreachable = 4;

    /// <summary>Interrupted (Ctrl+C) before the command finished.</summary>
    public const int Interrupted = 130;
}
