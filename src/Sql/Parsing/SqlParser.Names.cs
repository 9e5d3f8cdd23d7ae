using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>Names: identifiers, qualified names and aliases.</summary>
public sealed partial class SqlParser
{
    /// <summary>
    /// True when <paramref name="token"/> can be a name: a bare or double-quoted identifier, or a non-reserved
    /// keyword (<c>date</c>, <c>year</c>, <c>first</c>).
    /// </summary>
    private static bool IsName(Token token) => token.Kind switch
    {
        TokenKind.Identifier or TokenKind.QuotedIdentifier => true,
        TokenKind.Keyword => !SqlKeywords.IsReserved(token.Value),
        _ => false,
    };

    private bool AtAlias() => IsName(Current) && !(Current.Kind == TokenKind.Keyword && ClauseKeywords.Contains(Current.Value));

    private Identifier ParseIdentifier(string expected = "an identifier")
    {
        var token = Current;
        if (!IsName(token))
        {
            throw Unexpected(expected);
        }

        _index++;
        return token.Kind switch
        {
            TokenKind.QuotedIdentifier => new Identifier(token.Value, true, token.Start),
            TokenKind.Keyword => new Identifier(token.SourceText(_sql), false, token.Start),
            _ => new Identifier(token.Value, false, token.Start),
        };
    }

    /// <summary>A dotted name; stops before a dot that is not followed by a name (as in <c>t.*</c>).</summary>
    private QualifiedName ParseQualifiedName(string expected = "an identifier")
    {
        var first = ParseIdentifier(expected);
        if (!At(TokenKind.Dot) || !IsName(Peek()))
        {
            return new QualifiedName([first], first.Position);
        }

        _index++;
        var second = ParseIdentifier();
        if (!At(TokenKind.Dot) || !IsName(Peek()))
        {
            // The common qualified name, t.column: one array, no list.
            return new QualifiedName([first, second], first.Position);
        }

        var parts = new List<Identifier> { first, second };
        while (At(TokenKind.Dot) && IsName(Peek()))
        {
            _index++;
            parts.Add(ParseIdentifier());
        }

        return new QualifiedName(SyntaxList<Identifier>.Own(parts), first.Position);
    }

    /// <summary>A parenthesised, comma-separated list of names: <c>(a, b)</c>.</summary>
    private SyntaxList<Identifier> ParseIdentifierList()
    {
        Expect(TokenKind.LeftParen, "(");
        var names = new List<Identifier>();
        do
        {
            names.Add(ParseIdentifier());
        }
        while (TryToken(TokenKind.Comma));

        ExpectRightParen();
        return SyntaxList<Identifier>.Own(names);
    }

    /// <summary><c>[AS] alias</c> or nothing; a clause keyword such as LIMIT is not taken as a bare alias.</summary>
    private Identifier? ParseOptionalAlias()
    {
        if (TryKeyword("AS"))
        {
            return ParseIdentifier("an alias");
        }

        return AtAlias() ? ParseIdentifier() : null;
    }
}
