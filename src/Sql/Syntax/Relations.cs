using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>Something rows come from in a FROM clause: a table, a derived table or a join.</summary>
/// <param name="Position">Where the relation starts (for a join, its join keyword).</param>
public abstract record Relation(SourcePosition Position) : SyntaxNode(Position);

/// <summary><c>[AS] alias [(column, ...)]</c> after a relation.</summary>
/// <param name="Name">The alias.</param>
/// <param name="Columns">Column aliases, empty when not given.</param>
/// <param name="Position">Where the alias (or AS) is.</param>
public sealed record TableAlias(Identifier Name, SyntaxList<Identifier> Columns, SourcePosition Position) : SyntaxNode(Position);

/// <summary>A named table or CTE: <c>shop.orders AS o</c>.</summary>
/// <param name="Name">The table name.</param>
/// <param name="Alias">The alias, or null.</param>
/// <param name="Position">Where the name is.</param>
public sealed record TableRelation(QualifiedName Name, TableAlias? Alias, SourcePosition Position) : Relation(Position);

/// <summary>A derived table: <c>(SELECT ...) AS t (a, b)</c>.</summary>
/// <param name="Query">The query.</param>
/// <param name="Alias">The alias, or null.</param>
/// <param name="Position">Where the opening parenthesis is.</param>
public sealed record SubqueryRelation(Query Query, TableAlias? Alias, SourcePosition Position) : Relation(Position);

/// <summary>
/// <c>left [kind] JOIN right [ON condition | USING (columns)]</c>. Joins associate to the left; a join on the right
/// was parenthesised in the text.
/// </summary>
/// <param name="Kind">The join kind.</param>
/// <param name="Left">The left relation.</param>
/// <param name="Right">The right relation.</param>
/// <param name="Criteria">ON or USING; null exactly for <see cref="JoinKind.Cross"/>.</param>
/// <param name="Position">Where the join's first keyword is.</param>
public sealed record JoinRelation(
    JoinKind Kind,
    Relation Left,
    Relation Right,
    JoinCriteria? Criteria,
    SourcePosition Position) : Relation(Position);

/// <summary>The kind of a <see cref="JoinRelation"/>.</summary>
public enum JoinKind
{
    /// <summary><c>[INNER] JOIN</c>.</summary>
    Inner,

    /// <summary><c>LEFT [OUTER] JOIN</c>.</summary>
    Left,

    /// <summary><c>RIGHT [OUTER] JOIN</c>.</summary>
    Right,

    /// <summary><c>FULL [OUTER] JOIN</c>.</summary>
    Full,

    /// <summary><c>CROSS JOIN</c>: no criteria.</summary>
    Cross,
}

/// <summary>How a <see cref="JoinRelation"/> matches rows: <see cref="JoinOn"/> or <see cref="JoinUsing"/>.</summary>
/// <param name="Position">Where ON or USING is.</param>
public abstract record JoinCriteria(SourcePosition Position) : SyntaxNode(Position);

/// <summary><c>ON condition</c>.</summary>
/// <param name="Condition">The join condition.</param>
/// <param name="Position">Where ON is.</param>
public sealed record JoinOn(Expression Condition, SourcePosition Position) : JoinCriteria(Position);

/// <summary><c>USING (column, ...)</c>.</summary>
/// <param name="Columns">The shared columns, at least one.</param>
/// <param name="Position">Where USING is.</param>
public sealed record JoinUsing(SyntaxList<Identifier> Columns, SourcePosition Position) : JoinCriteria(Position);
