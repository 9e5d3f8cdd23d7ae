using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>FROM: tables, derived tables and joins.</summary>
public sealed partial class SqlParser
{
    private SyntaxList<Relation> ParseRelationList()
    {
        var relations = BeginList();
        do
        {
            Push(ParseJoinedRelation());
        }
        while (TryToken(TokenKind.Comma));

        return EndList<Relation>(relations);
    }

    /// <summary>A relation followed by any number of joins, associating to the left.</summary>
    private Relation ParseJoinedRelation()
    {
        var left = ParseRelationPrimary();
        while (TryJoinKind(out var kind, out var start))
        {
            var right = ParseRelationPrimary();
            var criteria = kind == JoinKind.Cross ? null : ParseJoinCriteria();
            left = new JoinRelation(kind, left, right, criteria, start);
        }

        return left;
    }

    /// <summary>Reads <c>[INNER] JOIN</c>, <c>LEFT|RIGHT|FULL [OUTER] JOIN</c> or <c>CROSS JOIN</c> when present.</summary>
    private bool TryJoinKind(out JoinKind kind, out SourcePosition start)
    {
        start = Current.Start;
        JoinKind? found = Current.Kind != TokenKind.Keyword ? null : Current.Value switch
        {
            "JOIN" or "INNER" => JoinKind.Inner,
            "LEFT" => JoinKind.Left,
            "RIGHT" => JoinKind.Right,
            "FULL" => JoinKind.Full,
            "CROSS" => JoinKind.Cross,
            _ => null,
        };
        kind = found.GetValueOrDefault();
        if (found is null)
        {
            return false;
        }

        if (!TryKeyword("JOIN"))
        {
            _index++;
            if (kind is JoinKind.Left or JoinKind.Right or JoinKind.Full)
            {
                TryKeyword("OUTER");
            }

            ExpectKeyword("JOIN");
        }

        return true;
    }

    private JoinCriteria ParseJoinCriteria()
    {
        var start = Current.Start;
        if (TryKeyword("ON"))
        {
            return new JoinOn(ParseExpression(), start);
        }

        if (TryKeyword("USING"))
        {
            return new JoinUsing(ParseIdentifierList(), start);
        }

        throw Unexpected("ON or USING");
    }

    private Relation ParseRelationPrimary()
    {
        using var scope = Nest();
        var start = Current.Start;
        if (AtParenthesisedQuery())
        {
            _index++;
            var query = ParseQuery();
            ExpectRightParen();
            return new SubqueryRelation(query, ParseTableAlias(), start);
        }

        if (TryToken(TokenKind.LeftParen))
        {
            var relation = ParseJoinedRelation();
            ExpectRightParen();
            return relation;
        }

        var name = ParseQualifiedName("a table name");
        return new TableRelation(name, ParseTableAlias(), start);
    }

    private TableAlias? ParseTableAlias()
    {
        var start = Current.Start;
        var name = ParseOptionalAlias();
        if (name is null)
        {
            return null;
        }

        var columns = At(TokenKind.LeftParen) ? ParseIdentifierList() : SyntaxList<Identifier>.Empty;
        return new TableAlias(name, columns, start);
    }
}
