using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>A data type, as in <c>CAST(x AS DECIMAL(12, 2))</c>: <c>VARCHAR</c>, <c>ARRAY(BIGINT)</c>, <c>TIMESTAMP(3) WITH TIME ZONE</c>.</summary>
/// <param name="Name">The type name upper-cased, one word (<c>DOUBLE PRECISION</c> is read as <c>DOUBLE</c>).</param>
/// <param name="Arguments">The parenthesised parameters, empty when there are none.</param>
/// <param name="WithTimeZone">True for <c>TIME</c> or <c>TIMESTAMP ... WITH TIME ZONE</c>.</param>
/// <param name="Position">Where the type name is.</param>
public sealed record DataType(string Name, SyntaxList<DataTypeArgument> Arguments, bool WithTimeZone, SourcePosition Position)
    : SyntaxNode(Position);

/// <summary>A parameter of a <see cref="DataType"/>: a number (<c>12</c> in <c>DECIMAL(12, 2)</c>) or a type (<c>ARRAY(BIGINT)</c>).</summary>
/// <param name="Position">Where the parameter is.</param>
public abstract record DataTypeArgument(SourcePosition Position) : SyntaxNode(Position);

/// <summary>A numeric type parameter: a length, precision or scale.</summary>
/// <param name="Value">The number, 0 or more.</param>
/// <param name="Position">Where it is.</param>
public sealed record NumericTypeArgument(long Value, SourcePosition Position) : DataTypeArgument(Position);

/// <summary>A type parameter: the element type of <c>ARRAY(BIGINT)</c>, a key or value type of <c>MAP(VARCHAR, BIGINT)</c>.</summary>
/// <param name="Type">The type.</param>
/// <param name="Position">Where it is.</param>
public sealed record TypeTypeArgument(DataType Type, SourcePosition Position) : DataTypeArgument(Position);
