using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// Rebuilds a syntax tree bottom-up, node by node; derived rewriters override the hooks for the nodes they change
/// and call the base to rewrite children. An expression, select item, ORDER BY item or list whose children all come
/// back as the same instances is returned itself rather than copied (most of a tree is unchanged by any one rewrite,
/// and collectors built on this class change nothing); queries, SELECTs and relations are rebuilt. The tree is
/// immutable, so callers treat the result as a new tree either way.
/// </summary>
internal abstract class SyntaxRewriter
{
    // The hooks as delegates, bound on first use per rewriter: a method group passed to Map would allocate a
    // delegate on every call, for every list of every node; binding eagerly would cost short-lived collectors.
    private Func<CommonTableExpression, CommonTableExpression>? _rewriteCommonTableExpression;
    private Func<OrderItem, OrderItem>? _rewriteOrderItem;
    private Func<SelectItem, SelectItem>? _rewriteSelectItem;
    private Func<Relation, Relation>? _rewriteRelation;
    private Func<Expression, Expression>? _rewriteExpression;
    private Func<WhenClause, WhenClause>? _rewriteWhen;

    /// <summary>Rewrites a query: its CTEs, body, ORDER BY, OFFSET and LIMIT.</summary>
    public virtual Query RewriteQuery(Query query) => query with
    {
        With = Map(query.With, _rewriteCommonTableExpression ??= RewriteCommonTableExpression),
        Body = RewriteBody(query.Body),
        OrderBy = Map(query.OrderBy, _rewriteOrderItem ??= RewriteOrderItem),
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
        Items = Map(select.Items, _rewriteSelectItem ??= RewriteSelectItem),
        From = Map(select.From, _rewriteRelation ??= RewriteRelation),
        Where = RewriteOptional(select.Where),
        GroupBy = Map(select.GroupBy, _rewriteExpression ??= RewriteExpression),
        Having = RewriteOptional(select.Having),
    };

    /// <summary>Rewrites a select item's expression.</summary>
    public virtual SelectItem RewriteSelectItem(SelectItem item)
    {
        if (item is not SelectExpression expression)
        {
            return item;
        }

        var rewritten = RewriteExpression(expression.Expression);
        return Same(rewritten, expression.Expression) ? item : expression with { Expression = rewritten };
    }

    /// <summary>Rewrites an ORDER BY item's expression.</summary>
    public virtual OrderItem RewriteOrderItem(OrderItem item)
    {
        var rewritten = RewriteExpression(item.Expression);
        return Same(rewritten, item.Expression) ? item : item with { Expression = rewritten };
    }

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

    /// <summary>Rewrites an expression and its operands, left to right.</summary>
    public virtual Expression RewriteExpression(Expression expression) => expression switch
    {
        BinaryExpression binary => RewriteBinary(binary),
        UnaryExpression unary => RewriteUnary(unary),
        FunctionCall call => RewriteFunctionCall(call),
        CaseExpression c => RewriteCase(c),
        CastExpression cast => RewriteCast(cast),
        IsNullExpression isNull => RewriteIsNull(isNull),
        BetweenExpression between => RewriteBetween(between),
        LikeExpression like => RewriteLike(like),
        InListExpression inList => RewriteInList(inList),
        InSubqueryExpression inQuery => inQuery with { Value = RewriteExpression(inQuery.Value), Query = RewriteQuery(inQuery.Query) },
        SubqueryExpression subquery => subquery with { Query = RewriteQuery(subquery.Query) },
        ExistsExpression exists => exists with { Query = RewriteQuery(exists.Query) },
        RowConstructor row => row with { Items = Map(row.Items, _rewriteExpression ??= RewriteExpression) },
        ExtractExpression extract => extract with { Value = RewriteExpression(extract.Value) },
        TemplateExpression template => template with { Arguments = Map(template.Arguments, _rewriteExpression ??= RewriteExpression) },
        _ => expression,
    };

    /// <summary>Rewrites a call's arguments, FILTER and OVER.</summary>
    public virtual Expression RewriteFunctionCall(FunctionCall call)
    {
        var arguments = Map(call.Arguments, _rewriteExpression ??= RewriteExpression);
        var filter = RewriteOptional(call.Filter);
        var over = call.Over;
        if (over is not null)
        {
            var partitionBy = Map(over.PartitionBy, _rewriteExpression ??= RewriteExpression);
            var orderBy = Map(over.OrderBy, _rewriteOrderItem ??= RewriteOrderItem);
            over = Same(partitionBy, over.PartitionBy) && Same(orderBy, over.OrderBy)
                ? over
                : over with { PartitionBy = partitionBy, OrderBy = orderBy };
        }

        return Same(arguments, call.Arguments) && Same(filter, call.Filter) && Same(over, call.Over)
            ? call
            : call with { Arguments = arguments, Filter = filter, Over = over };
    }

    /// <summary>Rewrites <paramref name="expression"/> when present.</summary>
    protected Expression? RewriteOptional(Expression? expression) => expression is null ? null : RewriteExpression(expression);

    /// <summary>True when a rewrite gave back the very instance it was given (nothing below it changed).</summary>
    protected static bool Same(object? rewritten, object? original) => ReferenceEquals(rewritten, original);

    private Expression RewriteBinary(BinaryExpression binary)
    {
        var left = RewriteExpression(binary.Left);
        var right = RewriteExpression(binary.Right);
        return Same(left, binary.Left) && Same(right, binary.Right) ? binary : binary with { Left = left, Right = right };
    }

    private Expression RewriteUnary(UnaryExpression unary)
    {
        var operand = RewriteExpression(unary.Operand);
        return Same(operand, unary.Operand) ? unary : unary with { Operand = operand };
    }

    private Expression RewriteCase(CaseExpression c)
    {
        var operand = RewriteOptional(c.Operand);
        var whens = Map(c.Whens, _rewriteWhen ??= RewriteWhen);
        var otherwise = RewriteOptional(c.Else);
        return Same(operand, c.Operand) && Same(whens, c.Whens) && Same(otherwise, c.Else)
            ? c
            : c with { Operand = operand, Whens = whens, Else = otherwise };
    }

    private WhenClause RewriteWhen(WhenClause when)
    {
        var condition = RewriteExpression(when.Condition);
        var result = RewriteExpression(when.Result);
        return Same(condition, when.Condition) && Same(result, when.Result) ? when : when with { Condition = condition, Result = result };
    }

    private Expression RewriteCast(CastExpression cast)
    {
        var value = RewriteExpression(cast.Value);
        return Same(value, cast.Value) ? cast : cast with { Value = value };
    }

    private Expression RewriteIsNull(IsNullExpression isNull)
    {
        var value = RewriteExpression(isNull.Value);
        return Same(value, isNull.Value) ? isNull : isNull with { Value = value };
    }

    private Expression RewriteBetween(BetweenExpression between)
    {
        var value = RewriteExpression(between.Value);
        var low = RewriteExpression(between.Low);
        var high = RewriteExpression(between.High);
        return Same(value, between.Value) && Same(low, between.Low) && Same(high, between.High)
            ? between
            : between with { Value = value, Low = low, High = high };
    }

    private Expression RewriteLike(LikeExpression like)
    {
        var value = RewriteExpression(like.Value);
        var pattern = RewriteExpression(like.Pattern);
        var escape = RewriteOptional(like.Escape);
        return Same(value, like.Value) && Same(pattern, like.Pattern) && Same(escape, like.Escape)
            ? like
            : like with { Value = value, Pattern = pattern, Escape = escape };
    }

    private Expression RewriteInList(InListExpression inList)
    {
        var value = RewriteExpression(inList.Value);
        var items = Map(inList.Items, _rewriteExpression ??= RewriteExpression);
        return Same(value, inList.Value) && Same(items, inList.Items) ? inList : inList with { Value = value, Items = items };
    }

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
