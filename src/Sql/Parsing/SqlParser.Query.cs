using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>Queries: WITH, set operations, ORDER BY, OFFSET and LIMIT.</summary>
public sealed partial class SqlParser
{
    private Query ParseQuery()
    {
        using var scope = Nest();
        var start = Current.Start;
        var recursive = false;
        var with = SyntaxList<CommonTableExpression>.Empty;
        if (TryKeyword("WITH"))
        {
            recursive = TryKeyword("RECURSIVE");
            with = ParseWith();
        }

        var body = ParseQueryBody();
        var orderBy = SyntaxList<OrderItem>.Empty;
        if (TryKeyword("ORDER"))
        {
            ExpectKeyword("BY");
            orderBy = ParseOrderItems();
        }

        // Trino's order is OFFSET then LIMIT; LIMIT then OFFSET (PostgreSQL's) is accepted too.
        var offset = ParseOptionalOffset();
        Expression? limit = null;
        if (TryKeyword("LIMIT"))
        {
            limit = TryKeyword("ALL") ? null : ParseCount();
            offset ??= ParseOptionalOffset();
        }

        return new Query(with, body, orderBy, offset, limit, start) { Recursive = recursive };
    }

    private SyntaxList<CommonTableExpression> ParseWith()
    {
        var ctes = BeginList();
        do
        {
            var name = ParseIdentifier("a CTE name");
            var columns = At(TokenKind.LeftParen) ? ParseIdentifierList() : SyntaxList<Identifier>.Empty;
            ExpectKeyword("AS");
            Expect(TokenKind.LeftParen, "(");
            var query = ParseQuery();
            ExpectRightParen();
            Push(new CommonTableExpression(name, columns, query, name.Position));
        }
        while (TryToken(TokenKind.Comma));

        return EndList<CommonTableExpression>(ctes);
    }

    private Expression? ParseOptionalOffset()
    {
        if (!TryKeyword("OFFSET"))
        {
            return null;
        }

        var count = ParseCount();
        _ = TryKeyword("ROWS") || TryKeyword("ROW");
        return count;
    }

    /// <summary>The row count of OFFSET or LIMIT: an integer literal.</summary>
    private IntegerLiteral ParseCount() =>
        At(TokenKind.Number) && ParseNumber(Current) is IntegerLiteral count ? Consume(count) : throw Unexpected("an integer");

    private T Consume<T>(T node)
    {
        _index++;
        return node;
    }

    /// <summary>UNION and EXCEPT, left-associative, over INTERSECT terms.</summary>
    private QueryBody ParseQueryBody()
    {
        var left = ParseIntersectTerm();
        while (AtKeyword("UNION") || AtKeyword("EXCEPT"))
        {
            var token = Advance();
            var op = token.Value == "UNION" ? SetOperator.Union : SetOperator.Except;
            var quantifier = ParseSetQuantifier();
            left = new SetOperation(op, quantifier, left, ParseIntersectTerm(), token.Start);
        }

        return left;
    }

    private QueryBody ParseIntersectTerm()
    {
        var left = ParseQueryPrimary();
        while (AtKeyword("INTERSECT"))
        {
            var token = Advance();
            var quantifier = ParseSetQuantifier();
            left = new SetOperation(SetOperator.Intersect, quantifier, left, ParseQueryPrimary(), token.Start);
        }

        return left;
    }

    private SetQuantifier? ParseSetQuantifier() =>
        TryKeyword("ALL") ? SetQuantifier.All : TryKeyword("DISTINCT") ? SetQuantifier.Distinct : null;

    private QueryBody ParseQueryPrimary()
    {
        if (AtKeyword("SELECT"))
        {
            return ParseSelect();
        }

        if (!At(TokenKind.LeftParen))
        {
            throw Unexpected("SELECT or (");
        }

        var open = Advance();
        var query = ParseQuery();
        ExpectRightParen();
        return query.IsBodyOnly ? query.Body : new NestedQuery(query, open.Start);
    }

    private SyntaxList<OrderItem> ParseOrderItems()
    {
        var items = BeginList();
        do
        {
            Push(ParseOrderItem());
        }
        while (TryToken(TokenKind.Comma));

        return EndList<OrderItem>(items);
    }

    private OrderItem ParseOrderItem()
    {
        var expression = ParseExpression();
        SortDirection? direction = TryKeyword("ASC") ? SortDirection.Ascending
            : TryKeyword("DESC") ? SortDirection.Descending : null;
        NullsOrder? nulls = null;
        if (TryKeyword("NULLS"))
        {
            nulls = TryKeyword("FIRST") ? NullsOrder.First
                : TryKeyword("LAST") ? NullsOrder.Last : throw Unexpected("FIRST or LAST");
        }

        return new OrderItem(expression, direction, nulls, expression.Position);
    }
}
