using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>
/// A function call: <c>lower(name)</c>, <c>count(*)</c>, <c>count(DISTINCT user_id)</c>,
/// <c>sum(x) FILTER (WHERE ...)</c>, or a window function <c>rank() OVER (...)</c>.
/// </summary>
/// <param name="Name">The function name as written.</param>
/// <param name="Arguments">The arguments; empty for <c>f()</c> and <c>count(*)</c>.</param>
/// <param name="Distinct">True for <c>f(DISTINCT ...)</c>.</param>
/// <param name="Star">True for <c>f(*)</c> (only <c>count(*)</c> means anything).</param>
/// <param name="Filter">The FILTER (WHERE ...) condition of an aggregate, or null.</param>
/// <param name="Over">The OVER window of a window function, or null.</param>
/// <param name="Position">Where the name is.</param>
public sealed record FunctionCall(
    QualifiedName Name,
    SyntaxList<Expression> Arguments,
    bool Distinct,
    bool Star,
    Expression? Filter,
    WindowSpecification? Over,
    SourcePosition Position) : Expression(Position);

/// <summary><c>OVER ([PARTITION BY ...] [ORDER BY ...] [frame])</c>.</summary>
/// <param name="PartitionBy">The partition expressions, empty for one partition.</param>
/// <param name="OrderBy">The order within a partition, empty when not given.</param>
/// <param name="Frame">The frame, or null for the default.</param>
/// <param name="Position">Where the opening parenthesis is.</param>
public sealed record WindowSpecification(
    SyntaxList<Expression> PartitionBy,
    SyntaxList<OrderItem> OrderBy,
    WindowFrame? Frame,
    SourcePosition Position) : SyntaxNode(Position);

/// <summary><c>ROWS | RANGE | GROUPS start</c> or <c>... BETWEEN start AND end</c>.</summary>
/// <param name="Unit">What the bounds count.</param>
/// <param name="Start">The start bound.</param>
/// <param name="End">The end bound of the BETWEEN form, or null (then the end is CURRENT ROW).</param>
/// <param name="Position">Where ROWS, RANGE or GROUPS is.</param>
public sealed record WindowFrame(FrameUnit Unit, FrameBound Start, FrameBound? End, SourcePosition Position) : SyntaxNode(Position);

/// <summary>What a <see cref="WindowFrame"/> counts.</summary>
public enum FrameUnit
{
    /// <summary><c>ROWS</c>: physical rows.</summary>
    Rows,

    /// <summary><c>RANGE</c>: values of the ORDER BY key.</summary>
    Range,

    /// <summary><c>GROUPS</c>: peer groups.</summary>
    Groups,
}

/// <summary>A bound of a <see cref="WindowFrame"/>.</summary>
/// <param name="Kind">Which bound.</param>
/// <param name="Offset">The offset of <c>n PRECEDING</c> or <c>n FOLLOWING</c>, else null.</param>
/// <param name="Position">Where the bound starts.</param>
public sealed record FrameBound(FrameBoundKind Kind, Expression? Offset, SourcePosition Position) : SyntaxNode(Position);

/// <summary>The kind of a <see cref="FrameBound"/>.</summary>
public enum FrameBoundKind
{
    /// <summary><c>UNBOUNDED PRECEDING</c>.</summary>
    UnboundedPreceding,

    /// <summary><c>n PRECEDING</c>.</summary>
    Preceding,

    /// <summary><c>CURRENT ROW</c>.</summary>
    CurrentRow,

    /// <summary><c>n FOLLOWING</c>.</summary>
    Following,

    /// <summary><c>UNBOUNDED FOLLOWING</c>.</summary>
    UnboundedFollowing,
}
