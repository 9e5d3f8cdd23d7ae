using System.Collections.Frozen;
using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// Infers the coarse <see cref="SqlValueType"/> of Trino expressions from literals, casts, operators, a table of
/// function result types, the column catalog, and the output columns of the query's own CTEs and derived tables
/// (collected once, by name, by <see cref="Collect"/>). One instance per statement; not thread-safe.
/// </summary>
internal sealed class TypeInference
{
    // How a function's result type follows from its arguments.
    private enum Rule
    {
        Integer,
        Double,
        String,
        Date,
        Timestamp,
        Boolean,
        FirstArgument,
        LastArgument,
        Sum,
    }

    private static readonly FrozenDictionary<string, Rule> Functions = new Dictionary<string, Rule>
    {
        ["count"] = Rule.Integer,
        ["count_if"] = Rule.Integer,
        ["approx_distinct"] = Rule.Integer,
        ["length"] = Rule.Integer,
        ["strpos"] = Rule.Integer,
        ["year"] = Rule.Integer,
        ["month"] = Rule.Integer,
        ["day"] = Rule.Integer,
        ["day_of_month"] = Rule.Integer,
        ["hour"] = Rule.Integer,
        ["minute"] = Rule.Integer,
        ["second"] = Rule.Integer,
        ["day_of_week"] = Rule.Integer,
        ["dow"] = Rule.Integer,
        ["day_of_year"] = Rule.Integer,
        ["doy"] = Rule.Integer,
        ["quarter"] = Rule.Integer,
        ["week"] = Rule.Integer,
        ["week_of_year"] = Rule.Integer,
        ["date_diff"] = Rule.Integer,
        ["sign"] = Rule.FirstArgument,
        ["avg"] = Rule.Double,
        ["stddev"] = Rule.Double,
        ["stddev_samp"] = Rule.Double,
        ["stddev_pop"] = Rule.Double,
        ["variance"] = Rule.Double,
        ["var_samp"] = Rule.Double,
        ["var_pop"] = Rule.Double,
        ["sqrt"] = Rule.Double,
        ["ln"] = Rule.Double,
        ["log10"] = Rule.Double,
        ["log2"] = Rule.Double,
        ["exp"] = Rule.Double,
        ["power"] = Rule.Double,
        ["pow"] = Rule.Double,
        ["random"] = Rule.Double,
        ["rand"] = Rule.Double,
        ["lower"] = Rule.String,
        ["upper"] = Rule.String,
        ["substr"] = Rule.String,
        ["substring"] = Rule.String,
        ["concat"] = Rule.String,
        ["trim"] = Rule.String,
        ["ltrim"] = Rule.String,
        ["rtrim"] = Rule.String,
        ["replace"] = Rule.String,
        ["reverse"] = Rule.String,
        ["lpad"] = Rule.String,
        ["rpad"] = Rule.String,
        ["sum"] = Rule.Sum,
        ["min"] = Rule.FirstArgument,
        ["max"] = Rule.FirstArgument,
        ["abs"] = Rule.FirstArgument,
        ["round"] = Rule.FirstArgument,
        ["floor"] = Rule.FirstArgument,
        ["ceil"] = Rule.FirstArgument,
        ["ceiling"] = Rule.FirstArgument,
        ["truncate"] = Rule.FirstArgument,
        ["coalesce"] = Rule.FirstArgument,
        ["nullif"] = Rule.FirstArgument,
        ["greatest"] = Rule.FirstArgument,
        ["least"] = Rule.FirstArgument,
        ["any_value"] = Rule.FirstArgument,
        ["arbitrary"] = Rule.FirstArgument,
        ["mod"] = Rule.FirstArgument,
        ["date_trunc"] = Rule.LastArgument,
        ["date_add"] = Rule.LastArgument,
        ["date"] = Rule.Date,
        ["current_date"] = Rule.Date,
        ["last_day_of_month"] = Rule.Date,
        ["now"] = Rule.Timestamp,
        ["from_unixtime"] = Rule.Timestamp,
        ["starts_with"] = Rule.Boolean,
        ["regexp_like"] = Rule.Boolean,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private readonly SqlColumnTypes _catalog;
    private readonly Dictionary<string, SqlValueType> _derived = new(StringComparer.OrdinalIgnoreCase);

    public TypeInference(SqlColumnTypes catalog) => _catalog = catalog;

    /// <summary>Records the output column types of every CTE and derived table of <paramref name="query"/>, inner first.</summary>
    public void Collect(Query query)
    {
        foreach (var cte in query.With)
        {
            Collect(cte.Query);
            RecordColumnAliases(cte.Columns, cte.Query);
        }

        CollectBody(query.Body);
    }

    /// <summary>The type of <paramref name="expression"/> (a Trino expression, before lowering).</summary>
    public SqlValueType TypeOf(Expression expression) => expression switch
    {
        IntegerLiteral => SqlValueType.Integer,
        DecimalLiteral => SqlValueType.Decimal,
        DoubleLiteral => SqlValueType.Double,
        StringLiteral => SqlValueType.String,
        BooleanLiteral => SqlValueType.Boolean,
        NullLiteral => SqlValueType.Null,
        IntervalLiteral => SqlValueType.Interval,
        TypedLiteral typed => SqlColumnTypes.FromTypeName(typed.Type),
        ColumnReference column => ColumnType(column.Name.Last.Value),
        CastExpression cast => SqlColumnTypes.FromTypeName(cast.Type.Name),
        BinaryExpression binary => BinaryType(binary),
        UnaryExpression unary => unary.Operator == UnaryOperator.Not ? SqlValueType.Boolean : TypeOf(unary.Operand),
        CaseExpression c => CaseType(c),
        FunctionCall call => CallType(call),
        ExtractExpression => SqlValueType.Integer,
        CurrentDateTime current => current.Name == "CURRENT_DATE" ? SqlValueType.Date : SqlValueType.Timestamp,
        SubqueryExpression subquery => FirstColumnType(subquery.Query.Body),
        IsNullExpression or BetweenExpression or LikeExpression or InListExpression or InSubqueryExpression
            or ExistsExpression => SqlValueType.Boolean,
        _ => SqlValueType.Unknown,
    };

    /// <summary>True for integer types, and for NULL (which divides like anything else).</summary>
    public static bool IsInteger(SqlValueType type) => type is SqlValueType.Integer or SqlValueType.Null;

    /// <summary>True for DECIMAL and DOUBLE.</summary>
    public static bool IsFractional(SqlValueType type) => type is SqlValueType.Decimal or SqlValueType.Double;

    private SqlValueType ColumnType(string name) =>
        _derived.TryGetValue(name, out var type) ? type : _catalog.Find(name);

    private SqlValueType BinaryType(BinaryExpression binary)
    {
        switch (binary.Operator)
        {
            case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide
                or BinaryOperator.Modulo:
                return Arithmetic(TypeOf(binary.Left), TypeOf(binary.Right));
            case BinaryOperator.Concat:
                return SqlValueType.String;
            default:
                return SqlValueType.Boolean;
        }
    }

    private static SqlValueType Arithmetic(SqlValueType left, SqlValueType right)
    {
        if (left is SqlValueType.Date or SqlValueType.Timestamp && right == SqlValueType.Interval)
        {
            return left;
        }

        if (right is SqlValueType.Date or SqlValueType.Timestamp && left == SqlValueType.Interval)
        {
            return right;
        }

        if (left == SqlValueType.Double || right == SqlValueType.Double)
        {
            return SqlValueType.Double;
        }

        if (left == SqlValueType.Decimal || right == SqlValueType.Decimal)
        {
            return SqlValueType.Decimal;
        }

        if (IsInteger(left) && IsInteger(right))
        {
            return left == SqlValueType.Null && right == SqlValueType.Null ? SqlValueType.Null : SqlValueType.Integer;
        }

        return SqlValueType.Unknown;
    }

    private SqlValueType CaseType(CaseExpression c)
    {
        foreach (var when in c.Whens)
        {
            var type = TypeOf(when.Result);
            if (type != SqlValueType.Null)
            {
                return type;
            }
        }

        return c.Else is null ? SqlValueType.Null : TypeOf(c.Else);
    }

    private SqlValueType CallType(FunctionCall call)
    {
        if (call.Name.Parts.Count != 1 || !Functions.TryGetValue(call.Name.Last.Value, out var rule))
        {
            return SqlValueType.Unknown;
        }

        var arguments = call.Arguments;
        return rule switch
        {
            Rule.Integer => SqlValueType.Integer,
            Rule.Double => SqlValueType.Double,
            Rule.String => SqlValueType.String,
            Rule.Date => SqlValueType.Date,
            Rule.Timestamp => SqlValueType.Timestamp,
            Rule.Boolean => SqlValueType.Boolean,
            Rule.LastArgument => arguments.IsEmpty ? SqlValueType.Unknown : TypeOf(arguments[^1]),
            Rule.Sum => arguments.IsEmpty ? SqlValueType.Unknown : TypeOf(arguments[0]),
            _ => FirstKnown(arguments),
        };
    }

    private SqlValueType FirstKnown(SyntaxList<Expression> arguments)
    {
        foreach (var argument in arguments)
        {
            var type = TypeOf(argument);
            if (type != SqlValueType.Null)
            {
                return type;
            }
        }

        return arguments.IsEmpty ? SqlValueType.Unknown : SqlValueType.Null;
    }

    private SqlValueType FirstColumnType(QueryBody body) => body switch
    {
        Select { Items: [SelectExpression item, ..] } => TypeOf(item.Expression),
        SetOperation set => FirstColumnType(set.Left),
        NestedQuery nested => FirstColumnType(nested.Query.Body),
        _ => SqlValueType.Unknown,
    };

    private void CollectBody(QueryBody body)
    {
        switch (body)
        {
            case Select select:
                foreach (var relation in select.From)
                {
                    CollectRelation(relation);
                }

                foreach (var item in select.Items)
                {
                    if (item is SelectExpression { Alias: { } alias } expression)
                    {
                        Record(alias.Value, TypeOf(expression.Expression));
                    }
                }

                break;
            case SetOperation set:
                CollectBody(set.Left);
                CollectBody(set.Right);
                break;
            case NestedQuery nested:
                Collect(nested.Query);
                break;
        }
    }

    private void CollectRelation(Relation relation)
    {
        switch (relation)
        {
            case SubqueryRelation subquery:
                Collect(subquery.Query);
                RecordColumnAliases(subquery.Alias?.Columns ?? SyntaxList<Identifier>.Empty, subquery.Query);
                break;
            case JoinRelation join:
                CollectRelation(join.Left);
                CollectRelation(join.Right);
                break;
        }
    }

    private void RecordColumnAliases(SyntaxList<Identifier> columns, Query query)
    {
        if (columns.IsEmpty || query.Body is not Select select)
        {
            return;
        }

        for (var i = 0; i < columns.Count && i < select.Items.Count; i++)
        {
            Record(columns[i].Value, select.Items[i] is SelectExpression item ? TypeOf(item.Expression) : SqlValueType.Unknown);
        }
    }

    private void Record(string name, SqlValueType type)
    {
        var catalogType = _catalog.Find(name);
        if (catalogType != SqlValueType.Unknown && catalogType != type)
        {
            type = SqlValueType.Unknown;
        }

        _derived[name] = _derived.TryGetValue(name, out var seen) && seen != type ? SqlValueType.Unknown : type;
    }
}
