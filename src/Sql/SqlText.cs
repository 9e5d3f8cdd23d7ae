using Hera.Sql.Lexing;

namespace Hera.Sql;

/// <summary>Checks on SQL text as submitted, before it is parsed for a particular engine.</summary>
public static class SqlText
{
    /// <summary>
    /// The check the gateway makes when a job is submitted, before anything is stored: the text must tokenize and
    /// hold at least one statement. Returns the number of statements, counting the top-level <c>;</c>-separated
    /// pieces that hold any token (a <c>;</c> in a string, a comment or parentheses separates nothing; empty pieces,
    /// as from a trailing <c>;</c>, do not count). <c>SELECT 1; SELECT 2;</c> is 2.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="sql"/> is null.</exception>
    /// <exception cref="SqlSyntaxException">
    /// The text is empty or only white space and comments (<c>Expected: a statement, found: end of input</c> at its
    /// end); it holds only semicolons (<c>Expected: a statement, found: ;</c> at the first); or a quote or block
    /// comment is not closed (see <see cref="SqlLexer"/>). The caller serves it as <c>invalid_sql</c>.
    /// </exception>
    public static int CheckSubmittable(string sql)
    {
        var lexer = new SqlLexer(sql);
        Token? firstSemicolon = null;
        var statements = 0;
        var depth = 0;
        var inStatement = false;
        while (true)
        {
            var token = lexer.Next();
            switch (token.Kind)
            {
                case TokenKind.EndOfInput:
                    statements += inStatement ? 1 : 0;
                    return statements > 0 ? statements : throw NoStatement(sql, firstSemicolon ?? token);
                case TokenKind.Semicolon when depth == 0:
                    statements += inStatement ? 1 : 0;
                    inStatement = false;
                    firstSemicolon ??= token;
                    break;
                case TokenKind.LeftParen or TokenKind.LeftBracket:
                    depth++;
                    inStatement = true;
                    break;
                case TokenKind.RightParen or TokenKind.RightBracket:
                    // Unbalanced closers are the parser's to report; here they must not hide later semicolons.
                    depth = Math.Max(0, depth - 1);
                    inStatement = true;
                    break;
                default:
                    inStatement = true;
                    break;
            }
        }
    }

    private static SqlSyntaxException NoStatement(string sql, Token found) =>
        new("a statement", found.Describe(sql), found.Start);
}
