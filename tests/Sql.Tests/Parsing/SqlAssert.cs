using Hera.Sql.Parsing;
using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Tests.Parsing;

/// <summary>Short forms for parser and printer assertions.</summary>
internal static class SqlAssert
{
    public static string Print(Query query) => TrinoPrinter.Instance.Print(query);

    public static string Canonical(string sql) => Print(SqlParser.ParseQuery(sql));

    public static string CanonicalExpression(string sql) => TrinoPrinter.Instance.Print(SqlParser.ParseExpression(sql));

    /// <summary>
    /// Parses <paramref name="input"/>, checks it prints as <paramref name="canonical"/>, and that the canonical text
    /// parses back to an equal tree (equality ignores positions) that prints the same again.
    /// </summary>
    public static void RoundTrip(string input, string canonical)
    {
        var parsed = SqlParser.ParseQuery(input);
        var printed = Print(parsed);
        Assert.Equal(canonical, printed);
        var reparsed = SqlParser.ParseQuery(printed);
        Assert.Equal(parsed, reparsed);
        Assert.Equal(parsed.GetHashCode(), reparsed.GetHashCode());
        Assert.Equal(printed, Print(reparsed));
    }

    /// <summary>The <see cref="SqlSyntaxException"/> message parsing <paramref name="sql"/> throws.</summary>
    public static string Error(string sql) => Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseQuery(sql)).Message;
}
