using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>
/// A query: <c>[WITH ctes] body [ORDER BY ...] [OFFSET n] [LIMIT n]</c>. The top of every parsed statement, and the
/// content of every subquery.
/// </summary>
/// <param name="With">The common table expressions, empty without <c>WITH</c>.</param>
/// <param name="Body">The SELECT, set operation or parenthesised query.</param>
/// <param name="OrderBy">The ORDER BY items, empty without one; over a set operation it orders the whole result.</param>
/// <param name="Offset">Rows to skip (an integer literal), or null.</param>
/// <param name="Limit">Rows to return at most (an integer literal), or null (also for <c>LIMIT ALL</c>).</param>
/// <param name="Position">Where the query's first token is.</param>
public sealed record Query(
    SyntaxList<CommonTableExpression> With,
    QueryBody Body,
    SyntaxList<OrderItem> OrderBy,
    Expression? Offset,
    Expression? Limit,
    SourcePosition Position) : SyntaxNode(Position)
{
    /// <summary>True for <c>WITH RECURSIVE</c>: a CTE may refer to itself (a UNION ALL of a seed and a step).</summary>
    public bool Recursive { get; init; }

    /// <summary>True when the query is only its body: no WITH, ORDER BY, OFFSET or LIMIT.</summary>
    public bool IsBodyOnly => With.IsEmpty && OrderBy.IsEmpty && Offset is null && Limit is null;
}

/// <summary>One entry of a WITH clause: <c>name [(columns)] AS (query)</c>.</summary>
/// <param name="Name">The name the query is referred to by.</param>
/// <param name="Columns">Column aliases, empty when not given.</param>
/// <param name="Query">The query.</param>
/// <param name="Position">Where the name is.</param>
public sealed record CommonTableExpression(
    Identifier Name,
    SyntaxList<Identifier> Columns,
    Query Query,
    SourcePosition Position) : SyntaxNode(Position);

/// <summary>One ORDER BY item: <c>expression [ASC | DESC] [NULLS FIRST | NULLS LAST]</c>.</summary>
/// <param name="Expression">What to sort by; an integer literal is an ordinal (the n-th select item).</param>
/// <param name="Direction">The direction as written, or null when not written (ascending).</param>
/// <param name="Nulls">Where NULLs go as written, or null when not written (the engine's default).</param>
/// <param name="Position">Where the expression starts.</param>
public sealed record OrderItem(
    Expression Expression,
    SortDirection? Direction,
    NullsOrder? Nulls,
    SourcePosition Position) : SyntaxNode(Position);

/// <summary>The direction of an <see cref="OrderItem"/>.</summary>
public enum SortDirection
{
    /// <summary><c>ASC</c>: smallest first.</summary>
    Ascending,

    /// <summary><c>DESC</c>: largest first.</summary>
    Descending,
}

/// <summary>Where an <see cref="OrderItem"/> puts NULLs.</summary>
public enum NullsOrder
{
    /// <summary><c>NULLS FIRST</c>.</summary>
    First,

    /// <summary><c>NULLS LAST</c>.</summary>
    Last,
}
