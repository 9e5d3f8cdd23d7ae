using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>A name: of a table, column, alias, function or CTE.</summary>
/// <param name="Value">The name as written, without quotes (a doubled <c>""</c> in a quoted name is one <c>"</c>).</param>
/// <param name="Quoted">True when it was written in double quotes, which the printer keeps.</param>
/// <param name="Position">Where the name (or its opening quote) is.</param>
public sealed record Identifier(string Value, bool Quoted, SourcePosition Position) : SyntaxNode(Position);

/// <summary>A dotted name: <c>shop.orders</c>, <c>o.order_id</c>, <c>count</c>.</summary>
/// <param name="Parts">The parts, at least one, in written order.</param>
/// <param name="Position">Where the first part is.</param>
public sealed record QualifiedName(SyntaxList<Identifier> Parts, SourcePosition Position) : SyntaxNode(Position)
{
    /// <summary>The last part: the column of <c>o.order_id</c>, the table of <c>shop.orders</c>.</summary>
    public Identifier Last => Parts[^1];
}
