namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Splits ClickHouse SQL into just enough pieces to find <c>@name</c> placeholders and a few top-level keywords
/// without looking inside string literals (<c>'…'</c> with backslash escapes or doubled quotes), quoted identifiers
/// (<c>"…"</c>, <c>`…`</c>) and comments (<c>-- …</c>, <c>/* … */</c>). It is not a parser: anything it does not
/// recognise is a one-character symbol, and unterminated quotes or comments run to the end (the server reports them).
/// The pieces cover the text exactly, so concatenating them gives the input back.
/// </summary>
internal static class ClickHouseSqlScanner
{
    /// <summary>The pieces of <paramref name="sql"/>, in order.</summary>
    public static List<SqlPiece> Scan(string sql)
    {
        var pieces = new List<SqlPiece>((sql.Length / 4) + 1);
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var kind = Next(sql, ref i);
            pieces.Add(new SqlPiece(kind, start, i - start));
        }

        return pieces;
    }

    private static SqlPieceKind Next(string sql, ref int i)
    {
        var c = sql[i];
        var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
        switch (c)
        {
            case '\'':
                i = EndOfQuoted(sql, i, '\'');
                return SqlPieceKind.String;
            case '"' or '`':
                i = EndOfQuoted(sql, i, c);
                return SqlPieceKind.QuotedIdentifier;
            case '-' when next == '-':
                var newline = sql.IndexOf('\n', i);
                i = newline < 0 ? sql.Length : newline + 1;
                return SqlPieceKind.Comment;
            case '/' when next == '*':
                var close = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? sql.Length : close + 2;
                return SqlPieceKind.Comment;
            case '@' when char.IsAsciiLetter(next) || next == '_':
                i = EndOfWord(sql, i + 1);
                return SqlPieceKind.Placeholder;
        }

        if (char.IsWhiteSpace(c))
        {
            while (i < sql.Length && char.IsWhiteSpace(sql[i]))
            {
                i++;
            }

            return SqlPieceKind.Space;
        }

        if (IsWordChar(c))
        {
            i = EndOfWord(sql, i);
            return SqlPieceKind.Word;
        }

        i++;
        return SqlPieceKind.Symbol;
    }

    /// <summary>The index after the closing <paramref name="quote"/> of the quoted text opening at <paramref name="open"/>.</summary>
    private static int EndOfQuoted(string sql, int open, char quote)
    {
        var i = open + 1;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '\\')
            {
                i += 2;
            }
            else if (c == quote)
            {
                // A doubled quote is an escaped quote, not the end.
                if (i + 1 < sql.Length && sql[i + 1] == quote)
                {
                    i += 2;
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    private static int EndOfWord(string sql, int i)
    {
        while (i < sql.Length && IsWordChar(sql[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}

/// <summary>What a <see cref="SqlPiece"/> is.</summary>
internal enum SqlPieceKind
{
    /// <summary>Identifier, keyword or number.</summary>
    Word,

    /// <summary><c>@name</c>.</summary>
    Placeholder,

    /// <summary>A string literal, quotes included.</summary>
    String,

    /// <summary>A double-quoted or backticked identifier, quotes included.</summary>
    QuotedIdentifier,

    /// <summary>A comment, its markers included.</summary>
    Comment,

    /// <summary>White space.</summary>
    Space,

    /// <summary>Any other single character.</summary>
    Symbol,
}

/// <summary>A piece of SQL text.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Start">Index of its first character.</param>
/// <param name="Length">Number of characters.</param>
internal readonly record struct SqlPiece(SqlPieceKind Kind, int Start, int Length)
{
    /// <summary>True for pieces that carry meaning (not space or comment).</summary>
    public bool IsSignificant => Kind is not (SqlPieceKind.Space or SqlPieceKind.Comment);

    /// <summary>True when this is the word <paramref name="keyword"/>, in any case.</summary>
    public bool Is(string sql, string keyword) =>
        Kind == SqlPieceKind.Word && sql.AsSpan(Start, Length).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when this is the symbol <paramref name="symbol"/>.</summary>
    public bool Is(string sql, char symbol) => Kind == SqlPieceKind.Symbol && sql[Start] == symbol;
}
