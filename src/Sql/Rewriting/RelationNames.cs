using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>What names relations define and what qualifiers expressions use: the facts the structural rewrites read.</summary>
internal static class RelationNames
{
    /// <summary>The name a relation's columns are qualified with: its alias, else a table's last name part.</summary>
    public static string? NameOf(Relation relation) => relation switch
    {
        TableRelation table => (table.Alias?.Name ?? table.Name.Last).Value,
        SubqueryRelation subquery => subquery.Alias?.Name.Value,
        _ => null,
    };

    /// <summary>Adds the names every relation in <paramref name="relation"/> defines (both sides of joins).</summary>
    public static void AddDefined(Relation relation, HashSet<string> names)
    {
        if (relation is JoinRelation join)
        {
            AddDefined(join.Left, names);
            AddDefined(join.Right, names);
        }
        else if (NameOf(relation) is { } name)
        {
            names.Add(name);
        }
    }

    /// <summary>The qualifier of a column reference (<c>o</c> of <c>o.order_id</c>), or null when unqualified.</summary>
    public static string? QualifierOf(ColumnReference column) =>
        column.Name.Parts.Count >= 2 ? column.Name.Parts[^2].Value : null;

    /// <summary>Every column reference in <paramref name="expression"/>, not descending into subqueries.</summary>
    public static List<ColumnReference> Columns(Expression expression)
    {
        var collector = new ColumnCollector();
        collector.RewriteExpression(expression);
        return collector.Found;
    }

    /// <summary>
    /// The qualifiers <paramref name="query"/> uses, anywhere inside it, that no relation inside it defines: the
    /// names of enclosing queries it is correlated with (unqualified columns are taken as its own).
    /// </summary>
    public static HashSet<string> FreeQualifiers(Query query)
    {
        var walker = new QualifierWalker();
        walker.RewriteQuery(query);
        walker.Used.ExceptWith(walker.Defined);
        return walker.Used;
    }

    private sealed class ColumnCollector : SyntaxRewriter
    {
        public List<ColumnReference> Found { get; } = [];

        public override Query RewriteQuery(Query query) => query;

        public override Expression RewriteExpression(Expression expression)
        {
            if (expression is ColumnReference column)
            {
                Found.Add(column);
                return column;
            }

            return base.RewriteExpression(expression);
        }
    }

    private sealed class QualifierWalker : SyntaxRewriter
    {
        public HashSet<string> Used { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> Defined { get; } = new(StringComparer.OrdinalIgnoreCase);

        public override Relation RewriteRelation(Relation relation)
        {
            if (NameOf(relation) is { } name)
            {
                Defined.Add(name);
            }

            return base.RewriteRelation(relation);
        }

        public override Expression RewriteExpression(Expression expression)
        {
            if (expression is ColumnReference column && QualifierOf(column) is { } qualifier)
            {
                Used.Add(qualifier);
            }

            return base.RewriteExpression(expression);
        }
    }
}
