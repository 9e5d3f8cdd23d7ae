using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>The body of a <see cref="Query"/>: a <see cref="Select"/>, a <see cref="SetOperation"/> or a <see cref="NestedQuery"/>.</summary>
/// <param name="Position">Where the body starts.</param>
public abstract record QueryBody(SourcePosition Position) : SyntaxNode(Position);

/// <summary>
/// A parenthesised query with its own WITH, ORDER BY, OFFSET or LIMIT, used as an operand of a set operation:
/// <c>(SELECT ... ORDER BY x LIMIT 10) UNION ALL ...</c>. Parentheses around a bare body are not kept: the
/// parser returns the body and the printer adds parentheses where precedence needs them.
/// </summary>
/// <param name="Query">The query inside the parentheses.</param>
/// <param name="Position">Where the opening parenthesis is.</param>
public sealed record NestedQuery(Query Query, SourcePosition Position) : QueryBody(Position);

/// <summary>
/// <c>left UNION | INTERSECT | EXCEPT [ALL | DISTINCT] right</c>. INTERSECT binds tighter than UNION and EXCEPT;
/// operators of the same precedence associate to the left.
/// </summary>
/// <param name="Operator">Which operation.</param>
/// <param name="Quantifier">ALL or DISTINCT as written, or null when not written (DISTINCT).</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
/// <param name="Position">Where the operator keyword is.</param>
public sealed record SetOperation(
    SetOperator Operator,
    SetQuantifier? Quantifier,
    QueryBody Left,
    QueryBody Right,
    SourcePosition Position) : QueryBody(Position);

/// <summary>The operator of a <see cref="SetOperation"/>.</summary>
public enum SetOperator
{
    /// <summary><c>UNION</c>: rows of either side.</summary>
    Union,

    /// <summary><c>INTERSECT</c>: rows of both sides.</summary>
    Intersect,

    /// <summary><c>EXCEPT</c>: rows of the left side not in the right.</summary>
    Except,
}

/// <summary>The quantifier of a <see cref="SetOperation"/> or an aggregate.</summary>
public enum SetQuantifier
{
    /// <summary><c>ALL</c>: keep duplicates.</summary>
    All,

    /// <summary><c>DISTINCT</c>: remove duplicates.</summary>
    Distinct,
}
