using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>Expression operators by precedence level, loosest first.</summary>
public sealed partial class SqlParser
{
    private Expression ParseExpression()
    {
        using var scope = Nest();
        return ParseOr();
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (AtKeyword("OR"))
        {
            var op = Advance();
            left = new BinaryExpression(BinaryOperator.Or, left, ParseAnd(), op.Start);
        }

        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (AtKeyword("AND"))
        {
            var op = Advance();
            left = new BinaryExpression(BinaryOperator.And, left, ParseNot(), op.Start);
        }

        return left;
    }

    private Expression ParseNot()
    {
        if (!AtKeyword("NOT"))
        {
            return ParsePredicate(ParseConcat());
        }

        using var scope = Nest();
        var op = Advance();
        return new UnaryExpression(UnaryOperator.Not, ParseNot(), op.Start);
    }

    /// <summary>At most one comparison, IS, BETWEEN, LIKE or IN after <paramref name="value"/>, as in Trino.</summary>
    private Expression ParsePredicate(Expression value)
    {
        var token = Current;
        if (ComparisonOperator(token.Kind) is { } comparison)
        {
            _index++;
            return new BinaryExpression(comparison, value, ParseConcat(), token.Start);
        }

        if (TryKeyword("IS"))
        {
            return ParseIsPredicate(value, token.Start);
        }

        var negated = AtKeyword("NOT") && (Peek().IsKeyword("BETWEEN") || Peek().IsKeyword("LIKE") || Peek().IsKeyword("IN"));
        if (negated)
        {
            _index++;
        }

        if (TryKeyword("BETWEEN"))
        {
            var low = ParseConcat();
            ExpectKeyword("AND");
            return new BetweenExpression(value, low, ParseConcat(), negated, token.Start);
        }

        if (TryKeyword("LIKE"))
        {
            var pattern = ParseConcat();
            var escape = TryKeyword("ESCAPE") ? ParseConcat() : null;
            return new LikeExpression(value, pattern, escape, negated, token.Start);
        }

        return TryKeyword("IN") ? ParseInPredicate(value, negated, token.Start) : value;
    }

    private static BinaryOperator? ComparisonOperator(TokenKind kind) => kind switch
    {
        TokenKind.Equals => BinaryOperator.Equal,
        TokenKind.NotEquals => BinaryOperator.NotEqual,
        TokenKind.LessThan => BinaryOperator.LessThan,
        TokenKind.LessThanOrEqual => BinaryOperator.LessThanOrEqual,
        TokenKind.GreaterThan => BinaryOperator.GreaterThan,
        TokenKind.GreaterThanOrEqual => BinaryOperator.GreaterThanOrEqual,
        _ => null,
    };

    private Expression ParseIsPredicate(Expression value, SourcePosition start)
    {
        var negated = TryKeyword("NOT");
        if (TryKeyword("NULL"))
        {
            return new IsNullExpression(value, negated, start);
        }

        if (!TryKeyword("DISTINCT"))
        {
            throw Unexpected("NULL or DISTINCT FROM");
        }

        ExpectKeyword("FROM");
        var op = negated ? BinaryOperator.IsNotDistinctFrom : BinaryOperator.IsDistinctFrom;
        return new BinaryExpression(op, value, ParseConcat(), start);
    }

    private Expression ParseInPredicate(Expression value, bool negated, SourcePosition start)
    {
        if (AtParenthesisedQuery())
        {
            _index++;
            var query = ParseQuery();
            ExpectRightParen();
            return new InSubqueryExpression(value, query, negated, start);
        }

        Expect(TokenKind.LeftParen, "(");
        var items = ParseExpressionList();
        ExpectRightParen();
        return new InListExpression(value, items, negated, start);
    }

    private Expression ParseConcat() => ParseArithmetic(ConcatLevel);

    // The three left-associative operator levels below the predicate, by precedence climbing: one loop and one
    // table instead of a method per level, so a primary costs one call here rather than three. The tree is the
    // one the per-level rules give: || binds loosest, then + -, then * / %.
    private const int ConcatLevel = 1;

    /// <summary>
    /// Operands joined by <c>||</c>, <c>+ -</c> and <c>* / %</c> whose level is at least <paramref name="minimum"/>,
    /// left-associative at each level.
    /// </summary>
    private Expression ParseArithmetic(int minimum)
    {
        var left = ParseUnary();
        while (true)
        {
            var kind = Current.Kind;
            var level = ArithmeticLevel(kind);
            if (level < minimum)
            {
                return left;
            }

            var start = Current.Start;
            _index++;
            left = new BinaryExpression(ArithmeticOperator(kind), left, ParseArithmetic(level + 1), start);
        }
    }

    /// <summary>The level of an operator token (1 <c>||</c>, 2 <c>+ -</c>, 3 <c>* / %</c>), 0 for any other token.</summary>
    private static int ArithmeticLevel(TokenKind kind) => kind switch
    {
        TokenKind.Concat => ConcatLevel,
        TokenKind.Plus or TokenKind.Minus => ConcatLevel + 1,
        TokenKind.Asterisk or TokenKind.Slash or TokenKind.Percent => ConcatLevel + 2,
        _ => 0,
    };

    private static BinaryOperator ArithmeticOperator(TokenKind kind) => kind switch
    {
        TokenKind.Concat => BinaryOperator.Concat,
        TokenKind.Plus => BinaryOperator.Add,
        TokenKind.Minus => BinaryOperator.Subtract,
        TokenKind.Asterisk => BinaryOperator.Multiply,
        TokenKind.Slash => BinaryOperator.Divide,
        _ => BinaryOperator.Modulo,
    };

    private Expression ParseUnary()
    {
        if (!At(TokenKind.Minus) && !At(TokenKind.Plus))
        {
            return ParsePrimary();
        }

        using var scope = Nest();
        var op = Advance();
        var kind = op.Kind == TokenKind.Minus ? UnaryOperator.Negate : UnaryOperator.Plus;
        return new UnaryExpression(kind, ParseUnary(), op.Start);
    }
}
