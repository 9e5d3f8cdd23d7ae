using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>Short forms for lexer assertions.</summary>
internal static class Lex
{
    /// <summary>The tokens of <paramref name="sql"/> without the final end-of-input token.</summary>
    public static List<Token> Tokens(string sql)
    {
        var tokens = SqlLexer.Tokenize(sql);
        Assert.Equal(TokenKind.EndOfInput, tokens[^1].Kind);
        return tokens.Take(tokens.Count - 1).ToList();
    }

    /// <summary>The one token <paramref name="sql"/> holds; fails when it holds more or none.</summary>
    public static Token Single(string sql) => Assert.Single(Tokens(sql));

    public static TokenKind[] Kinds(string sql) => Tokens(sql).Select(t => t.Kind).ToArray();

    public static string[] Values(string sql) => Tokens(sql).Select(t => t.Value).ToArray();

    /// <summary>The first token whose value is <paramref name="value"/>.</summary>
    public static Token Find(string sql, string value) => Tokens(sql).First(t => t.Value == value);
}
