namespace Hera.Grains.Interfaces.Jobs;

/// <summary>
/// What a caller asked for: the validated body of <c>POST /v1/jobs</c>. Immutable once the job exists.
/// </summary>
/// <param name="Sql">The statement to run, in the caller's dialect.</param>
/// <param name="Queue">Queue name; <c>default</c> unless given.</param>
/// <param name="Type">One of <see cref="JobTypes"/>.</param>
/// <param name="Engines">Candidate engines in preference order; empty means the queue's routing decides.</param>
/// <param name="Mode">One of <see cref="ExecutionModes"/>.</param>
/// <param name="TimeoutSeconds">Wall-clock budget from submission to finish, in seconds (positive).</param>
/// <param name="MemoryMb">Memory estimate for placement, in MiB; null means the per-type default.</param>
/// <param name="Parameters">Engine parameters for this task (the last layer of parameter assembly).</param>
/// <param name="Labels">Free labels such as <c>business</c> and <c>account</c>.</param>
/// <param name="HedgeDelayMs">
/// For <c>race</c>: null starts every candidate engine at once; a number of milliseconds starts the next engine
/// only if the previous one has not finished by then (hedging); <see cref="AutoHedge"/> takes that delay from the
/// first engine's recent latency.
/// </param>
/// <param name="Dialect">
/// The dialect of <paramref name="Sql"/>: <see cref="TrinoDialect"/> (the default: parsed, and rewritten for each
/// engine) or <see cref="NativeDialect"/> (sent to whichever engine runs it exactly as written).
/// </param>
/// <param name="Template">For a job submitted as a template: its text; <paramref name="Sql"/> is then its rendering,
/// with values as placeholders <c>@p0</c>, <c>@p1</c>, ...</param>
/// <param name="TemplateValues">For a template job: the template's parameters as the JSON object the caller sent.</param>
public sealed record JobSpec(
    string Sql,
    string Queue,
    string Type,
    IReadOnlyList<string> Engines,
    string Mode,
    int TimeoutSeconds,
    int? MemoryMb,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, string> Labels,
    int? HedgeDelayMs = null,
    string Dialect = JobSpec.TrinoDialect,
    string? Template = null,
    string? TemplateValues = null)
{
    /// <summary><see cref="Dialect"/> of SQL written for Trino, which Hera rewrites for each engine.</summary>
    public const string TrinoDialect = "trino";

    /// <summary><see cref="Dialect"/> of SQL sent to the engine untouched (its own dialect; scripts and DDL too).</summary>
    public const string NativeDialect = "native";

    /// <summary><see cref="HedgeDelayMs"/> meaning "the first engine's recent 90th-percentile latency".</summary>
    public const int AutoHedge = -1;

    /// <summary>The queue every grid has.</summary>
    public const string DefaultQueue = "default";

    /// <summary>Timeout applied when the caller gives none: five minutes.</summary>
    public const int DefaultTimeoutSeconds = 300;

    /// <summary>A spec with every optional field at its default.</summary>
    public static JobSpec ForSql(string sql) => new(
        sql, DefaultQueue, JobTypes.Adhoc, [], ExecutionModes.Failover, DefaultTimeoutSeconds, null,
        new Dictionary<string, string>(), new Dictionary<string, string>());
}
