using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>
/// A value expression. Parentheses written around an expression are not kept as nodes: the tree's shape records
/// the grouping, and the printer adds parentheses where precedence needs them.
/// </summary>
/// <param name="Position">Where the expression is (for an operator, the operator token).</param>
public abstract record Expression(SourcePosition Position) : SyntaxNode(Position);

/// <summary>A column, possibly qualified: <c>order_id</c>, <c>o.order_id</c>, <c>shop.orders.order_id</c>.</summary>
/// <param name="Name">The name.</param>
/// <param name="Position">Where the first part is.</param>
public sealed record ColumnReference(QualifiedName Name, SourcePosition Position) : Expression(Position);

/// <summary>A scalar subquery: <c>(SELECT max(dt) FROM orders)</c>.</summary>
/// <param name="Query">The query, which must return one column and at most one row.</param>
/// <param name="Position">Where the opening parenthesis is.</param>
public sealed record SubqueryExpression(Query Query, SourcePosition Position) : Expression(Position);

/// <summary><c>[NOT] EXISTS (query)</c> is <c>NOT</c> over this node.</summary>
/// <param name="Query">The subquery.</param>
/// <param name="Position">Where EXISTS is.</param>
public sealed record ExistsExpression(Query Query, SourcePosition Position) : Expression(Position);

/// <summary>A row value: <c>(a, b)</c> or <c>ROW(a, b)</c>.</summary>
/// <param name="Items">The fields, at least two for the parenthesised form, at least one for <c>ROW(...)</c>.</param>
/// <param name="Position">Where ROW or the opening parenthesis is.</param>
public sealed record RowConstructor(SyntaxList<Expression> Items, SourcePosition Position) : Expression(Position);

/// <summary><c>CAST(value AS type)</c>, or <c>TRY_CAST</c>, which gives NULL where CAST fails.</summary>
/// <param name="Value">The value to convert.</param>
/// <param name="Type">The target type.</param>
/// <param name="Try">True for TRY_CAST.</param>
/// <param name="Position">Where CAST or TRY_CAST is.</param>
public sealed record CastExpression(Expression Value, DataType Type, bool Try, SourcePosition Position) : Expression(Position);

/// <summary><c>EXTRACT(field FROM value)</c>.</summary>
/// <param name="Field">The field upper-cased: <c>YEAR</c>, <c>MONTH</c>, <c>DAY</c>, <c>HOUR</c>, <c>DOW</c>, ....</param>
/// <param name="Value">The date, time or timestamp.</param>
/// <param name="Position">Where EXTRACT is.</param>
public sealed record ExtractExpression(string Field, Expression Value, SourcePosition Position) : Expression(Position);

/// <summary>
/// <c>CURRENT_DATE</c>, <c>CURRENT_TIME</c>, <c>CURRENT_TIMESTAMP</c>, <c>LOCALTIME</c> or <c>LOCALTIMESTAMP</c>,
/// with an optional precision: <c>CURRENT_TIMESTAMP(3)</c>.
/// </summary>
/// <param name="Name">The keyword, upper-case.</param>
/// <param name="Precision">The fractional-second precision, or null.</param>
/// <param name="Position">Where the keyword is.</param>
public sealed record CurrentDateTime(string Name, long? Precision, SourcePosition Position) : Expression(Position);

/// <summary><c>CASE [operand] WHEN ... THEN ... [ELSE ...] END</c>: simple with an operand, searched without.</summary>
/// <param name="Operand">The value compared with each WHEN value, or null for a searched CASE.</param>
/// <param name="Whens">The WHEN clauses, at least one, in order.</param>
/// <param name="Else">The ELSE result, or null (NULL).</param>
/// <param name="Position">Where CASE is.</param>
public sealed record CaseExpression(
    Expression? Operand,
    SyntaxList<WhenClause> Whens,
    Expression? Else,
    SourcePosition Position) : Expression(Position);

/// <summary><c>WHEN condition THEN result</c> of a <see cref="CaseExpression"/>.</summary>
/// <param name="Condition">The condition, or the value compared with the operand of a simple CASE.</param>
/// <param name="Result">The result when it matches.</param>
/// <param name="Position">Where WHEN is.</param>
public sealed record WhenClause(Expression Condition, Expression Result, SourcePosition Position) : SyntaxNode(Position);
