namespace Hera.Sql.Lexing;

/// <summary>
/// One token of SQL text. Tokens do not hold the text they came from; <see cref="Start"/> and <see cref="Length"/>
/// locate them in it (see <see cref="SourceText"/>).
/// </summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Value">
/// What it means, per <see cref="TokenKind"/>: the upper-cased keyword, the identifier as written, the unescaped
/// content of a quoted form (without its quotes), the number or operator as written; empty for
/// <see cref="TokenKind.EndOfInput"/>. Keyword and operator values are shared constant strings.
/// </param>
/// <param name="Start">Where its first character is.</param>
/// <param name="Length">Its length in the input, in UTF-16 code units, quotes and prefixes included.</param>
public readonly record struct Token(TokenKind Kind, string Value, SourcePosition Start, int Length)
{
    /// <summary>Longest source text quoted by <see cref="Describe"/>.</summary>
    internal const int MaxDescribedLength = 40;

    /// <summary>The offset just past the token's last character.</summary>
    public int EndOffset => Start.Offset + Length;

    /// <summary>
    /// True for the keyword <paramref name="keyword"/>, which must be given upper-case (<c>"SELECT"</c>), as
    /// <see cref="SqlKeywords"/> lists it.
    /// </summary>
    public bool IsKeyword(string keyword) =>
        Kind == TokenKind.Keyword && string.Equals(Value, keyword, StringComparison.Ordinal);

    /// <summary>
    /// The token exactly as written in <paramref name="sql"/>, the text it was read from: quotes, prefixes and the
    /// original case included. A parser uses this to keep the spelling of a non-reserved keyword used as a name.
    /// </summary>
    public string SourceText(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return sql.Substring(Start.Offset, Length);
    }

    /// <summary>
    /// How the token appears after <c>found:</c> in a <see cref="SqlSyntaxException"/>: <c>end of input</c>, or the
    /// source text, shortened to <see cref="MaxDescribedLength"/> characters so one huge literal cannot flood a message.
    /// </summary>
    internal string Describe(string sql)
    {
        if (Kind == TokenKind.EndOfInput)
        {
            return "end of input";
        }

        return Length <= MaxDescribedLength
            ? sql.Substring(Start.Offset, Length)
            : string.Concat(sql.AsSpan(Start.Offset, MaxDescribedLength), "…");
    }
}
