using System.Text;
using Hera.Sql.Syntax;

namespace Hera.Sql.Printing;

/// <summary>Queries, SELECT and relations.</summary>
public abstract partial class SqlPrinter
{
    /// <summary>Writes a query: WITH, body, ORDER BY, then <see cref="WriteOffsetAndLimit"/>.</summary>
    protected void WriteQuery(StringBuilder sb, Query query)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(query);
        if (!query.With.IsEmpty)
        {
            sb.Append(query.Recursive ? "WITH RECURSIVE " : "WITH ");
            WriteList(sb, query.With, _writeCommonTableExpression);
            sb.Append(' ');
        }

        WriteQueryBody(sb, query.Body);
        if (!query.OrderBy.IsEmpty)
        {
            sb.Append(" ORDER BY ");
            WriteList(sb, query.OrderBy, _writeOrderItem);
        }

        WriteOffsetAndLimit(sb, query);
    }

    /// <summary>Writes a SELECT, a set operation (parenthesising operands by precedence) or a nested query.</summary>
    protected void WriteQueryBody(StringBuilder sb, QueryBody body)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (body)
        {
            case Select select:
                WriteSelect(sb, select);
                break;
            case NestedQuery nested:
                WriteParenthesised(sb, nested.Query);
                break;
            case SetOperation set:
                WriteSetOperand(sb, set.Left, SetPrecedence(set.Operator));
                sb.Append(set.Operator switch
                {
                    SetOperator.Union => " UNION",
                    SetOperator.Intersect => " INTERSECT",
                    SetOperator.Except => " EXCEPT",
                    _ => " " + set.Operator.ToString().ToUpperInvariant(),
                });
                sb.Append(set.Quantifier switch
                {
                    SetQuantifier.All => " ALL ",
                    SetQuantifier.Distinct => " DISTINCT ",
                    _ => " ",
                });
                WriteSetOperand(sb, set.Right, SetPrecedence(set.Operator) + 1);
                break;
            default:
                throw Unprintable(body);
        }
    }

    /// <summary>
    /// Writes an ORDER BY item: the expression, ASC or DESC, NULLS FIRST or LAST as written; without NULLS, Trino's
    /// default (NULLS LAST) is written out where the dialect's default for the direction differs.
    /// </summary>
    protected void WriteOrderItem(StringBuilder sb, OrderItem item)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(item);
        WriteExpression(sb, item.Expression);
        sb.Append(item.Direction switch
        {
            SortDirection.Ascending => " ASC",
            SortDirection.Descending => " DESC",
            _ => string.Empty,
        });
        var nulls = item.Nulls;
        var firstByDefault = item.Direction == SortDirection.Descending ? Dialect.NullsFirstDescending : Dialect.NullsFirstAscending;
        if (nulls is null && firstByDefault)
        {
            nulls = NullsOrder.Last;
        }

        sb.Append(nulls switch
        {
            NullsOrder.First => " NULLS FIRST",
            NullsOrder.Last => " NULLS LAST",
            _ => string.Empty,
        });
    }

    /// <summary>Writes a relation of a FROM clause; a join on the right of a join is parenthesised.</summary>
    protected void WriteRelation(StringBuilder sb, Relation relation)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (relation)
        {
            case TableRelation table:
                WriteQualifiedName(sb, table.Name);
                WriteTableAlias(sb, table.Alias);
                break;
            case SubqueryRelation subquery:
                WriteParenthesised(sb, subquery.Query);
                WriteTableAlias(sb, subquery.Alias);
                break;
            case JoinRelation join:
                WriteJoin(sb, join);
                break;
            default:
                throw Unprintable(relation);
        }
    }

    private static int SetPrecedence(SetOperator op) => op == SetOperator.Intersect ? 2 : 1;

    private void WriteSetOperand(StringBuilder sb, QueryBody operand, int minimum)
    {
        var parenthesise = operand is SetOperation set && SetPrecedence(set.Operator) < minimum;
        sb.Append(parenthesise ? "(" : string.Empty);
        WriteQueryBody(sb, operand);
        sb.Append(parenthesise ? ")" : string.Empty);
    }

    private void WriteParenthesised(StringBuilder sb, Query query)
    {
        sb.Append('(');
        WriteQuery(sb, query);
        sb.Append(')');
    }

    private void WriteCommonTableExpression(StringBuilder sb, CommonTableExpression cte)
    {
        WriteIdentifier(sb, cte.Name);
        WriteColumnAliases(sb, cte.Columns);
        sb.Append(" AS ");
        WriteParenthesised(sb, cte.Query);
    }

    private void WriteColumnAliases(StringBuilder sb, SyntaxList<Identifier> columns)
    {
        if (!columns.IsEmpty)
        {
            sb.Append(" (");
            WriteList(sb, columns, _writeIdentifier);
            sb.Append(')');
        }
    }

    private void WriteSelect(StringBuilder sb, Select select)
    {
        sb.Append(select.Distinct ? "SELECT DISTINCT " : "SELECT ");
        WriteList(sb, select.Items, _writeSelectItem);
        if (!select.From.IsEmpty)
        {
            sb.Append(" FROM ");
            WriteList(sb, select.From, _writeRelation);
        }

        WriteClause(sb, " WHERE ", select.Where);
        if (!select.GroupBy.IsEmpty)
        {
            sb.Append(" GROUP BY ");
            WriteList(sb, select.GroupBy, _writeExpression);
        }

        WriteClause(sb, " HAVING ", select.Having);
    }

    private void WriteSelectItem(StringBuilder sb, SelectItem item)
    {
        switch (item)
        {
            case SelectAll { Qualifier: null }:
                sb.Append('*');
                break;
            case SelectAll all:
                WriteQualifiedName(sb, all.Qualifier);
                sb.Append(".*");
                break;
            case SelectExpression expression:
                WriteExpression(sb, expression.Expression);
                if (expression.Alias is not null)
                {
                    sb.Append(" AS ");
                    WriteIdentifier(sb, expression.Alias);
                }

                break;
            default:
                throw Unprintable(item);
        }
    }

    private void WriteTableAlias(StringBuilder sb, TableAlias? alias)
    {
        if (alias is not null)
        {
            sb.Append(" AS ");
            WriteIdentifier(sb, alias.Name);
            WriteColumnAliases(sb, alias.Columns);
        }
    }

    private void WriteJoin(StringBuilder sb, JoinRelation join)
    {
        WriteRelation(sb, join.Left);
        sb.Append(join.Kind switch
        {
            JoinKind.Inner => " JOIN ",
            JoinKind.Left => " LEFT JOIN ",
            JoinKind.Right => " RIGHT JOIN ",
            JoinKind.Full => " FULL JOIN ",
            _ => " CROSS JOIN ",
        });
        var nested = join.Right is JoinRelation;
        sb.Append(nested ? "(" : string.Empty);
        WriteRelation(sb, join.Right);
        sb.Append(nested ? ")" : string.Empty);
        switch (join.Criteria)
        {
            case JoinOn on:
                sb.Append(" ON ");
                WriteExpression(sb, on.Condition);
                break;
            case JoinUsing usingColumns:
                sb.Append(" USING (");
                WriteList(sb, usingColumns.Columns, _writeIdentifier);
                sb.Append(')');
                break;
        }
    }
}
