using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>
/// The base of every node of the SQL syntax tree. Nodes are immutable records built by
/// <see cref="Parsing.SqlParser"/> or by hand. Equality is structural and ignores <see cref="Position"/>: two trees
/// are equal when they say the same thing, wherever it was written, so <c>parse(print(parse(x))) == parse(x)</c>.
/// </summary>
/// <param name="Position">Where the node starts in the parsed text (for a built node, any position).</param>
public abstract record SyntaxNode(SourcePosition Position)
{
    /// <summary>True when <paramref name="other"/> is a node of the same type; derived records add their members.</summary>
    public virtual bool Equals(SyntaxNode? other) => other is not null && EqualityContract == other.EqualityContract;

    /// <summary>A hash of the node type; derived records add their members, never the position.</summary>
    public override int GetHashCode() => EqualityContract.GetHashCode();
}
