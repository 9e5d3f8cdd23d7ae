namespace Hera.Grains.Interfaces.Jobs;

/// <summary>
/// Reason codes carried by a <see cref="JobState.Failed"/> job. Stable wire values: clients branch on them.
/// </summary>
public static class JobFailureReasons
{
    /// <summary>Refused at admission after it was persisted (for example its queue closed meanwhile).</summary>
    public const string Rejected = "rejected";

    /// <summary>A caller cancelled it with <c>DELETE /v1/jobs/{id}</c>.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>It ran past its <c>timeoutSeconds</c>.</summary>
    public const string Timeout = "timeout";

    /// <summary>The engine failed for a reason that is not the caller's SQL (unreachable, out of resources).</summary>
    public const string EngineError = "engine_error";

    /// <summary>The engine rejected the caller's SQL (syntax, unknown table or column); retrying elsewhere is pointless.</summary>
    public const string SqlError = "sql_error";

    /// <summary>Its worker died while running it, more times than the attempt limit allows.</summary>
    public const string WorkerLost = "worker_lost";

    /// <summary>Writing or reading its result failed inside Hera (disk full, results directory gone).</summary>
    public const string ResultError = "result_error";

    /// <summary>A fault inside Hera itself; the error message names it.</summary>
    public const string Internal = "internal_error";
}
