using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary><c>value IS [NOT] NULL</c>.</summary>
/// <param name="Value">The tested value.</param>
/// <param name="Negated">True for IS NOT NULL.</param>
/// <param name="Position">Where IS is.</param>
public sealed record IsNullExpression(Expression Value, bool Negated, SourcePosition Position) : Expression(Position);

/// <summary><c>value [NOT] BETWEEN low AND high</c> (both bounds inclusive).</summary>
/// <param name="Value">The tested value.</param>
/// <param name="Low">The lower bound.</param>
/// <param name="High">The upper bound.</param>
/// <param name="Negated">True for NOT BETWEEN.</param>
/// <param name="Position">Where NOT or BETWEEN is.</param>
public sealed record BetweenExpression(Expression Value, Expression Low, Expression High, bool Negated, SourcePosition Position)
    : Expression(Position);

/// <summary><c>value [NOT] LIKE pattern [ESCAPE escape]</c>.</summary>
/// <param name="Value">The tested string.</param>
/// <param name="Pattern">The pattern, with <c>%</c> and <c>_</c> wildcards.</param>
/// <param name="Escape">The escape character, or null.</param>
/// <param name="Negated">True for NOT LIKE.</param>
/// <param name="Position">Where NOT or LIKE is.</param>
public sealed record LikeExpression(Expression Value, Expression Pattern, Expression? Escape, bool Negated, SourcePosition Position)
    : Expression(Position);

/// <summary><c>value [NOT] IN (item, ...)</c>.</summary>
/// <param name="Value">The tested value.</param>
/// <param name="Items">The list, at least one item.</param>
/// <param name="Negated">True for NOT IN.</param>
/// <param name="Position">Where NOT or IN is.</param>
public sealed record InListExpression(Expression Value, SyntaxList<Expression> Items, bool Negated, SourcePosition Position)
    : Expression(Position);

/// <summary><c>value [NOT] IN (query)</c>.</summary>
/// <param name="Value">The tested value.</param>
/// <param name="Query">The subquery, one column.</param>
/// <param name="Negated">True for NOT IN.</param>
/// <param name="Position">Where NOT or IN is.</param>
public sealed record InSubqueryExpression(Expression Value, Query Query, bool Negated, SourcePosition Position)
    : Expression(Position);
