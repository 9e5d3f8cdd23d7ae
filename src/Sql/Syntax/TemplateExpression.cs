using Hera.Sql.Lexing;
using Hera.Sql.Printing;

namespace Hera.Sql.Syntax;

/// <summary>
/// A dialect's own form of a Trino function, operator or cast, made by the lowering for one dialect and printed by
/// filling <see cref="Template"/> with <see cref="Arguments"/>. Never produced by the parser.
/// </summary>
/// <param name="Template">The dialect's SQL with placeholders.</param>
/// <param name="Arguments">The (already lowered) arguments the placeholders refer to.</param>
/// <param name="Position">Where the original construct was.</param>
public sealed record TemplateExpression(FunctionTemplate Template, SyntaxList<Expression> Arguments, SourcePosition Position)
    : Expression(Position);
