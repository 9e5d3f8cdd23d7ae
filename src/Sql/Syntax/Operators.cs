using Hera.Sql.Lexing;

namespace Hera.Sql.Syntax;

/// <summary><c>NOT x</c>, <c>-x</c> or <c>+x</c>.</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Operand">The operand.</param>
/// <param name="Position">Where the operator is.</param>
public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand, SourcePosition Position) : Expression(Position);

/// <summary>The operator of a <see cref="UnaryExpression"/>.</summary>
public enum UnaryOperator
{
    /// <summary><c>NOT</c>: binds looser than comparisons, tighter than AND.</summary>
    Not,

    /// <summary><c>-</c>: binds tightest of all operators.</summary>
    Negate,

    /// <summary><c>+</c>: the identity, binds like <see cref="Negate"/>.</summary>
    Plus,
}

/// <summary>
/// <c>left op right</c>. Precedence, loosest first: OR; AND; (NOT); comparisons and IS DISTINCT FROM (which do not
/// chain: <c>a = b = c</c> is an error); <c>||</c>; <c>+ -</c>; <c>* / %</c>. Each level associates to the left.
/// </summary>
/// <param name="Operator">The operator.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
/// <param name="Position">Where the operator is.</param>
public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right, SourcePosition Position)
    : Expression(Position);

/// <summary>The operator of a <see cref="BinaryExpression"/>.</summary>
public enum BinaryOperator
{
    /// <summary><c>OR</c>.</summary>
    Or,

    /// <summary><c>AND</c>.</summary>
    And,

    /// <summary><c>=</c>.</summary>
    Equal,

    /// <summary><c>&lt;&gt;</c> or <c>!=</c>.</summary>
    NotEqual,

    /// <summary><c>&lt;</c>.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>IS DISTINCT FROM</c>: not equal, NULLs comparing as equal to each other.</summary>
    IsDistinctFrom,

    /// <summary><c>IS NOT DISTINCT FROM</c>: equal, NULLs comparing as equal to each other.</summary>
    IsNotDistinctFrom,

    /// <summary><c>||</c>: string concatenation.</summary>
    Concat,

    /// <summary><c>+</c>.</summary>
    Add,

    /// <summary><c>-</c>.</summary>
    Subtract,

    /// <summary><c>*</c>.</summary>
    Multiply,

    /// <summary><c>/</c>: integer division for integer operands in Trino.</summary>
    Divide,

    /// <summary><c>%</c>.</summary>
    Modulo,
}
