using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>SELECT and its clauses.</summary>
public sealed partial class SqlParser
{
    private Select ParseSelect()
    {
        var start = ExpectKeyword("SELECT").Start;
        var distinct = TryKeyword("DISTINCT");
        if (!distinct)
        {
            TryKeyword("ALL");
        }

        var items = BeginList();
        do
        {
            Push(ParseSelectItem());
        }
        while (TryToken(TokenKind.Comma));

        var from = TryKeyword("FROM") ? ParseRelationList() : SyntaxList<Relation>.Empty;
        var where = TryKeyword("WHERE") ? ParseExpression() : null;
        var groupBy = SyntaxList<Expression>.Empty;
        if (TryKeyword("GROUP"))
        {
            ExpectKeyword("BY");
            groupBy = ParseExpressionList();
        }

        var having = TryKeyword("HAVING") ? ParseExpression() : null;
        return new Select(distinct, EndList<SelectItem>(items), from, where, groupBy, having, start);
    }

    private SelectItem ParseSelectItem()
    {
        var start = Current.Start;
        if (TryToken(TokenKind.Asterisk))
        {
            return new SelectAll(null, start);
        }

        if (AtQualifiedStar())
        {
            var qualifier = ParseQualifiedName();
            Expect(TokenKind.Dot, ".");
            Expect(TokenKind.Asterisk, "*");
            return new SelectAll(qualifier, start);
        }

        var expression = ParseExpression();
        return new SelectExpression(expression, ParseOptionalAlias(), start);
    }

    /// <summary>True at <c>name.*</c> or <c>a.b.*</c>.</summary>
    private bool AtQualifiedStar()
    {
        var i = 0;
        while (IsName(Peek(i)) && Peek(i + 1).Kind == TokenKind.Dot)
        {
            if (Peek(i + 2).Kind == TokenKind.Asterisk)
            {
                return true;
            }

            i += 2;
        }

        return false;
    }

    private SyntaxList<Expression> ParseExpressionList()
    {
        var expressions = BeginList();
        do
        {
            Push(ParseExpression());
        }
        while (TryToken(TokenKind.Comma));

        return EndList<Expression>(expressions);
    }
}
