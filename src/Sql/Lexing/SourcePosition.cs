namespace Hera.Sql.Lexing;

/// <summary>
/// A place in SQL text, as carried by every token and every <see cref="SqlSyntaxException"/>. Lines break at
/// <c>\n</c>, <c>\r\n</c> (one break) and a lone <c>\r</c>; no other character starts a line.
/// </summary>
/// <param name="Offset">0-based index into the input string, in UTF-16 code units (<c>sql[Offset]</c>).</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">
/// 1-based column, counted in UTF-16 code units from the start of the line: a character outside the Basic
/// Multilingual Plane (an emoji, a rare CJK ideograph) counts as two, and a tab as one.
/// </param>
public readonly record struct SourcePosition(int Offset, int Line, int Column)
{
    /// <summary>The start of any input: offset 0, line 1, column 1.</summary>
    public static SourcePosition Start { get; } = new(0, 1, 1);

    /// <summary>The form used in error messages: <c>line 3, column 14</c>.</summary>
    public override string ToString() => $"line {Line}, column {Column}";
}
