using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// Rewrites that move whole relations, for dialects whose capabilities say so: CTEs inlined as derived tables,
/// correlated EXISTS and IN turned into uncorrelated IN, joins nested to at most
/// <see cref="SqlDialect.MaxJoinsPerSelect"/> per SELECT. They run after lowering, in that order: semi-joins need
/// the CTEs' bodies in place, and join nesting renames the columns the semi-joins read.
/// </summary>
internal static class StructuralRewrites
{
    /// <summary>Applies every rewrite <paramref name="dialect"/> needs to the lowered <paramref name="query"/>.</summary>
    public static Query Apply(Query query, SqlDialect dialect)
    {

        if (!dialect.SupportsCommonTableExpressions)
        {
            // A recursive CTE refers to itself: there is nothing to inline it as.
            query = query.Recursive
                ? throw new SqlUnsupportedException(dialect.Name, "WITH RECURSIVE: no recursive queries, and a recursive CTE cannot be inlined")
                : new CteInliner().RewriteQuery(query);
        }

        if (!dialect.SupportsCorrelatedSubqueries)
        {
            query = new SemiJoinRewriter(dialect).RewriteQuery(query);
        }

        if (dialect.MaxJoinsPerSelect < int.MaxValue || dialect.JoinOnEqualitiesOnly)
        {
            query = new JoinNester(dialect).RewriteQuery(query);
        }

        return query;
    }
}
