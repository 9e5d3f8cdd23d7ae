using Hera.Sql.Lexing;
using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// For dialects without correlated subqueries (ClickHouse 18.16, which has no EXISTS at all): <c>EXISTS (SELECT ...
/// FROM t WHERE t.k = o.k AND local)</c> becomes <c>o.k IN (SELECT t.k FROM t WHERE local)</c> (a tuple for several
/// keys), <c>x IN (SELECT y ... WHERE t.k = o.k)</c> becomes <c>(x, o.k) IN (SELECT y, t.k ...)</c>, and an
/// uncorrelated EXISTS becomes <c>1 IN (SELECT 1 FROM (...))</c>. Exact because ClickHouse's IN never matches NULL
/// and <c>NULL IN (...)</c> is false, which is how EXISTS treats NULL keys; NOT EXISTS becomes NOT IN for the same
/// reason. Anything else correlated (a scalar subquery, NOT IN, a non-equality) is declined.
/// </summary>
internal sealed class SemiJoinRewriter(SqlDialect dialect) : SyntaxRewriter
{
    private static readonly Identifier ExistsAlias = new("_e", false, SourcePosition.Start);

    public override Expression RewriteExpression(Expression expression)
    {
        switch (expression)
        {
            case ExistsExpression exists:
                return RewriteExists(exists);
            case InSubqueryExpression inQuery:
                return RewriteIn(inQuery);
            case SubqueryExpression subquery:
                var query = RewriteQuery(subquery.Query);
                return RelationNames.FreeQualifiers(query).Count == 0
                    ? subquery with { Query = query }
                    : throw Decline("a correlated scalar subquery");
            default:
                return base.RewriteExpression(expression);
        }
    }

    private Expression RewriteExists(ExistsExpression exists)
    {
        var query = RewriteQuery(exists.Query);
        var at = exists.Position;
        var free = RelationNames.FreeQualifiers(query);
        if (free.Count == 0)
        {
            var one = new SelectExpression(new IntegerLiteral(1, at), null, at);
            var probe = new Select(false, [one], [new SubqueryRelation(query, new TableAlias(ExistsAlias, [], at), at)], null, [], null, at);
            return new InSubqueryExpression(new IntegerLiteral(1, at), new Query([], probe, [], null, null, at), false, at);
        }

        var (select, outer, inner) = Decorrelate(query, free, "EXISTS");
        if (!select.GroupBy.IsEmpty || select.Having is not null)
        {
            throw Decline("a correlated EXISTS over GROUP BY or HAVING");
        }

        var items = new SelectItem[inner.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = new SelectExpression(inner[i], null, at);
        }

        var probeQuery = new Query([], select with { Distinct = false, Items = SyntaxList.Create<SelectItem>(items) }, [], null, null, at);
        return new InSubqueryExpression(Tuple(outer, at), probeQuery, false, at);
    }

    private Expression RewriteIn(InSubqueryExpression inQuery)
    {
        var query = RewriteQuery(inQuery.Query);
        var value = RewriteExpression(inQuery.Value);
        var free = RelationNames.FreeQualifiers(query);
        if (free.Count == 0)
        {
            return inQuery with { Value = value, Query = query };
        }

        if (inQuery.Negated)
        {
            throw Decline("a correlated NOT IN (NULLs in the subquery make it differ from an anti-join)");
        }

        var (select, outer, inner) = Decorrelate(query, free, "IN");
        if (select.Items.Count != 1 || !select.GroupBy.IsEmpty || select.Having is not null)
        {
            throw Decline("a correlated IN over GROUP BY or HAVING");
        }

        var items = new List<SelectItem> { select.Items[0] };
        var values = new List<Expression> { value };
        for (var i = 0; i < inner.Count; i++)
        {
            items.Add(new SelectExpression(inner[i], null, inQuery.Position));
            values.Add(outer[i]);
        }

        var probe = new Query([], select with { Items = SyntaxList.Create<SelectItem>([.. items]) }, [], null, null, query.Position);
        return inQuery with { Value = Tuple(values, inQuery.Position), Query = probe };
    }

    /// <summary>
    /// Splits the WHERE of a correlated subquery into equalities <c>inner = outer</c> and the rest, which must not
    /// refer to the enclosing query.
    /// </summary>
    private (Select Select, List<Expression> Outer, List<Expression> Inner) Decorrelate(Query query, HashSet<string> free, string what)
    {
        if (query.Body is not Select select || query.Limit is not null || query.Offset is not null || select.Where is null)
        {
            throw Decline($"a correlated {what} that is not a plain SELECT ... WHERE");
        }

        var outer = new List<Expression>();
        var inner = new List<Expression>();
        Expression? rest = null;
        foreach (var conjunct in Conjuncts(select.Where))
        {
            if (!Mentions(conjunct, free))
            {
                rest = rest is null ? conjunct : new BinaryExpression(BinaryOperator.And, rest, conjunct, conjunct.Position);
                continue;
            }

            if (conjunct is not BinaryExpression { Operator: BinaryOperator.Equal } equal)
            {
                throw Decline($"a correlated {what} whose correlation is not an equality");
            }

            var (outerSide, innerSide) = IsOuterOnly(equal.Left, free) && !Mentions(equal.Right, free) ? (equal.Left, equal.Right)
                : IsOuterOnly(equal.Right, free) && !Mentions(equal.Left, free) ? (equal.Right, equal.Left)
                : throw Decline($"a correlated {what} whose equality mixes inner and outer columns on one side");
            outer.Add(outerSide);
            inner.Add(innerSide);
        }

        var decorrelated = select with { Where = rest };
        if (RelationNames.FreeQualifiers(query with { Body = decorrelated }).Count != 0)
        {
            throw Decline($"a correlated {what} that refers to the outer query outside WHERE equalities");
        }

        return (decorrelated, outer, inner);
    }

    private static IEnumerable<Expression> Conjuncts(Expression expression)
    {
        if (expression is BinaryExpression { Operator: BinaryOperator.And } and)
        {
            foreach (var left in Conjuncts(and.Left))
            {
                yield return left;
            }

            foreach (var right in Conjuncts(and.Right))
            {
                yield return right;
            }
        }
        else
        {
            yield return expression;
        }
    }

    private static bool Mentions(Expression expression, HashSet<string> qualifiers)
    {
        foreach (var column in RelationNames.Columns(expression))
        {
            if (RelationNames.QualifierOf(column) is { } qualifier && qualifiers.Contains(qualifier))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsOuterOnly(Expression expression, HashSet<string> qualifiers)
    {
        var columns = RelationNames.Columns(expression);
        if (columns.Count == 0)
        {
            return false;
        }

        foreach (var column in columns)
        {
            if (RelationNames.QualifierOf(column) is not { } qualifier || !qualifiers.Contains(qualifier))
            {
                return false;
            }
        }

        return true;
    }

    private static Expression Tuple(List<Expression> items, SourcePosition at) =>
        items.Count == 1 ? items[0] : new RowConstructor(SyntaxList.Create<Expression>([.. items]), at);

    private SqlUnsupportedException Decline(string reason) => new(dialect.Name, $"{reason}: {dialect.Name} has no correlated subqueries");
}
