using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

/// <summary>
/// SQL's keyword-argument function forms, read into Trino's plain functions (so they print in the canonical call
/// form): <c>position(a IN b)</c> is <c>strpos(b, a)</c>; <c>substring(s FROM a [FOR n])</c> is
/// <c>substring(s, a[, n])</c>; <c>trim([BOTH | LEADING | TRAILING] [chars] FROM s)</c> is <c>trim(s[, chars])</c>,
/// <c>ltrim</c> or <c>rtrim</c>.
/// </summary>
public sealed partial class SqlParser
{
    /// <summary>At <c>(</c> after <paramref name="name"/>: reads a special form when the name and text make one.</summary>
    private bool TryParseSpecialForm(Identifier name, out Expression special)
    {
        special = null!;
        var start = _index;
        switch (name.Value.ToLowerInvariant())
        {
            case "position":
                _index++;
                var needle = ParseConcat();
                ExpectKeyword("IN");
                var haystack = ParseExpression();
                ExpectRightParen();
                special = Call("strpos", name.Position, haystack, needle);
                return true;
            case "substring":
                _index++;
                var value = ParseExpression();
                if (!TryKeyword("FROM"))
                {
                    _index = start;
                    return false;
                }

                var from = ParseExpression();
                var length = TryKeyword("FOR") ? ParseExpression() : null;
                ExpectRightParen();
                special = length is null ? Call("substring", name.Position, value, from) : Call("substring", name.Position, value, from, length);
                return true;
            default:
                return false;
        }
    }

    /// <summary>After TRIM: <c>(s)</c>, <c>(s, chars)</c> or the keyword form.</summary>
    private FunctionCall ParseTrim()
    {
        var token = Advance();
        var at = token.Start;
        var open = _index;
        _index++;
        var function = "trim";
        if (IsWord(Current, "BOTH") || IsWord(Current, "LEADING") || IsWord(Current, "TRAILING"))
        {
            function = Advance().Value.ToUpperInvariant() switch
            {
                "LEADING" => "ltrim",
                "TRAILING" => "rtrim",
                _ => "trim",
            };
            var chars = AtKeyword("FROM") ? null : ParseExpression();
            ExpectKeyword("FROM");
            return TrimCall(function, at, ParseExpression(), chars);
        }

        var first = ParseExpression();
        if (TryKeyword("FROM"))
        {
            return TrimCall(function, at, ParseExpression(), first);
        }

        _index = open;
        return ParseFunctionCall(new QualifiedName([new Identifier("trim", false, at)], at));
    }

    private FunctionCall TrimCall(string function, SourcePosition at, Expression value, Expression? chars)
    {
        ExpectRightParen();
        return chars is null ? Call(function, at, value) : Call(function, at, value, chars);
    }

    private static FunctionCall Call(string name, SourcePosition at, params Expression[] arguments) =>
        new(new QualifiedName([new Identifier(name, false, at)], at), SyntaxList.Create<Expression>(arguments), false, false, null, null, at);
}
