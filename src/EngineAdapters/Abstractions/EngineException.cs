namespace Hera.EngineAdapters.Abstractions;

/// <summary>Who is to blame for an engine failure; decides failover and the job's failure reason.</summary>
public enum EngineFailureKind
{
    /// <summary>The caller's SQL is wrong (syntax, unknown table or column, type mismatch). Another engine would
    /// refuse it too: fail the job with <c>sql_error</c>, do not fail over.</summary>
    CallerSql,

    /// <summary>The engine could not serve now (unreachable, busy, out of resources, timed out). Worth retrying
    /// or failing over: <c>engine_error</c>.</summary>
    Transient,

    /// <summary>The engine failed for a reason that retrying will not fix and that is not the caller's SQL
    /// (misconfiguration, corrupt database): <c>engine_error</c>, no failover benefit assumed.</summary>
    Fatal,
}

/// <summary>
/// An engine failure, keeping the engine's own code and message. Thrown by every <see cref="IEngineAdapter"/>
/// instead of driver exceptions, so callers never see driver types.
/// </summary>
public sealed class EngineException(string engine, EngineFailureKind kind, string engineCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Registry name of the engine that failed.</summary>
    public string Engine { get; } = engine;

    /// <summary>Who is to blame.</summary>
    public EngineFailureKind Kind { get; } = kind;

    /// <summary>The engine's own error code (e.g. SQLite's <c>SQLITE_ERROR</c>, a PostgreSQL SQLSTATE).</summary>
    public string EngineCode { get; } = engineCode;

    /// <summary>True when retrying or failing over may succeed.</summary>
    public bool IsTransient => Kind == EngineFailureKind.Transient;
}
