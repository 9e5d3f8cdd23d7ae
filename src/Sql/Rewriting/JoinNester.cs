using System.Globalization;
using Hera.Sql.Lexing;
using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

// Design note.
//
// ClickHouse 18.16 takes one JOIN per SELECT and only equalities in ON. For each SELECT this rewriter:
// 1. turns a comma-separated FROM into a join chain, taking WHERE equalities that link a relation to those before it
//    as its ON (inner join: exact), else a CROSS JOIN;
// 2. makes every ON a conjunction of equalities: other conditions of an INNER join move to WHERE; those of a LEFT
//    join that read only its right side move into a derived table around that side; anything else is declined;
// 3. while the chain holds more joins than allowed, replaces its left part by a derived table `_jN` exposing each
//    qualified column the rest of the SELECT reads as `qualifier__column` (18.16 resolves qualified names through
//    nested joins poorly, so the outer query uses these unique unqualified names), plus `*` when some column is
//    unqualified or the join is USING. Select items that were bare qualified columns keep their output name.

/// <summary>Nests joins and normalises ON conditions for dialects with <see cref="SqlDialect.MaxJoinsPerSelect"/> limits.</summary>
internal sealed class JoinNester(SqlDialect dialect) : SyntaxRewriter
{
    private int _derived;

    public override Query RewriteQuery(Query query)
    {
        if (query.Body is not Select select)
        {
            return base.RewriteQuery(query);
        }

        var with = Map(query.With, RewriteCommonTableExpression);
        var children = (Select)base.RewriteSelect(select);
        var (nested, orderBy) = Nest(children, Map(query.OrderBy, RewriteOrderItem));
        return query with { With = with, Body = nested, OrderBy = orderBy };
    }

    public override QueryBody RewriteSelect(Select select) => Nest((Select)base.RewriteSelect(select), []).Select;

    private (Select Select, SyntaxList<OrderItem> OrderBy) Nest(Select select, SyntaxList<OrderItem> orderBy, bool generated = false)
    {
        if (select.From.IsEmpty)
        {
            return (select, orderBy);
        }

        var where = select.Where;
        var from = select.From.Count > 1 ? ChainCommaList(select.From, ref where) : select.From[0];
        if (dialect.JoinOnEqualitiesOnly)
        {
            from = FixConditions(from, ref where);
        }

        select = select with { From = [from], Where = where };
        if (from is not JoinRelation join || JoinCount(join) <= dialect.MaxJoinsPerSelect)
        {
            return (select, orderBy);
        }

        return NestLeft(select, join, orderBy, generated);
    }

    // `generated` is true for a derived table this rewriter made, whose * only passes columns through to the query
    // above (extra columns are harmless there); a * the caller wrote would gain the exposed columns, so it is declined.
    private (Select Select, SyntaxList<OrderItem> OrderBy) NestLeft(Select select, JoinRelation join, SyntaxList<OrderItem> orderBy, bool generated)
    {
        var needStar = join.Criteria is JoinUsing;
        foreach (var item in select.Items)
        {
            if (item is SelectAll all)
            {
                needStar = generated && all.Qualifier is null
                    ? true
                    : throw Decline("SELECT * over more than one join (the columns of each table are not known here)");
            }
        }

        var innerNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        RelationNames.AddDefined(join.Left, innerNames);
        var references = new List<ColumnReference>();
        foreach (var item in select.Items)
        {
            if (item is SelectExpression expression)
            {
                references.AddRange(RelationNames.Columns(expression.Expression));
            }
        }

        AddColumns(references, select.Where, select.Having, (join.Criteria as JoinOn)?.Condition);
        foreach (var expression in select.GroupBy)
        {
            references.AddRange(RelationNames.Columns(expression));
        }

        foreach (var item in orderBy)
        {
            references.AddRange(RelationNames.Columns(item.Expression));
        }

        var at = join.Position;
        var exposed = new List<SelectItem>();
        var renames = new Dictionary<(string, string), string>();
        var aliases = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in select.Items)
        {
            if (item is SelectExpression { Alias: { } itemAlias })
            {
                aliases.Add(itemAlias.Value);
            }
        }

        foreach (var column in references)
        {
            var qualifier = RelationNames.QualifierOf(column);

            // An unqualified name may be any table's column, so the nested tables pass all theirs on; not for a
            // select alias (ORDER BY revenue).
            needStar |= qualifier is null && !aliases.Contains(column.Name.Last.Value);
            if (qualifier is not null && innerNames.Contains(qualifier))
            {
                var key = (qualifier.ToLowerInvariant(), column.Name.Last.Value);
                if (!renames.ContainsKey(key))
                {
                    var name = string.Concat(qualifier, "__", column.Name.Last.Value);
                    renames[key] = name;
                    exposed.Add(new SelectExpression(column, new Identifier(name, false, at), at));
                }
            }
        }

        if (needStar || exposed.Count == 0)
        {
            exposed.Insert(0, new SelectAll(null, at));
        }

        var inner = Nest(new Select(false, SyntaxList.Create<SelectItem>([.. exposed]), [join.Left], null, [], null, at), [], generated: true).Select;
        var alias = new TableAlias(new Identifier("_j" + (++_derived).ToString(CultureInfo.InvariantCulture), false, at), [], at);
        var renamer = new ColumnRenamer(renames);
        var outerJoin = join with
        {
            Left = new SubqueryRelation(new Query([], inner, [], null, null, at), alias, at),
            Criteria = join.Criteria is JoinOn on ? on with { Condition = renamer.RewriteExpression(on.Condition) } : join.Criteria,
        };
        var renamed = select with
        {
            Items = Map(select.Items, item => item is SelectExpression expression ? RenameItem(expression, renamer) : item),
            From = [outerJoin],
            Where = renamer.Optional(select.Where),
            GroupBy = Map(select.GroupBy, renamer.RewriteExpression),
            Having = renamer.Optional(select.Having),
        };
        return (renamed, Map(orderBy, item => item with { Expression = renamer.RewriteExpression(item.Expression) }));
    }

    private static SelectItem RenameItem(SelectExpression item, ColumnRenamer renamer)
    {
        var expression = renamer.RewriteExpression(item.Expression);
        var alias = item.Alias ?? (item.Expression is ColumnReference column && !ReferenceEquals(expression, column) ? column.Name.Last : null);
        return item with { Expression = expression, Alias = alias };
    }

    private static void AddColumns(List<ColumnReference> references, params Expression?[] expressions)
    {
        foreach (var expression in expressions)
        {
            if (expression is not null)
            {
                references.AddRange(RelationNames.Columns(expression));
            }
        }
    }

    private static int JoinCount(Relation relation) =>
        relation is JoinRelation join ? 1 + JoinCount(join.Left) + JoinCount(join.Right) : 0;

    /// <summary>FROM a, b, c as a join chain, WHERE equalities between a relation and those before it as ON.</summary>
    private static Relation ChainCommaList(SyntaxList<Relation> relations, ref Expression? where)
    {
        var left = relations[0];
        var leftNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        RelationNames.AddDefined(left, leftNames);
        for (var i = 1; i < relations.Count; i++)
        {
            var right = relations[i];
            var rightNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            RelationNames.AddDefined(right, rightNames);
            Expression? on = null;
            Expression? rest = null;
            foreach (var conjunct in Conjuncts(where))
            {
                if (conjunct is BinaryExpression { Operator: BinaryOperator.Equal } equal && Links(equal, leftNames, rightNames))
                {
                    on = And(on, conjunct);
                }
                else
                {
                    rest = And(rest, conjunct);
                }
            }

            where = rest;
            left = on is null
                ? new JoinRelation(JoinKind.Cross, left, right, null, right.Position)
                : new JoinRelation(JoinKind.Inner, left, right, new JoinOn(on, right.Position), right.Position);
            leftNames.UnionWith(rightNames);
        }

        return left;
    }

    /// <summary>Leaves only equalities between the two sides in each ON (see the design note).</summary>
    private Relation FixConditions(Relation relation, ref Expression? where)
    {
        if (relation is not JoinRelation join)
        {
            return relation;
        }

        if (join.Right is JoinRelation)
        {
            throw Decline("a join nested on the right side of a join");
        }

        var left = FixConditions(join.Left, ref where);
        if (join.Criteria is not JoinOn on)
        {
            return join with { Left = left };
        }

        var leftNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        RelationNames.AddDefined(left, leftNames);
        var rightNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        RelationNames.AddDefined(join.Right, rightNames);
        Expression? keys = null;
        Expression? others = null;
        foreach (var conjunct in Conjuncts(on.Condition))
        {
            var isKey = conjunct is BinaryExpression { Operator: BinaryOperator.Equal } equal
                && (Links(equal, leftNames, rightNames) || AllUnqualified(equal));
            keys = isKey ? And(keys, conjunct) : keys;
            others = isKey ? others : And(others, conjunct);
        }

        if (others is null)
        {
            return join with { Left = left };
        }

        switch (join.Kind)
        {
            case JoinKind.Inner:
                where = And(where, others);
                return keys is null
                    ? new JoinRelation(JoinKind.Cross, left, join.Right, null, join.Position)
                    : join with { Left = left, Criteria = on with { Condition = keys } };
            case JoinKind.Left when keys is not null && OnlyQualifiedBy(others, rightNames):
                var right = FilterRight(join.Right, others);
                return join with { Left = left, Right = right, Criteria = on with { Condition = keys } };
            default:
                throw Decline($"a {join.Kind.ToString().ToUpperInvariant()} JOIN whose ON is not only equalities between its two sides");
        }
    }

    private Relation FilterRight(Relation right, Expression condition)
    {
        var name = RelationNames.NameOf(right) ?? throw Decline("a LEFT JOIN condition on an unnamed derived table");
        var at = right.Position;
        var filtered = new Select(false, [new SelectAll(null, at)], [right], condition, [], null, at);
        return new SubqueryRelation(new Query([], filtered, [], null, null, at), new TableAlias(new Identifier(name, false, at), [], at), at);
    }

    private static bool Links(BinaryExpression equal, HashSet<string> leftNames, HashSet<string> rightNames) =>
        (OnlyQualifiedBy(equal.Left, leftNames) && OnlyQualifiedBy(equal.Right, rightNames))
        || (OnlyQualifiedBy(equal.Left, rightNames) && OnlyQualifiedBy(equal.Right, leftNames));

    private static bool AllUnqualified(BinaryExpression equal)
    {
        var columns = RelationNames.Columns(equal);
        return columns.Count > 0 && columns.TrueForAll(column => RelationNames.QualifierOf(column) is null);
    }

    private static bool OnlyQualifiedBy(Expression expression, HashSet<string> names)
    {
        var columns = RelationNames.Columns(expression);
        return columns.Count > 0
            && columns.TrueForAll(column => RelationNames.QualifierOf(column) is { } qualifier && names.Contains(qualifier));
    }

    private static List<Expression> Conjuncts(Expression? expression)
    {
        var result = new List<Expression>();
        Collect(expression, result);
        return result;

        static void Collect(Expression? expression, List<Expression> result)
        {
            if (expression is BinaryExpression { Operator: BinaryOperator.And } and)
            {
                Collect(and.Left, result);
                Collect(and.Right, result);
            }
            else if (expression is not null)
            {
                result.Add(expression);
            }
        }
    }

    private static Expression And(Expression? left, Expression right) =>
        left is null ? right : new BinaryExpression(BinaryOperator.And, left, right, right.Position);

    private SqlUnsupportedException Decline(string reason) => new(dialect.Name, $"{reason}: {dialect.Name} cannot express it");

    /// <summary>Renames qualified columns of the nested relations to their exposed names; leaves subqueries alone.</summary>
    private sealed class ColumnRenamer(Dictionary<(string, string), string> renames) : SyntaxRewriter
    {
        public override Query RewriteQuery(Query query) => query;

        public Expression? Optional(Expression? expression) => RewriteOptional(expression);

        public override Expression RewriteExpression(Expression expression)
        {
            if (expression is ColumnReference column && RelationNames.QualifierOf(column) is { } qualifier
                && renames.TryGetValue((qualifier.ToLowerInvariant(), column.Name.Last.Value), out var name))
            {
                return new ColumnReference(new QualifiedName([new Identifier(name, false, column.Position)], column.Position), column.Position);
            }

            return base.RewriteExpression(expression);
        }
    }
}
