using Hera.EngineAdapters.Demo;
using Hera.Grains.Interfaces.Engines;
using Hera.Sql;
using Hera.Sql.Rewriting;

namespace Hera.Grains.Execution;

/// <summary>
/// The grid's one <see cref="SqlRewriter"/>: engine kinds mapped to dialects, and the column catalog that
/// type-dependent rules read (the <c>shop</c> warehouse's columns, which every engine holds). Thread-safe.
/// </summary>
public sealed class SqlDialects
{
    private readonly SqlRewriter _rewriter = new(SqlColumnTypes.From(
        ShopSchema.Tables.SelectMany(table => table.Columns.Select(column => (column.Name, column.Type)))));

    /// <summary>The dialect an engine of <paramref name="kind"/> speaks.</summary>
    public static string DialectOf(string kind) => kind switch
    {
        EngineKinds.Postgres => "postgres",
        EngineKinds.ClickHouse => "clickhouse",
        _ => "sqlite",
    };

    /// <summary><paramref name="trinoSql"/> for an engine of <paramref name="kind"/>: the statement, or why not.</summary>
    /// <exception cref="SqlSyntaxException">The text is not a Trino query Hera reads.</exception>
    public (string? Sql, string? Declined) Rewrite(string trinoSql, string kind)
    {
        try
        {
            return (_rewriter.Rewrite(trinoSql, DialectOf(kind)), null);
        }
        catch (SqlUnsupportedException declined)
        {
            return (null, declined.Message);
        }
    }

    /// <summary>
    /// <paramref name="trinoSql"/> for each of <paramref name="engines"/> (name and kind) at once, parsed once: the
    /// seed's SQLParser answer, every rewrite in one call.
    /// </summary>
    /// <exception cref="SqlSyntaxException">The text is not a Trino query Hera reads.</exception>
    public IReadOnlyList<SqlRewriteResult> RewriteAll(string trinoSql, IEnumerable<(string Engine, string Kind)> engines)
    {
        ArgumentNullException.ThrowIfNull(engines);
        return _rewriter.RewriteAll(trinoSql, engines.Select(e => (e.Engine, DialectOf(e.Kind))));
    }
}
