using System.Globalization;
using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>Primary expressions: literals, names, calls, parentheses and the keyword-led forms.</summary>
public sealed partial class SqlParser
{
    private Expression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                return Consume(ParseNumber(token));
            case TokenKind.StringLiteral:
                return Consume(new StringLiteral(token.Value, token.Start));
            case TokenKind.LeftParen:
                return ParseParenthesised();
            case TokenKind.Parameter when token.Value.StartsWith('@'):
                return Consume(new BoundParameter(token.Value[1..], token.Start));
            case TokenKind.Identifier when Peek().Kind == TokenKind.StringLiteral:
                return ParseTypedLiteral(token.Value.ToUpperInvariant());
            case TokenKind.Identifier or TokenKind.QuotedIdentifier:
                return ParseNameOrCall();
            case TokenKind.Keyword:
                return ParseKeywordPrimary(token);
            default:
                throw Unexpected("an expression");
        }
    }

    private Expression ParseKeywordPrimary(Token token)
    {
        var next = Peek().Kind;
        switch (token.Value)
        {
            case "TRUE" or "FALSE":
                return Consume(new BooleanLiteral(token.Value == "TRUE", token.Start));
            case "NULL":
                return Consume(new NullLiteral(token.Start));
            case "CASE":
                return ParseCase();
            case "CAST":
            case "TRY_CAST" when next == TokenKind.LeftParen:
                return ParseCast();
            case "EXISTS":
                return ParseExists();
            case "EXTRACT":
                return ParseExtract();
            case "TRIM" when next == TokenKind.LeftParen:
                return ParseTrim();
            case "INTERVAL" when next is TokenKind.StringLiteral or TokenKind.Minus or TokenKind.Plus:
                return ParseInterval();
            case "DATE" or "TIME" or "TIMESTAMP" when next == TokenKind.StringLiteral:
                return ParseTypedLiteral(token.Value);
            case "CURRENT_DATE" or "CURRENT_TIME" or "CURRENT_TIMESTAMP" or "LOCALTIME" or "LOCALTIMESTAMP":
                return ParseCurrentDateTime();
            case "ROW" when next == TokenKind.LeftParen:
                _index++;
                return ParseRow(token.Start);
            default:
                return SqlKeywords.IsReserved(token.Value) ? throw Unexpected("an expression") : ParseNameOrCall();
        }
    }

    /// <summary>The literal of a number token: integer, decimal (a point) or double (an exponent).</summary>
    private Literal ParseNumber(Token token)
    {
        var text = token.Value.Replace("_", string.Empty, StringComparison.Ordinal);
        var radix = text.Length > 2 && text[0] == '0' ? char.ToLowerInvariant(text[1]) switch
        {
            'x' => 16,
            'o' => 8,
            'b' => 2,
            _ => 10,
        } : 10;
        if (radix != 10)
        {
            return TryParseRadix(text[2..], radix, out var value)
                ? new IntegerLiteral(value, token.Start)
                : throw Unexpected("an integer within BIGINT range");
        }

        if (text.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            return new DoubleLiteral(text, token.Start);
        }

        if (text.Contains('.', StringComparison.Ordinal))
        {
            return new DecimalLiteral(text, token.Start);
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
            ? new IntegerLiteral(integer, token.Start)
            : throw Unexpected("an integer within BIGINT range");
    }

    private static bool TryParseRadix(string digits, int radix, out long value)
    {
        value = 0;
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.ToLowerInvariant(c) - 'a' + 10;
            if (value > (long.MaxValue - digit) / radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        return true;
    }

    /// <summary>After <c>(</c>: a scalar subquery, a row <c>(a, b)</c>, or a parenthesised expression (no node).</summary>
    private Expression ParseParenthesised()
    {
        var start = Current.Start;
        if (AtParenthesisedQuery())
        {
            _index++;
            var query = ParseQuery();
            ExpectRightParen();
            return new SubqueryExpression(query, start);
        }

        _index++;
        var first = ParseExpression();
        if (!At(TokenKind.Comma))
        {
            ExpectRightParen();
            return first;
        }

        var items = new List<Expression> { first };
        while (TryToken(TokenKind.Comma))
        {
            items.Add(ParseExpression());
        }

        ExpectRightParen();
        return new RowConstructor(SyntaxList<Expression>.Own(items), start);
    }

    /// <summary>After <c>ROW</c>: <c>(a, ...)</c>.</summary>
    private RowConstructor ParseRow(SourcePosition start)
    {
        Expect(TokenKind.LeftParen, "(");
        var items = ParseExpressionList();
        ExpectRightParen();
        return new RowConstructor(items, start);
    }

    private Expression ParseNameOrCall()
    {
        var name = ParseQualifiedName("an expression");
        if (!At(TokenKind.LeftParen))
        {
            return new ColumnReference(name, name.Position);
        }

        return name.Parts is [{ Quoted: false } only] && TryParseSpecialForm(only, out var special) ? special : ParseFunctionCall(name);
    }

    private TypedLiteral ParseTypedLiteral(string type)
    {
        var start = Advance().Start;
        return new TypedLiteral(type, Advance().Value, start);
    }

    private CurrentDateTime ParseCurrentDateTime()
    {
        var token = Advance();
        long? precision = null;
        if (token.Value != "CURRENT_DATE" && TryToken(TokenKind.LeftParen))
        {
            precision = ParseCount().Value;
            ExpectRightParen();
        }

        return new CurrentDateTime(token.Value, precision, token.Start);
    }

    private CaseExpression ParseCase()
    {
        var start = Advance().Start;
        var operand = AtKeyword("WHEN") ? null : ParseExpression();
        var whens = BeginList();
        while (AtKeyword("WHEN"))
        {
            var when = Advance().Start;
            var condition = ParseExpression();
            ExpectKeyword("THEN");
            Push(new WhenClause(condition, ParseExpression(), when));
        }

        if (_scratchTop == whens)
        {
            throw Unexpected("WHEN");
        }

        var otherwise = TryKeyword("ELSE") ? ParseExpression() : null;
        if (!TryKeyword("END"))
        {
            throw Unexpected(otherwise is null ? "WHEN, ELSE or END" : "END");
        }

        return new CaseExpression(operand, EndList<WhenClause>(whens), otherwise, start);
    }

    private CastExpression ParseCast()
    {
        var token = Advance();
        Expect(TokenKind.LeftParen, "(");
        var value = ParseExpression();
        ExpectKeyword("AS");
        var type = ParseDataType();
        ExpectRightParen();
        return new CastExpression(value, type, token.Value == "TRY_CAST", token.Start);
    }

    private ExistsExpression ParseExists()
    {
        var start = Advance().Start;
        if (!AtParenthesisedQuery())
        {
            throw At(TokenKind.LeftParen) ? new SqlSyntaxException("a query", Peek().Describe(_sql), Peek().Start) : Unexpected("(");
        }

        _index++;
        var query = ParseQuery();
        ExpectRightParen();
        return new ExistsExpression(query, start);
    }

    private ExtractExpression ParseExtract()
    {
        var start = Advance().Start;
        Expect(TokenKind.LeftParen, "(");
        var field = ParseIdentifier("a date-time field");
        ExpectKeyword("FROM");
        var value = ParseExpression();
        ExpectRightParen();
        return new ExtractExpression(field.Value.ToUpperInvariant(), value, start);
    }

    private IntervalLiteral ParseInterval()
    {
        var start = Advance().Start;
        var negative = At(TokenKind.Minus);
        _ = TryToken(TokenKind.Minus) || TryToken(TokenKind.Plus);
        var value = Expect(TokenKind.StringLiteral, "a string").Value;
        var from = ParseIntervalField();
        IntervalField? to = TryKeyword("TO") ? ParseIntervalField() : null;
        return new IntervalLiteral(value, negative, from, to, start);
    }

    private IntervalField ParseIntervalField()
    {
        IntervalField? field = Current.Kind != TokenKind.Keyword ? null : Current.Value switch
        {
            "YEAR" => IntervalField.Year,
            "MONTH" => IntervalField.Month,
            "DAY" => IntervalField.Day,
            "HOUR" => IntervalField.Hour,
            "MINUTE" => IntervalField.Minute,
            "SECOND" => IntervalField.Second,
            _ => null,
        };
        return field is { } found ? Consume(found) : throw Unexpected("YEAR, MONTH, DAY, HOUR, MINUTE or SECOND");
    }
}
