using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>Function calls, FILTER and window specifications.</summary>
public sealed partial class SqlParser
{
    private FunctionCall ParseFunctionCall(QualifiedName name)
    {
        Expect(TokenKind.LeftParen, "(");
        var star = false;
        var distinct = false;
        var arguments = SyntaxList<Expression>.Empty;
        if (At(TokenKind.Asterisk) && Peek().Kind == TokenKind.RightParen)
        {
            _index++;
            star = true;
        }
        else if (!At(TokenKind.RightParen))
        {
            distinct = TryKeyword("DISTINCT");
            if (!distinct)
            {
                TryKeyword("ALL");
            }

            arguments = ParseExpressionList();
        }

        ExpectRightParen();
        var filter = AtKeyword("FILTER") && Peek().Kind == TokenKind.LeftParen ? ParseFilter() : null;
        var over = TryKeyword("OVER") ? ParseWindowSpecification() : null;
        return new FunctionCall(name, arguments, distinct, star, filter, over, name.Position);
    }

    private Expression ParseFilter()
    {
        _index += 2;
        ExpectKeyword("WHERE");
        var condition = ParseExpression();
        ExpectRightParen();
        return condition;
    }

    private WindowSpecification ParseWindowSpecification()
    {
        var start = Expect(TokenKind.LeftParen, "(").Start;
        var partitionBy = SyntaxList<Expression>.Empty;
        if (TryKeyword("PARTITION"))
        {
            ExpectKeyword("BY");
            partitionBy = ParseExpressionList();
        }

        var orderBy = SyntaxList<OrderItem>.Empty;
        if (TryKeyword("ORDER"))
        {
            ExpectKeyword("BY");
            orderBy = ParseOrderItems();
        }

        var frame = ParseOptionalFrame();
        ExpectRightParen();
        return new WindowSpecification(partitionBy, orderBy, frame, start);
    }

    private WindowFrame? ParseOptionalFrame()
    {
        var start = Current.Start;
        FrameUnit? unit = Current.Kind != TokenKind.Keyword ? null : Current.Value switch
        {
            "ROWS" => FrameUnit.Rows,
            "RANGE" => FrameUnit.Range,
            "GROUPS" => FrameUnit.Groups,
            _ => null,
        };
        if (unit is null)
        {
            return null;
        }

        _index++;
        if (!TryKeyword("BETWEEN"))
        {
            return new WindowFrame(unit.Value, ParseFrameBound(), null, start);
        }

        var from = ParseFrameBound();
        ExpectKeyword("AND");
        return new WindowFrame(unit.Value, from, ParseFrameBound(), start);
    }

    private FrameBound ParseFrameBound()
    {
        var start = Current.Start;
        if (TryKeyword("CURRENT"))
        {
            ExpectKeyword("ROW");
            return new FrameBound(FrameBoundKind.CurrentRow, null, start);
        }

        var unbounded = TryKeyword("UNBOUNDED");
        var offset = unbounded ? null : ParseExpression();
        if (TryKeyword("PRECEDING"))
        {
            return new FrameBound(unbounded ? FrameBoundKind.UnboundedPreceding : FrameBoundKind.Preceding, offset, start);
        }

        if (TryKeyword("FOLLOWING"))
        {
            return new FrameBound(unbounded ? FrameBoundKind.UnboundedFollowing : FrameBoundKind.Following, offset, start);
        }

        throw Unexpected("PRECEDING or FOLLOWING");
    }
}
