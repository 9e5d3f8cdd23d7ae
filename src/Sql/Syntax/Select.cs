using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>
/// <c>SELECT [DISTINCT] items [FROM relations] [WHERE condition] [GROUP BY expressions] [HAVING condition]</c>.
/// </summary>
/// <param name="Distinct">True for <c>SELECT DISTINCT</c> (<c>SELECT ALL</c> is read as plain SELECT).</param>
/// <param name="Items">The select list, at least one item.</param>
/// <param name="From">The comma-separated FROM relations (an implicit cross join), empty without FROM.</param>
/// <param name="Where">The WHERE condition, or null.</param>
/// <param name="GroupBy">The GROUP BY expressions, empty without one; an integer literal is an ordinal.</param>
/// <param name="Having">The HAVING condition, or null.</param>
/// <param name="Position">Where the SELECT keyword is.</param>
public sealed record Select(
    bool Distinct,
    SyntaxList<SelectItem> Items,
    SyntaxList<Relation> From,
    Expression? Where,
    SyntaxList<Expression> GroupBy,
    Expression? Having,
    SourcePosition Position) : QueryBody(Position);

/// <summary>An item of a select list: <see cref="SelectExpression"/> or <see cref="SelectAll"/>.</summary>
/// <param name="Position">Where the item starts.</param>
public abstract record SelectItem(SourcePosition Position) : SyntaxNode(Position);

/// <summary><c>expression [[AS] alias]</c>.</summary>
/// <param name="Expression">The value.</param>
/// <param name="Alias">The output column name, or null.</param>
/// <param name="Position">Where the expression starts.</param>
public sealed record SelectExpression(Expression Expression, Identifier? Alias, SourcePosition Position) : SelectItem(Position);

/// <summary><c>*</c> or <c>t.*</c>: all columns, of every relation or of one.</summary>
/// <param name="Qualifier">The relation (<c>t</c> in <c>t.*</c>), or null for a bare <c>*</c>.</param>
/// <param name="Position">Where the item starts.</param>
public sealed record SelectAll(QualifiedName? Qualifier, SourcePosition Position) : SelectItem(Position);
