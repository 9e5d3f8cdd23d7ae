using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// Replaces each reference to a CTE by its query as a derived table aliased with the reference's alias or the CTE's
/// name (<c>WITH t AS (q) SELECT ... FROM t</c> → <c>SELECT ... FROM (q) AS t</c>). Exact: Trino does not materialise
/// CTEs either. Inner WITH clauses shadow outer ones; a CTE sees the CTEs before it.
/// </summary>
internal sealed class CteInliner : SyntaxRewriter
{
    private readonly List<Dictionary<string, Query>> _scopes = [];

    public override Query RewriteQuery(Query query)
    {
        if (query.With.IsEmpty)
        {
            return base.RewriteQuery(query);
        }

        var scope = new Dictionary<string, Query>(StringComparer.OrdinalIgnoreCase);
        _scopes.Add(scope);
        try
        {
            foreach (var cte in query.With)
            {
                scope[cte.Name.Value] = RewriteQuery(cte.Query);
            }

            return base.RewriteQuery(query with { With = SyntaxList<CommonTableExpression>.Empty });
        }
        finally
        {
            _scopes.RemoveAt(_scopes.Count - 1);
        }
    }

    public override Relation RewriteRelation(Relation relation)
    {
        if (relation is TableRelation { Name.Parts.Count: 1 } table && Find(table.Name.Last.Value) is { } query)
        {
            var alias = table.Alias ?? new TableAlias(table.Name.Last, [], table.Position);
            return new SubqueryRelation(query, alias, table.Position);
        }

        return base.RewriteRelation(relation);
    }

    private Query? Find(string name)
    {
        for (var i = _scopes.Count - 1; i >= 0; i--)
        {
            if (_scopes[i].TryGetValue(name, out var query))
            {
                return query;
            }
        }

        return null;
    }
}
