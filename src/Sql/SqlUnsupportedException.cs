namespace Hera.Sql;

/// <summary>
/// A valid Trino query that one engine's dialect cannot express with the same meaning: served as the
/// <c>sql_unsupported</c> problem, and the reason routing leaves that engine out of a job's candidates. Declining is
/// the rule whenever the only translation would give different rows (<c>window functions: ClickHouse 18.16 has
/// none</c>), never a best effort.
/// </summary>
public sealed class SqlUnsupportedException : Exception
{
    /// <summary>The stable problem code, <c>sql_unsupported</c>.</summary>
    public const string ProblemCode = "sql_unsupported";

    /// <summary>Creates the exception.</summary>
    /// <param name="dialect">The dialect that declines, e.g. <c>clickhouse</c>.</param>
    /// <param name="reason">Why, for a person: what the query uses and what the engine lacks.</param>
    public SqlUnsupportedException(string dialect, string reason)
        : base($"{dialect}: {reason}")
    {
        Dialect = dialect;
        Reason = reason;
    }

    /// <summary>Always <see cref="ProblemCode"/>.</summary>
    public string Code => ProblemCode;

    /// <summary>The dialect that declines.</summary>
    public string Dialect { get; }

    /// <summary>Why the dialect declines, without the dialect name.</summary>
    public string Reason { get; }
}
