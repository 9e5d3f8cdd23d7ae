using Hera.Sql.Lexing;
using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

// Design note.
//
// Lowering turns a Trino tree into a tree with the same meaning in one dialect, reading only the dialect's table
// (SqlDialect): functions become renamed calls or TemplateExpressions, integer division becomes $intdiv where `/`
// would give a fraction, interval arithmetic becomes date_add, casts that round in Trino but truncate in the
// dialect get round(), ordinals become the items they name, set operations are reshaped where the dialect reads
// them differently. Whatever has no exact form throws SqlUnsupportedException with the reason. Types come from the
// original Trino subtrees (TypeInference), so every rule asks for a type before it lowers the operands.
// Structural rewrites that move whole relations (ClickHouse's one join per SELECT, CTE inlining, semi-joins) run
// afterwards, in StructuralRewrites.

/// <summary>Lowers a Trino query to one dialect (see the design note); one instance per statement.</summary>
internal sealed partial class DialectLowering : SyntaxRewriter
{
    private static readonly Identifier StarAlias = new("_u", false, SourcePosition.Start);

    private readonly SqlDialect _dialect;
    private readonly TypeInference _types;

    // Operator forms looked up once per statement rather than per node.
    private readonly FunctionTemplate? _notBetween;
    private readonly FunctionTemplate? _decimalColumn;

    public DialectLowering(SqlDialect dialect, TypeInference types)
    {
        _dialect = dialect;
        _types = types;
        _notBetween = dialect.Functions.GetValueOrDefault("$not_between")?.Template;
        _decimalColumn = dialect.Functions.GetValueOrDefault("$decimal_column")?.Template;
    }

    /// <summary>True once the lowered query holds a LEFT, RIGHT or FULL join.</summary>
    public bool HasOuterJoin { get; private set; }

    public override Query RewriteQuery(Query query)
    {
        var orderBy = _dialect.SupportsOrdinals ? query.OrderBy : Map(query.OrderBy, item => ResolveOrdinal(item, query.Body));
        var lowered = base.RewriteQuery(query with { OrderBy = orderBy });
        if (!_dialect.OrdersSetOperationResult && lowered.Body is SetOperation
            && (!lowered.OrderBy.IsEmpty || lowered.Limit is not null || lowered.Offset is not null))
        {
            lowered = lowered with { Body = SelectAllFrom(new Query([], lowered.Body, [], null, null, lowered.Position), false) };
        }

        return lowered;
    }

    public override QueryBody RewriteSelect(Select select)
    {
        if (!_dialect.SupportsOrdinals && !select.GroupBy.IsEmpty)
        {
            select = select with { GroupBy = Map(select.GroupBy, expression => ItemAt(expression, select) ?? expression) };
        }

        return base.RewriteSelect(select);
    }

    public override QueryBody RewriteSetOperation(SetOperation set)
    {
        var all = set.Quantifier == SetQuantifier.All;
        if (set.Operator != SetOperator.Union && (!_dialect.SupportsIntersectExcept || (all && !_dialect.SupportsIntersectExceptAll)))
        {
            throw Decline($"{set.Operator.ToString().ToUpperInvariant()}{(all ? " ALL" : string.Empty)}: {_dialect.Name} has no such set operation");
        }

        var lowered = (SetOperation)base.RewriteSetOperation(set);
        if (!_dialect.SupportsParenthesisedSetOperands)
        {
            lowered = lowered with
            {
                Left = lowered.Left is NestedQuery || (lowered.Left is SetOperation left && Binds(left) < Binds(lowered))
                    ? WrapOperand(lowered.Left)
                    : lowered.Left,
                Right = lowered.Right is NestedQuery or SetOperation ? WrapOperand(lowered.Right) : lowered.Right,
            };
        }

        if (lowered.Operator == SetOperator.Union && !all && !_dialect.SupportsUnionDistinct)
        {
            var unionAll = lowered with { Quantifier = SetQuantifier.All };
            return SelectAllFrom(new Query([], unionAll, [], null, null, set.Position), true);
        }

        return lowered;
    }

    public override SelectItem RewriteSelectItem(SelectItem item)
    {
        var lowered = base.RewriteSelectItem(item);

        // A bare column that lowering wrapped (a decimal read as a double) keeps its output name.
        return item is SelectExpression { Alias: null, Expression: ColumnReference column } && lowered is SelectExpression { Expression: not ColumnReference } wrapped
            ? wrapped with { Alias = column.Name.Last }
            : lowered;
    }

    public override Relation RewriteRelation(Relation relation)
    {
        if (relation is JoinRelation { Kind: JoinKind.Left or JoinKind.Right or JoinKind.Full } outer)
        {
            HasOuterJoin = true;
            if (outer.Kind != JoinKind.Left && !_dialect.SupportsRightAndFullJoins)
            {
                throw Decline($"{outer.Kind.ToString().ToUpperInvariant()} JOIN: {_dialect.Name} is unreliable with it (write it as a LEFT JOIN)");
            }
        }

        if (relation is SubqueryRelation { Alias.Columns.IsEmpty: false } && !_dialect.SupportsDerivedColumnAliases)
        {
            var subquery = (SubqueryRelation)relation;
            return new SubqueryRelation(
                RenameOutputs(RewriteQuery(subquery.Query), subquery.Alias!.Columns),
                subquery.Alias with { Columns = SyntaxList<Identifier>.Empty },
                subquery.Position);
        }

        return base.RewriteRelation(relation);
    }

    public override CommonTableExpression RewriteCommonTableExpression(CommonTableExpression cte)
    {
        var lowered = base.RewriteCommonTableExpression(cte);
        return cte.Columns.IsEmpty || _dialect.SupportsDerivedColumnAliases
            ? lowered
            : lowered with { Query = RenameOutputs(lowered.Query, cte.Columns), Columns = SyntaxList<Identifier>.Empty };
    }

    /// <summary>Gives the outputs of <paramref name="query"/> the names <paramref name="columns"/> (for dialects without column alias lists).</summary>
    private Query RenameOutputs(Query query, SyntaxList<Identifier> columns)
    {
        if (query.Body is not Select select || select.Items.Count != columns.Count || select.Items.Any(item => item is SelectAll))
        {
            throw Decline("column aliases on a derived table or CTE over SELECT * or a set operation");
        }

        var items = new SelectItem[columns.Count];
        for (var i = 0; i < items.Length; i++)
        {
            var item = (SelectExpression)select.Items[i];
            items[i] = item with { Alias = columns[i] };
        }

        return query with { Body = select with { Items = SyntaxList.Create<SelectItem>(items) } };
    }

    private static int Binds(SetOperation set) => set.Operator == SetOperator.Intersect ? 2 : 1;

    private static QueryBody WrapOperand(QueryBody operand) => operand switch
    {
        NestedQuery nested => SelectAllFrom(nested.Query, false),
        _ => SelectAllFrom(new Query([], operand, [], null, null, operand.Position), false),
    };

    private static Select SelectAllFrom(Query query, bool distinct) => new(
        distinct,
        [new SelectAll(null, query.Position)],
        [new SubqueryRelation(query, new TableAlias(StarAlias, [], query.Position), query.Position)],
        null,
        [],
        null,
        query.Position);

    /// <summary>The select item an ordinal names, or null when <paramref name="expression"/> is no ordinal.</summary>
    private Expression? ItemAt(Expression expression, Select select)
    {
        if (expression is not IntegerLiteral ordinal)
        {
            return null;
        }

        return ordinal.Value >= 1 && ordinal.Value <= select.Items.Count && select.Items[(int)ordinal.Value - 1] is SelectExpression item
            ? item.Expression
            : throw Decline($"ordinal {ordinal.Value} does not name an expression of the select list");
    }

    private OrderItem ResolveOrdinal(OrderItem item, QueryBody body)
    {
        if (item.Expression is not IntegerLiteral ordinal)
        {
            return item;
        }

        var first = FirstSelect(body);
        if (first is null || ordinal.Value < 1 || ordinal.Value > first.Items.Count || first.Items[(int)ordinal.Value - 1] is not SelectExpression selected)
        {
            throw Decline($"ORDER BY {ordinal.Value} does not name an expression of the select list");
        }

        if (selected.Alias is { } alias)
        {
            return item with { Expression = new ColumnReference(new QualifiedName([alias], alias.Position), item.Position) };
        }

        if (body is Select || selected.Expression is ColumnReference)
        {
            return item with
            {
                Expression = body is Select ? selected.Expression
                    : new ColumnReference(new QualifiedName([((ColumnReference)selected.Expression).Name.Last], item.Position), item.Position),
            };
        }

        throw Decline($"ORDER BY {ordinal.Value} over a set operation names an unnamed expression");
    }

    private static Select? FirstSelect(QueryBody body) => body switch
    {
        Select select => select,
        SetOperation set => FirstSelect(set.Left),
        NestedQuery nested => FirstSelect(nested.Query.Body),
        _ => null,
    };

    private SqlUnsupportedException Decline(string reason) => new(_dialect.Name, reason);
}
