using System.Globalization;
using Hera.Sql.Lexing;
using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>Expressions: functions, operators, casts and literals.</summary>
internal sealed partial class DialectLowering
{
    public override Expression RewriteExpression(Expression expression)
    {
        switch (expression)
        {
            case BinaryExpression binary:
                return LowerBinary(binary);
            case CastExpression cast:
                return LowerCast(cast);
            case TypedLiteral typed:
                return LowerTypedLiteral(typed);
            case ExtractExpression extract:
                return RewriteFunctionCall(Call(ExtractFunction(extract.Field), extract.Position, extract.Value));
            case CurrentDateTime current when Find("$" + current.Name.ToLowerInvariant(), null) is { Template: { } template }:
                return new TemplateExpression(template, [], current.Position);
            case IntervalLiteral when !_dialect.SupportsIntervalValues:
                throw Decline("an INTERVAL value outside date arithmetic");
            case LikeExpression { Escape: not null } when !_dialect.SupportsLikeEscape:
                throw Decline("LIKE ... ESCAPE");
            case BetweenExpression { Negated: true } between when _notBetween is { } notBetween:
                return new TemplateExpression(
                    notBetween,
                    [RewriteExpression(between.Value), RewriteExpression(between.Low), RewriteExpression(between.High)],
                    between.Position);
            case ColumnReference column when _decimalColumn is { } decimalColumn && _types.TypeOf(column) == SqlValueType.Decimal:
                return new TemplateExpression(decimalColumn, [column], column.Position);
            default:
                return base.RewriteExpression(expression);
        }
    }

    public override Expression RewriteFunctionCall(FunctionCall call)
    {
        var name = call.Name.Parts.Count == 1 ? call.Name.Last.Value.ToLowerInvariant() : null;
        if (call.Over is not null && !_dialect.SupportsWindowFunctions)
        {
            throw Decline($"window functions ({name ?? "a function"} OVER ...): {_dialect.Name} has none");
        }

        // The temporal argument decides between a mapping's date and timestamp forms; typed before lowering.
        var temporal = call.Arguments.IsEmpty ? SqlValueType.Unknown
            : _types.TypeOf(call.Arguments[call.Arguments[0] is StringLiteral ? ^1 : 0]);
        var lowered = (FunctionCall)base.RewriteFunctionCall(call);
        if (lowered.Filter is not null && !_dialect.SupportsAggregateFilter)
        {
            lowered = FilterAsCase(lowered);
        }

        var mapping = name is null ? null : Find(name, lowered);
        if (mapping is null)
        {
            return lowered;
        }

        if (mapping.Unsupported is { } reason)
        {
            throw Decline($"{name}: {reason}");
        }

        var arguments = lowered.Arguments;
        if (mapping.FoldPairwise && arguments.Count > 2)
        {
            return Fold(mapping, lowered);
        }

        if (mapping.Template is null)
        {
            var reordered = mapping.ArgumentOrder is { } order ? Reorder(arguments, order) : arguments;
            return lowered with { Name = Name(mapping.Name, call.Position), Arguments = reordered };
        }

        if (lowered.Distinct || lowered.Over is not null || lowered.Filter is not null)
        {
            throw Decline($"{name} with DISTINCT, FILTER or OVER");
        }

        return Fill(PickTemplate(mapping, name!, temporal), arguments, call.Position, name!);
    }

    private TemplateExpression Fill(FunctionTemplate template, SyntaxList<Expression> arguments, SourcePosition position, string what) =>
        template.MaxIndex < arguments.Count
            ? new TemplateExpression(template, arguments, position)
            : throw Decline($"{what} with {arguments.Count} argument(s): the {_dialect.Name} form needs {template.MaxIndex + 1}");

    private FunctionTemplate PickTemplate(FunctionMapping mapping, string name, SqlValueType temporal)
    {
        if (mapping.TimestampTemplate is null)
        {
            return mapping.Template!;
        }

        return temporal switch
        {
            SqlValueType.Timestamp => mapping.TimestampTemplate,
            SqlValueType.Date or SqlValueType.Null => mapping.Template!,
            _ => throw Decline($"{name}: cannot tell whether its argument is a DATE or a TIMESTAMP, and {_dialect.Name} writes them differently (cast it)"),
        };
    }

    /// <summary>
    /// The mapping for a call: <c>name:unit</c> when the first argument is a string literal, then <c>name/arity</c>,
    /// then <c>name</c>.
    /// </summary>
    private FunctionMapping? Find(string name, FunctionCall? call)
    {
        var functions = _dialect.Functions;
        if (call is not null && _dialect.VariantNames.Contains(name))
        {
            if (!call.Arguments.IsEmpty && call.Arguments[0] is StringLiteral unit
                && functions.TryGetValue(string.Concat(name, ":", unit.Value.ToLowerInvariant()), out var byUnit))
            {
                return byUnit;
            }

            if (functions.TryGetValue(string.Concat(name, "/", call.Arguments.Count.ToString(CultureInfo.InvariantCulture)), out var byArity))
            {
                return byArity;
            }
        }

        return functions.TryGetValue(name, out var mapping) ? mapping : null;
    }

    private Expression Fold(FunctionMapping mapping, FunctionCall call)
    {
        var arguments = call.Arguments;
        var folded = arguments[^1];
        for (var i = arguments.Count - 2; i >= 0; i--)
        {
            folded = new FunctionCall(Name(mapping.Name, call.Position), [arguments[i], folded], false, false, null, null, call.Position);
        }

        return folded;
    }

    private static FunctionCall FilterAsCase(FunctionCall call)
    {
        var condition = call.Filter!;
        var value = call.Star || call.Arguments.IsEmpty ? new IntegerLiteral(1, call.Position) : call.Arguments[0];
        var guarded = new CaseExpression(null, [new WhenClause(condition, value, call.Position)], null, call.Position);
        var arguments = call.Arguments.Count > 1 ? SyntaxList.Create<Expression>([guarded, .. call.Arguments.Skip(1)]) : [guarded];
        return call with { Arguments = arguments, Star = false, Filter = null };
    }

    private Expression LowerBinary(BinaryExpression binary)
    {
        switch (binary.Operator)
        {
            case BinaryOperator.Divide when !_dialect.IntegerDivisionTruncates:
                return LowerDivision(binary);
            case BinaryOperator.Add or BinaryOperator.Subtract when binary.Right is IntervalLiteral interval:
                return RewriteFunctionCall(DateAdd(interval, binary.Operator == BinaryOperator.Subtract, binary.Left, binary.Position));
            case BinaryOperator.Add when binary.Left is IntervalLiteral interval:
                return RewriteFunctionCall(DateAdd(interval, false, binary.Right, binary.Position));
            case BinaryOperator.IsDistinctFrom or BinaryOperator.IsNotDistinctFrom:
                var key = binary.Operator == BinaryOperator.IsDistinctFrom ? "$is_distinct_from" : "$is_not_distinct_from";
                if (Find(key, null) is { Template: { } template })
                {
                    return new TemplateExpression(template, [RewriteExpression(binary.Left), RewriteExpression(binary.Right)], binary.Position);
                }

                break;
        }

        return base.RewriteExpression(binary);
    }

    private Expression LowerDivision(BinaryExpression binary)
    {
        var left = _types.TypeOf(binary.Left);
        var right = _types.TypeOf(binary.Right);
        if (TypeInference.IsInteger(left) && TypeInference.IsInteger(right))
        {
            var intDiv = Find("$intdiv", null)?.Template ?? throw Decline("integer division");
            return new TemplateExpression(intDiv, [RewriteExpression(binary.Left), RewriteExpression(binary.Right)], binary.Position);
        }

        if (TypeInference.IsFractional(left) || TypeInference.IsFractional(right))
        {
            return base.RewriteExpression(binary);
        }

        throw Decline(
            $"division of operands of unknown type: {_dialect.Name}'s / always gives a fraction while Trino's truncates integers (cast an operand to DOUBLE or BIGINT)");
    }

    private FunctionCall DateAdd(IntervalLiteral interval, bool subtract, Expression value, SourcePosition position)
    {
        if (interval.To is not null || !long.TryParse(interval.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var amount))
        {
            throw Decline($"INTERVAL '{interval.Value}' in date arithmetic (only a whole number of one unit has an exact form)");
        }

        amount = interval.Negative ^ subtract ? -amount : amount;
        Expression count = amount < 0
            ? new UnaryExpression(UnaryOperator.Negate, new IntegerLiteral(-amount, position), position)
            : new IntegerLiteral(amount, position);
        var unit = new StringLiteral(interval.From.ToString().ToLowerInvariant(), position);
        return Call("date_add", position, unit, count, value);
    }

    private Expression LowerCast(CastExpression cast)
    {
        var source = _types.TypeOf(cast.Value);
        var value = RewriteExpression(cast.Value);
        var target = SqlColumnTypes.FromTypeName(cast.Type.Name);
        if (!_dialect.CastToIntegerRounds && target == SqlValueType.Integer && (TypeInference.IsFractional(source) || source == SqlValueType.Unknown))
        {
            if (source == SqlValueType.Unknown)
            {
                throw Decline($"CAST to {cast.Type.Name} of a value of unknown type: Trino rounds fractions, {_dialect.Name} truncates them");
            }

            value = Call("round", cast.Position, value);
        }

        var key = string.Concat(cast.Try ? "$try_cast:" : "$cast:", cast.Type.Name);
        var mapping = Find(key, null);
        if (mapping is { Unsupported: { } reason })
        {
            throw Decline($"{(cast.Try ? "TRY_CAST" : "CAST")} to {cast.Type.Name}: {reason}");
        }

        if (mapping?.Template is { } template)
        {
            var arguments = new List<Expression> { value };
            foreach (var argument in cast.Type.Arguments)
            {
                arguments.Add(argument is NumericTypeArgument number ? new IntegerLiteral(number.Value, cast.Position) : throw Decline($"CAST to {cast.Type.Name} with type parameters"));
            }

            return Fill(template, SyntaxList.Create<Expression>([.. arguments]), cast.Position, "CAST to " + cast.Type.Name);
        }

        if (cast.Try && Find("$try_cast", null) is { Unsupported: { } tryReason })
        {
            throw Decline($"TRY_CAST: {tryReason}");
        }

        return cast with { Value = value };
    }

    private Expression LowerTypedLiteral(TypedLiteral typed)
    {
        var invariant = CultureInfo.InvariantCulture;
        switch (typed.Type)
        {
            case "DATE":
                if (!DateOnly.TryParseExact(typed.Value.Trim(), "yyyy-MM-dd", invariant, DateTimeStyles.None, out var date))
                {
                    throw Decline($"DATE '{typed.Value}' is not a yyyy-MM-dd date");
                }

                CheckRange(date, typed.Value);
                return typed with { Value = date.ToString("yyyy-MM-dd", invariant) };
            case "TIMESTAMP":
                if (!DateTime.TryParse(typed.Value.Trim(), invariant, DateTimeStyles.None, out var timestamp))
                {
                    throw Decline($"TIMESTAMP '{typed.Value}' is not a timestamp this rewriter reads");
                }

                CheckRange(DateOnly.FromDateTime(timestamp), typed.Value);
                var format = timestamp.Millisecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.fff";
                return typed with { Value = timestamp.ToString(format, invariant) };
            default:
                var type = new DataType(typed.Type, [], false, typed.Position);
                return LowerCast(new CastExpression(new StringLiteral(typed.Value, typed.Position), type, false, typed.Position));
        }
    }

    private void CheckRange(DateOnly date, string text)
    {
        if (_dialect.DateRange is { } range && (date < range.Min || date > range.Max))
        {
            throw Decline($"'{text}' is outside the dates {_dialect.Name} can hold ({range.Min:yyyy-MM-dd} to {range.Max:yyyy-MM-dd})");
        }
    }

    private static string ExtractFunction(string field) => field switch
    {
        "DOW" => "day_of_week",
        "DOY" => "day_of_year",
        "DAY_OF_MONTH" => "day",
        _ => field.ToLowerInvariant(),
    };

    private static SyntaxList<Expression> Reorder(SyntaxList<Expression> arguments, IReadOnlyList<int> order)
    {
        var result = new Expression[order.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = arguments[order[i]];
        }

        return SyntaxList.Create<Expression>(result);
    }

    private static QualifiedName Name(string name, SourcePosition position) => new([new Identifier(name, false, position)], position);

    private static FunctionCall Call(string name, SourcePosition position, params Expression[] arguments) =>
        new(Name(name, position), SyntaxList.Create<Expression>(arguments), false, false, null, null, position);
}
