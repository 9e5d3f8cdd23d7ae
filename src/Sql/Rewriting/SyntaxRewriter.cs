using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// Rebuilds a syntax tree bottom-up, node by node; derived rewriters override the hooks for the nodes they change
/// and call the base to rewrite children. Nodes whose children did not change are rebuilt anyway (records are
/// cheap); callers treat the result as a new tree.
/// </summary>
internal abstract class SyntaxRewriter
{
    /// <summary>Rewrites a query: its CTEs, body, ORDER BY, OFFSET and LIMIT.</summary>
    public virtual Query RewriteQuery(Query query) => query with
    {
        With = Map(query.With, RewriteCommonTableExpression),
        Body = RewriteBody(query.Body),
        OrderBy = Map(query.OrderBy, RewriteOrderItem),
    };

    /// <summary>Rewrites a CTE's query.</summary>
    public virtual CommonTableExpression RewriteCommonTableExpression(CommonTableExpression cte) =>
        cte with { Query = RewriteQuery(cte.Query) };

    /// <summary>Rewrites a query body.</summary>
    public virtual QueryBody RewriteBody(QueryBody body) => body switch
    {
        Select select => RewriteSelect(select),
        SetOperation set => RewriteSetOperation(set),
        NestedQuery nested => nested with { Query = RewriteQuery(nested.Query) },
        _ => body,
    };

    /// <summary>Rewrites a set operation's operands.</summary>
    public virtual QueryBody RewriteSetOperation(SetOperation set) =>
        set with { Left = RewriteBody(set.Left), Right = RewriteBody(set.Right) };

    /// <summary>Rewrites every clause of a SELECT.</summary>
    public virtual QueryBody RewriteSelect(Select select) => select with
    {
        Items = Map(select.Items, RewriteSelectItem),
        From = Map(select.From, RewriteRelation),
        Where = RewriteOptional(select.Where),
        GroupBy = Map(select.GroupBy, RewriteExpression),
        Having = RewriteOptional(select.Having),
    };

    /// <summary>Rewrites a select item's expression.</summary>
    public virtual SelectItem RewriteSelectItem(SelectItem item) => item is SelectExpression expression
        ? expression with { Expression = RewriteExpression(expression.Expression) }
        : item;

    /// <summary>Rewrites an ORDER BY item's expression.</summary>
    public virtual OrderItem RewriteOrderItem(OrderItem item) => item with { Expression = RewriteExpression(item.Expression) };

    /// <summary>Rewrites a relation: derived tables' queries, joins' sides and conditions.</summary>
    public virtual Relation RewriteRelation(Relation relation) => relation switch
    {
        SubqueryRelation subquery => subquery with { Query = RewriteQuery(subquery.Query) },
        JoinRelation join => join with
        {
            Left = RewriteRelation(join.Left),
            Right = RewriteRelation(join.Right),
            Criteria = join.Criteria is JoinOn on ? on with { Condition = RewriteExpression(on.Condition) } : join.Criteria,
        },
        _ => relation,
    };

    /// <summary>Rewrites an expression and its operands.</summary>
    public virtual Expression RewriteExpression(Expression expression) => expression switch
    {
        BinaryExpression binary => binary with { Left = RewriteExpression(binary.Left), Right = RewriteExpression(binary.Right) },
        UnaryExpression unary => unary with { Operand = RewriteExpression(unary.Operand) },
        FunctionCall call => RewriteFunctionCall(call),
        CaseExpression c => c with
        {
            Operand = RewriteOptional(c.Operand),
            Whens = Map(c.Whens, w => w with { Condition = RewriteExpression(w.Condition), Result = RewriteExpression(w.Result) }),
            Else = RewriteOptional(c.Else),
        },
        CastExpression cast => cast with { Value = RewriteExpression(cast.Value) },
        IsNullExpression isNull => isNull with { Value = RewriteExpression(isNull.Value) },
        BetweenExpression between => between with
        {
            Value = RewriteExpression(between.Value),
            Low = RewriteExpression(between.Low),
            High = RewriteExpression(between.High),
        },
        LikeExpression like => like with
        {
            Value = RewriteExpression(like.Value),
            Pattern = RewriteExpression(like.Pattern),
            Escape = RewriteOptional(like.Escape),
        },
        InListExpression inList => inList with { Value = RewriteExpression(inList.Value), Items = Map(inList.Items, RewriteExpression) },
        InSubqueryExpression inQuery => inQuery with { Value = RewriteExpression(inQuery.Value), Query = RewriteQuery(inQuery.Query) },
        SubqueryExpression subquery => subquery with { Query = RewriteQuery(subquery.Query) },
        ExistsExpression exists => exists with { Query = RewriteQuery(exists.Query) },
        RowConstructor row => row with { Items = Map(row.Items, RewriteExpression) },
        ExtractExpression extract => extract with { Value = RewriteExpression(extract.Value) },
        TemplateExpression template => template with { Arguments = Map(template.Arguments, RewriteExpression) },
        _ => expression,
    };

    /// <summary>Rewrites a call's arguments, FILTER and OVER.</summary>
    public virtual Expression RewriteFunctionCall(FunctionCall call) => call with
    {
        Arguments = Map(call.Arguments, RewriteExpression),
        Filter = RewriteOptional(call.Filter),
        Over = call.Over is null ? null : call.Over with
        {
            PartitionBy = Map(call.Over.PartitionBy, RewriteExpression),
            OrderBy = Map(call.Over.OrderBy, RewriteOrderItem),
        },
    };

    /// <summary>Rewrites <paramref name="expression"/> when present.</summary>
    protected Expression? RewriteOptional(Expression? expression) => expression is null ? null : RewriteExpression(expression);

    /// <summary>A new list of <paramref name="items"/> through <paramref name="map"/>, in order.</summary>
    protected static SyntaxList<TOut> Map<TIn, TOut>(SyntaxList<TIn> items, Func<TIn, TOut> map)
    {
        if (items.IsEmpty)
        {
            return SyntaxList<TOut>.Empty;
        }

        var result = new TOut[items.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = map(items[i]);
        }

        return SyntaxList.Create<TOut>(result);
    }
}
