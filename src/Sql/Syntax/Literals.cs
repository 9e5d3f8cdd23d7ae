using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary>A constant written in the text. A leading minus is a <see cref="UnaryExpression"/>, not part of a literal.</summary>
/// <param name="Position">Where the literal is.</param>
public abstract record Literal(SourcePosition Position) : Expression(Position);

/// <summary>An integer: <c>42</c>, <c>1_000</c>, <c>0x1F</c> (read as 31). Trino types it INTEGER or BIGINT.</summary>
/// <param name="Value">The value, 0 or more.</param>
/// <param name="Position">Where it is.</param>
public sealed record IntegerLiteral(long Value, SourcePosition Position) : Literal(Position);

/// <summary>A number with a point and no exponent: <c>1.5</c>, <c>.5</c>, <c>1.</c>. Trino types it DECIMAL.</summary>
/// <param name="Text">The digits as written, without underscores.</param>
/// <param name="Position">Where it is.</param>
public sealed record DecimalLiteral(string Text, SourcePosition Position) : Literal(Position);

/// <summary>A number with an exponent: <c>1e6</c>, <c>2.5E-3</c>. Trino types it DOUBLE.</summary>
/// <param name="Text">The number as written, without underscores.</param>
/// <param name="Position">Where it is.</param>
public sealed record DoubleLiteral(string Text, SourcePosition Position) : Literal(Position);

/// <summary>
/// A named parameter, <c>@p0</c>: a value bound beside the text (by the engine, or by its adapter as a typed literal),
/// never pasted into it. Printed as written in every dialect.
/// </summary>
/// <param name="Name">The name without the <c>@</c>.</param>
/// <param name="Position">Where the <c>@</c> is.</param>
public sealed record BoundParameter(string Name, SourcePosition Position) : Expression(Position);

/// <summary>A string: <c>'it''s'</c>.</summary>
/// <param name="Value">The content, unescaped.</param>
/// <param name="Position">Where the opening quote is.</param>
public sealed record StringLiteral(string Value, SourcePosition Position) : Literal(Position);

/// <summary><c>TRUE</c> or <c>FALSE</c>.</summary>
/// <param name="Value">The value.</param>
/// <param name="Position">Where it is.</param>
public sealed record BooleanLiteral(bool Value, SourcePosition Position) : Literal(Position);

/// <summary><c>NULL</c>.</summary>
/// <param name="Position">Where it is.</param>
public sealed record NullLiteral(SourcePosition Position) : Literal(Position);

/// <summary>
/// A type name and a string: <c>DATE '2026-01-01'</c>, <c>TIMESTAMP '2026-01-01 10:00:00'</c>, <c>DECIMAL '1.25'</c>.
/// </summary>
/// <param name="Type">The type name upper-cased: <c>DATE</c>, <c>TIME</c>, <c>TIMESTAMP</c>, <c>DECIMAL</c>, ....</param>
/// <param name="Value">The string content, unescaped.</param>
/// <param name="Position">Where the type name is.</param>
public sealed record TypedLiteral(string Type, string Value, SourcePosition Position) : Literal(Position);

/// <summary><c>INTERVAL [+|-] 'value' field [TO field]</c>: <c>INTERVAL '7' DAY</c>, <c>INTERVAL '1-6' YEAR TO MONTH</c>.</summary>
/// <param name="Value">The string content.</param>
/// <param name="Negative">True for <c>INTERVAL -'7' DAY</c>.</param>
/// <param name="From">The leading field.</param>
/// <param name="To">The trailing field of a range, or null.</param>
/// <param name="Position">Where INTERVAL is.</param>
public sealed record IntervalLiteral(
    string Value,
    bool Negative,
    IntervalField From,
    IntervalField? To,
    SourcePosition Position) : Literal(Position);

/// <summary>A field of an <see cref="IntervalLiteral"/>.</summary>
public enum IntervalField
{
    /// <summary><c>YEAR</c>.</summary>
    Year,

    /// <summary><c>MONTH</c>.</summary>
    Month,

    /// <summary><c>DAY</c>.</summary>
    Day,

    /// <summary><c>HOUR</c>.</summary>
    Hour,

    /// <summary><c>MINUTE</c>.</summary>
    Minute,

    /// <summary><c>SECOND</c>.</summary>
    Second,
}
