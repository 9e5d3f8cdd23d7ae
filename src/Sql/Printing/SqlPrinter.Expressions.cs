using System.Globalization;
using System.Text;
using Hera.Sql.Syntax;

namespace Hera.Sql.Printing;

/// <summary>Expressions, with parentheses by precedence.</summary>
public abstract partial class SqlPrinter
{
    /// <summary>Writes an expression, parenthesising operands only where precedence needs it.</summary>
    protected void WriteExpression(StringBuilder sb, Expression expression)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (expression)
        {
            case Literal literal:
                WriteLiteral(sb, literal);
                break;
            case ColumnReference column:
                WriteQualifiedName(sb, column.Name);
                break;
            case BoundParameter parameter:
                sb.Append('@').Append(parameter.Name);
                break;
            case FunctionCall call:
                WriteFunctionCall(sb, call);
                break;
            case BinaryExpression binary:
                WriteBinary(sb, binary);
                break;
            case UnaryExpression unary:
                WriteUnary(sb, unary);
                break;
            case CaseExpression caseExpression:
                WriteCase(sb, caseExpression);
                break;
            case CastExpression cast:
                sb.Append(cast.Try ? "TRY_CAST(" : "CAST(");
                WriteExpression(sb, cast.Value);
                sb.Append(" AS ");
                WriteDataType(sb, cast.Type);
                sb.Append(')');
                break;
            default:
                WriteOtherExpression(sb, expression);
                break;
        }
    }

    /// <summary>Writes an OVER window: <c>(PARTITION BY ... ORDER BY ... frame)</c>.</summary>
    protected void WriteWindow(StringBuilder sb, WindowSpecification window)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(window);
        sb.Append('(');
        var separator = string.Empty;
        if (!window.PartitionBy.IsEmpty)
        {
            sb.Append("PARTITION BY ");
            WriteList(sb, window.PartitionBy, _writeExpression);
            separator = " ";
        }

        if (!window.OrderBy.IsEmpty)
        {
            sb.Append(separator).Append("ORDER BY ");
            WriteList(sb, window.OrderBy, _writeOrderItem);
            separator = " ";
        }

        if (window.Frame is { } frame)
        {
            sb.Append(separator).Append(frame.Unit switch
            {
                FrameUnit.Rows => "ROWS",
                FrameUnit.Range => "RANGE",
                FrameUnit.Groups => "GROUPS",
                _ => frame.Unit.ToString().ToUpperInvariant(),
            }).Append(' ');
            if (frame.End is null)
            {
                WriteFrameBound(sb, frame.Start);
            }
            else
            {
                sb.Append("BETWEEN ");
                WriteFrameBound(sb, frame.Start);
                sb.Append(" AND ");
                WriteFrameBound(sb, frame.End);
            }
        }

        sb.Append(')');
    }

    private static Precedence PrecedenceOf(Expression expression) => expression switch
    {
        BinaryExpression binary => binary.Operator switch
        {
            BinaryOperator.Or => Precedence.Or,
            BinaryOperator.And => Precedence.And,
            BinaryOperator.Concat => Precedence.Concat,
            BinaryOperator.Add or BinaryOperator.Subtract => Precedence.Additive,
            BinaryOperator.Multiply or BinaryOperator.Divide or BinaryOperator.Modulo => Precedence.Multiplicative,
            _ => Precedence.Predicate,
        },
        UnaryExpression unary => unary.Operator == UnaryOperator.Not ? Precedence.Not : Precedence.Unary,
        IsNullExpression or BetweenExpression or LikeExpression or InListExpression or InSubqueryExpression =>
            Precedence.Predicate,
        _ => Precedence.Primary,
    };

    private void WriteOperand(StringBuilder sb, Expression operand, Precedence minimum)
    {
        if (PrecedenceOf(operand) >= minimum)
        {
            WriteExpression(sb, operand);
            return;
        }

        sb.Append('(');
        WriteExpression(sb, operand);
        sb.Append(')');
    }

    private void WriteBinary(StringBuilder sb, BinaryExpression binary)
    {
        var precedence = PrecedenceOf(binary);

        // Left-associative levels take an equal operand on the left bare; predicates do not chain at all.
        var left = precedence == Precedence.Predicate ? Precedence.Concat : precedence;
        WriteOperand(sb, binary.Left, left);
        sb.Append(binary.Operator switch
        {
            BinaryOperator.Or => " OR ",
            BinaryOperator.And => " AND ",
            BinaryOperator.Equal => " = ",
            BinaryOperator.NotEqual => " <> ",
            BinaryOperator.LessThan => " < ",
            BinaryOperator.LessThanOrEqual => " <= ",
            BinaryOperator.GreaterThan => " > ",
            BinaryOperator.GreaterThanOrEqual => " >= ",
            BinaryOperator.IsDistinctFrom => " IS DISTINCT FROM ",
            BinaryOperator.IsNotDistinctFrom => " IS NOT DISTINCT FROM ",
            BinaryOperator.Concat => " || ",
            BinaryOperator.Add => " + ",
            BinaryOperator.Subtract => " - ",
            BinaryOperator.Multiply => " * ",
            BinaryOperator.Divide => " / ",
            _ => " % ",
        });
        WriteOperand(sb, binary.Right, precedence + 1);
    }

    private void WriteUnary(StringBuilder sb, UnaryExpression unary)
    {
        if (unary.Operator == UnaryOperator.Not)
        {
            sb.Append("NOT ");
            WriteOperand(sb, unary.Operand, Precedence.Not);
            return;
        }

        sb.Append(unary.Operator == UnaryOperator.Negate ? '-' : '+');

        // A signed operand is parenthesised: "--x" would start a comment.
        var minimum = unary.Operand is UnaryExpression { Operator: not UnaryOperator.Not } ? Precedence.Primary : Precedence.Unary;
        WriteOperand(sb, unary.Operand, minimum);
    }

    private void WriteCase(StringBuilder sb, CaseExpression caseExpression)
    {
        sb.Append("CASE");
        if (caseExpression.Operand is not null)
        {
            sb.Append(' ');
            WriteExpression(sb, caseExpression.Operand);
        }

        foreach (var when in caseExpression.Whens)
        {
            sb.Append(" WHEN ");
            WriteExpression(sb, when.Condition);
            sb.Append(" THEN ");
            WriteExpression(sb, when.Result);
        }

        WriteClause(sb, " ELSE ", caseExpression.Else);
        sb.Append(" END");
    }

    private void WriteOtherExpression(StringBuilder sb, Expression expression)
    {
        switch (expression)
        {
            case IsNullExpression isNull:
                WriteOperand(sb, isNull.Value, Precedence.Concat);
                sb.Append(isNull.Negated ? " IS NOT NULL" : " IS NULL");
                break;
            case BetweenExpression between:
                WriteOperand(sb, between.Value, Precedence.Concat);
                sb.Append(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
                WriteOperand(sb, between.Low, Precedence.Concat);
                sb.Append(" AND ");
                WriteOperand(sb, between.High, Precedence.Concat);
                break;
            case LikeExpression like:
                WriteOperand(sb, like.Value, Precedence.Concat);
                sb.Append(like.Negated ? " NOT LIKE " : " LIKE ");
                WriteOperand(sb, like.Pattern, Precedence.Concat);
                if (like.Escape is not null)
                {
                    sb.Append(" ESCAPE ");
                    WriteOperand(sb, like.Escape, Precedence.Concat);
                }

                break;
            case InListExpression inList:
                WriteOperand(sb, inList.Value, Precedence.Concat);
                sb.Append(inList.Negated ? " NOT IN (" : " IN (");
                WriteList(sb, inList.Items, _writeExpression);
                sb.Append(')');
                break;
            case InSubqueryExpression inQuery:
                WriteOperand(sb, inQuery.Value, Precedence.Concat);
                sb.Append(inQuery.Negated ? " NOT IN " : " IN ");
                WriteParenthesised(sb, inQuery.Query);
                break;
            default:
                WritePrimaryForm(sb, expression);
                break;
        }
    }

    private void WritePrimaryForm(StringBuilder sb, Expression expression)
    {
        switch (expression)
        {
            case SubqueryExpression subquery:
                WriteParenthesised(sb, subquery.Query);
                break;
            case ExistsExpression exists:
                sb.Append("EXISTS ");
                WriteParenthesised(sb, exists.Query);
                break;
            case RowConstructor row:
                sb.Append(row.Items.Count == 1 ? "ROW(" : "(");
                WriteList(sb, row.Items, _writeExpression);
                sb.Append(')');
                break;
            case ExtractExpression extract:
                sb.Append("EXTRACT(").Append(extract.Field).Append(" FROM ");
                WriteExpression(sb, extract.Value);
                sb.Append(')');
                break;
            case TemplateExpression template:
                WriteTemplate(sb, template);
                break;
            case CurrentDateTime current:
                sb.Append(current.Name);
                if (current.Precision is { } precision)
                {
                    sb.Append('(').Append(precision.ToString(CultureInfo.InvariantCulture)).Append(')');
                }

                break;
            default:
                throw Unprintable(expression);
        }
    }

    private void WriteTemplate(StringBuilder sb, TemplateExpression template)
    {
        var arguments = template.Arguments;
        foreach (var part in template.Template.Parts)
        {
            switch (part.Kind)
            {
                case TemplatePartKind.Text:
                    sb.Append(part.Text);
                    break;
                case TemplatePartKind.Argument:
                    WriteOperand(sb, arguments[part.Index], Precedence.Primary);
                    break;
                case TemplatePartKind.AllArguments:
                    WriteList(sb, arguments, _writeExpression);
                    break;
                case TemplatePartKind.Concatenated:
                    for (var i = 0; i < arguments.Count; i++)
                    {
                        sb.Append(i > 0 ? " || " : string.Empty);
                        WriteOperand(sb, arguments[i], Precedence.Primary);
                    }

                    break;
                default:
                    for (var i = 0; i < arguments.Count; i++)
                    {
                        sb.Append(i > 0 ? " OR " : string.Empty);
                        WriteOperand(sb, arguments[i], Precedence.Primary);
                        sb.Append(" IS NULL");
                    }

                    break;
            }
        }
    }

    private void WriteFrameBound(StringBuilder sb, FrameBound bound)
    {
        if (bound.Offset is not null)
        {
            WriteExpression(sb, bound.Offset);
            sb.Append(' ');
        }

        sb.Append(bound.Kind switch
        {
            FrameBoundKind.UnboundedPreceding => "UNBOUNDED PRECEDING",
            FrameBoundKind.Preceding => "PRECEDING",
            FrameBoundKind.CurrentRow => "CURRENT ROW",
            FrameBoundKind.Following => "FOLLOWING",
            _ => "UNBOUNDED FOLLOWING",
        });
    }
}
