using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// Rebuilds a syntax tree bottom-up, node by node; derived rewriters override the hooks for the nodes they change
/// and call the base to rewrite children. Nodes whose children did not change are rebuilt anyway (records are
/// cheap); callers treat the result as a new tree.
/// </summary>
internal abstract class SyntaxRewriter
{
    // The hooks as delegates, bound once per rewriter: a method group passed to Map would allocate a delegate on
    // every call, for every list of every node.
    private readonly Func<CommonTableExpression, CommonTableExpression> _rewriteCommonTableExpression;
    private readonly Func<OrderItem, OrderItem> _rewriteOrderItem;
    private readonly Func<SelectItem, SelectItem> _rewriteSelectItem;
    private readonly Func<Relation, Relation> _rewriteRelation;
    private readonly Func<Expression, Expression> _rewriteExpression;
    private readonly Func<WhenClause, WhenClause> _rewriteWhen;

    /// <summary>Binds the hooks (as overridden) for the lists of the tree.</summary>
    protected SyntaxRewriter()
    {
        _rewriteCommonTableExpression = RewriteCommonTableExpression;
        _rewriteOrderItem = RewriteOrderItem;
        _rewriteSelectItem = RewriteSelectItem;
        _rewriteRelation = RewriteRelation;
        _rewriteExpression = RewriteExpression;
        _rewriteWhen = w => w with { Condition = RewriteExpression(w.Condition), Result = RewriteExpression(w.Result) };
    }

    /// <summary>Rewrites a query: its CTEs, body, ORDER BY, OFFSET and LIMIT.</summary>
    public virtual Query RewriteQuery(Query query) => query with
    {
        With = Map(query.With, _rewriteCommonTableExpression),
        Body = RewriteBody(query.Body),
        OrderBy = Map(query.OrderBy, _rewriteOrderItem),
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
        Items = Map(select.Items, _rewriteSelectItem),
        From = Map(select.From, _rewriteRelation),
        Where = RewriteOptional(select.Where),
        GroupBy = Map(select.GroupBy, _rewriteExpression),
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
            Whens = Map(c.Whens, _rewriteWhen),
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
        InListExpression inList => inList with { Value = RewriteExpression(inList.Value), Items = Map(inList.Items, _rewriteExpression) },
        InSubqueryExpression inQuery => inQuery with { Value = RewriteExpression(inQuery.Value), Query = RewriteQuery(inQuery.Query) },
        SubqueryExpression subquery => subquery with { Query = RewriteQuery(subquery.Query) },
        ExistsExpression exists => exists with { Query = RewriteQuery(exists.Query) },
        RowConstructor row => row with { Items = Map(row.Items, _rewriteExpression) },
        ExtractExpression extract => extract with { Value = RewriteExpression(extract.Value) },
        TemplateExpression template => template with { Arguments = Map(template.Arguments, _rewriteExpression) },
        _ => expression,
    };

    /// <summary>Rewrites a call's arguments, FILTER and OVER.</summary>
    public virtual Expression RewriteFunctionCall(FunctionCall call) => call with
    {
        Arguments = Map(call.Arguments, _rewriteExpression),
        Filter = RewriteOptional(call.Filter),
        Over = call.Over is null ? null : call.Over with
        {
            PartitionBy = Map(call.Over.PartitionBy, _rewriteExpression),
            OrderBy = Map(call.Over.OrderBy, _rewriteOrderItem),
        },
    };

    /// <summary>Rewrites <paramref name="expression"/> when present.</summary>
    protected Expression? RewriteOptional(Expression? expression) => expression is null ? null : RewriteExpression(expression);

    /// <summary>
    /// The list of <paramref name="items"/> through <paramref name="map"/>, in order: <paramref name="items"/> itself
    /// when every element maps to itself (a list of leaves), else a new list.
    /// </summary>
    protected static SyntaxList<TOut> Map<TIn, TOut>(SyntaxList<TIn> items, Func<TIn, TOut> map)
        where TIn : class
        where TOut : class
    {
        if (items.IsEmpty)
        {
            return SyntaxList<TOut>.Empty;
        }

        TOut[]? result = null;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var mapped = map(item);
            if (result is null && ReferenceEquals(mapped, item) && items is SyntaxList<TOut>)
            {
                continue;
            }

            if (result is null)
            {
                result = new TOut[items.Count];
                for (var j = 0; j < i; j++)
                {
                    result[j] = (TOut)(object)items[j];
                }
            }

            result[i] = mapped;
        }

        return result is null ? (SyntaxList<TOut>)(object)items : SyntaxList<TOut>.Adopt(result);
    }
}
