namespace Hera.Grains.Interfaces.Errors;

/// <summary>
/// A stable problem code of the wire contract (<c>../shared/API.md</c>, "Problems"): the <c>code</c> member of
/// every problem+json answer, its HTTP status and its title. Clients branch on <see cref="Code"/>; never rename one.
/// </summary>
/// <param name="Code">Stable machine-readable code, snake_case.</param>
/// <param name="Status">HTTP status it is served with.</param>
/// <param name="Title">Short human summary, the same for every occurrence.</param>
/// <param name="RetryAfterSeconds">For a refusal worth retrying as is (a full queue, a store that does not answer):
/// the <c>Retry-After</c> the gateway sends with it; null for problems a retry cannot fix.</param>
public sealed record ProblemCode(string Code, int Status, string Title, int? RetryAfterSeconds = null)
{
    /// <summary>The problem type URI: <c>https://hera.dev/problems/{code}</c>.</summary>
    public string Type => $"https://hera.dev/problems/{Code}";
}

/// <summary>Every problem code Hera serves.</summary>
public static class ProblemCodes
{
    /// <summary>The body or query is malformed or misses a required member.</summary>
    public static readonly ProblemCode InvalidRequest = new("invalid_request", 400, "The request is invalid");

    /// <summary>The SQL does not parse; the problem carries a <c>position</c>.</summary>
    public static readonly ProblemCode InvalidSql = new("invalid_sql", 400, "The SQL is invalid");

    /// <summary>No queue has that name.</summary>
    public static readonly ProblemCode QueueNotFound = new("queue_not_found", 404, "Queue not found");

    /// <summary>The queue exists but accepts no jobs.</summary>
    public static readonly ProblemCode QueueClosed = new("queue_closed", 409, "Queue is closed");

    /// <summary>The queue holds as many waiting jobs as its capacity; retry later.</summary>
    public static readonly ProblemCode QueueFull = new("queue_full", 429, "Queue is full", RetryAfterSeconds: 1);

    /// <summary>No job has that id.</summary>
    public static readonly ProblemCode JobNotFound = new("job_not_found", 404, "Job not found");

    /// <summary>The job has not succeeded (yet), so it has no result.</summary>
    public static readonly ProblemCode ResultNotReady = new("result_not_ready", 409, "Result not ready");

    /// <summary>The result of a succeeded job can no longer be read (its file is gone).</summary>
    public static readonly ProblemCode ResultGone = new("result_gone", 410, "Result is gone");

    /// <summary>No engine has that name.</summary>
    public static readonly ProblemCode EngineNotFound = new("engine_not_found", 404, "Engine not found");

    /// <summary>No or unknown credentials.</summary>
    public static readonly ProblemCode Unauthorized = new("unauthorized", 401, "Unauthorized");

    /// <summary>Known caller without the right.</summary>
    public static readonly ProblemCode Forbidden = new("forbidden", 403, "Forbidden");

    /// <summary>The body exceeds the size limit.</summary>
    public static readonly ProblemCode PayloadTooLarge = new("payload_too_large", 413, "Payload too large");

    /// <summary>The <c>Accept</c> header names no format Hera can produce.</summary>
    public static readonly ProblemCode NotAcceptable = new("not_acceptable", 406, "Not acceptable");

    /// <summary>The route does not exist.</summary>
    public static readonly ProblemCode NotFound = new("not_found", 404, "Not found");

    /// <summary>The route exists but not for this HTTP method.</summary>
    public static readonly ProblemCode MethodNotAllowed = new("method_not_allowed", 405, "Method not allowed");

    /// <summary>A dependency (the grid store) does not answer; retry later.</summary>
    public static readonly ProblemCode Unavailable = new("unavailable", 503, "Service unavailable", RetryAfterSeconds: 1);

    /// <summary>Every candidate engine of an interactive query is at its maxConcurrency; retry, or submit a job.</summary>
    public static readonly ProblemCode EnginesBusy = new("engines_busy", 429, "Engines are busy", RetryAfterSeconds: 1);

    /// <summary>An interactive query's SQL was refused by the engine (its syntax, an unknown column).</summary>
    public static readonly ProblemCode SqlError = new("sql_error", 400, "The engine refused the SQL");

    /// <summary>An interactive query failed on every candidate engine for the engines' own reasons.</summary>
    public static readonly ProblemCode EngineError = new("engine_error", 502, "The engine failed");

    /// <summary>An interactive query ran past its timeout before its first rows were sent.</summary>
    public static readonly ProblemCode Timeout = new("timeout", 504, "The query timed out");

    /// <summary>No candidate engine can express the query; the detail gives each engine's reason.</summary>
    public static readonly ProblemCode SqlUnsupported = new("sql_unsupported", 400, "No engine can run this SQL");

    /// <summary>A job's template does not parse; <c>position</c> says where.</summary>
    public static readonly ProblemCode InvalidTemplate = new("invalid_template", 400, "The template is invalid");

    /// <summary>A template refers to a parameter the job does not give.</summary>
    public static readonly ProblemCode MissingParameter = new("missing_parameter", 400, "A template parameter is missing");

    /// <summary>A template parameter has a value of the wrong type or form.</summary>
    public static readonly ProblemCode InvalidParameter = new("invalid_parameter", 400, "A template parameter is invalid");

    /// <summary>A fault inside Hera; the detail names it. Nothing the caller did.</summary>
    public static readonly ProblemCode Internal = new("internal_error", 500, "Internal error");
}

/// <summary>
/// A failure the caller should see as a problem: carries its <see cref="ProblemCode"/>, a detail the caller can
/// act on, and optional extension members (such as <c>position</c> for <c>invalid_sql</c>).
/// </summary>
public sealed class HeraProblemException(ProblemCode problem, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    : Exception(detail)
{
    /// <summary>The problem code served.</summary>
    public ProblemCode Problem { get; } = problem;

    /// <summary>Extra members of the problem+json body.</summary>
    public IReadOnlyDictionary<string, object?> Extensions { get; } = extensions ?? new Dictionary<string, object?>();
}
