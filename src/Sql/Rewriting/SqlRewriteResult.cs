namespace Hera.Sql.Rewriting;

/// <summary>One engine's answer from <see cref="SqlRewriter.RewriteAll"/>: the SQL to run there, or why not.</summary>
/// <param name="EngineName">The engine, as the caller named it.</param>
/// <param name="Dialect">The engine's dialect: <c>trino</c>, <c>postgres</c>, <c>sqlite</c> or <c>clickhouse</c>.</param>
/// <param name="Sql">The statement in the dialect, or null when declined.</param>
/// <param name="Declined">Why the engine cannot run the query (code <c>sql_unsupported</c>), or null.</param>
public sealed record SqlRewriteResult(string EngineName, string Dialect, string? Sql, SqlUnsupportedException? Declined)
{
    /// <summary>True when <see cref="Sql"/> holds the statement.</summary>
    public bool IsSupported => Sql is not null;
}
