using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>Data types, as in CAST.</summary>
public sealed partial class SqlParser
{
    private DataType ParseDataType()
    {
        using var scope = Nest();
        var token = Current;
        if (token.Kind != TokenKind.Identifier && !(token.Kind == TokenKind.Keyword && !SqlKeywords.IsReserved(token.Value)))
        {
            throw Unexpected("a data type");
        }

        _index++;
        var name = token.Value.ToUpperInvariant();
        if (name == "DOUBLE" && IsWord(Current, "PRECISION"))
        {
            _index++;
        }

        var arguments = SyntaxList<DataTypeArgument>.Empty;
        if (TryToken(TokenKind.LeftParen))
        {
            var list = new List<DataTypeArgument>();
            do
            {
                list.Add(ParseDataTypeArgument());
            }
            while (TryToken(TokenKind.Comma));

            ExpectRightParen();
            arguments = SyntaxList<DataTypeArgument>.Own(list);
        }

        var withTimeZone = name is "TIME" or "TIMESTAMP" && ParseTimeZoneSuffix();
        return new DataType(name, arguments, withTimeZone, token.Start);
    }

    private DataTypeArgument ParseDataTypeArgument()
    {
        var start = Current.Start;
        return At(TokenKind.Number)
            ? new NumericTypeArgument(ParseCount().Value, start)
            : new TypeTypeArgument(ParseDataType(), start);
    }

    /// <summary>Reads <c>WITH TIME ZONE</c> (true) or <c>WITHOUT TIME ZONE</c> or nothing (false).</summary>
    private bool ParseTimeZoneSuffix()
    {
        var with = AtKeyword("WITH");
        if (!with && !IsWord(Current, "WITHOUT"))
        {
            return false;
        }

        _index++;
        ExpectKeyword("TIME");
        ExpectKeyword("ZONE");
        return with;
    }

    private static bool IsWord(Token token, string word) =>
        token.Kind == TokenKind.Identifier && string.Equals(token.Value, word, StringComparison.OrdinalIgnoreCase);
}
