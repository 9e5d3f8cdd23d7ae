namespace Hera.Sql.Lexing;

/// <summary>
/// What a <see cref="Token"/> is. Each operator and punctuation mark has its own kind (as in sqlparser-rs), so the
/// parser switches on kinds rather than comparing text.
/// </summary>
public enum TokenKind
{
    /// <summary>The end of the input; always the last token, with an empty value and length 0.</summary>
    EndOfInput,

    /// <summary>
    /// A word in <see cref="SqlKeywords"/>, reserved or not; the value is the keyword upper-cased
    /// (<c>select</c> → <c>SELECT</c>).
    /// </summary>
    Keyword,

    /// <summary>A bare word that is not a keyword; the value is as written (case kept).</summary>
    Identifier,

    /// <summary><c>"Order Id"</c>: the value is the text between the quotes with <c>""</c> read as one <c>"</c>.</summary>
    QuotedIdentifier,

    /// <summary>
    /// <c>`order id`</c> (MySQL, ClickHouse, SQLite): the value is the text between the backticks with a doubled
    /// backtick read as one. Trino's own lexer knows this form only to reject it; the parser does the same.
    /// </summary>
    BacktickIdentifier,

    /// <summary><c>'it''s'</c>: the value is the text between the quotes with <c>''</c> read as one <c>'</c>.</summary>
    StringLiteral,

    /// <summary>
    /// <c>U&amp;'caf\00E9'</c>: the value is the text between the quotes with <c>''</c> read as one <c>'</c>;
    /// backslash escapes are left for the parser, because a following <c>UESCAPE</c> clause may change the escape
    /// character.
    /// </summary>
    UnicodeStringLiteral,

    /// <summary><c>X'00FF'</c>: the value is the text between the quotes, not yet checked to be hex digits.</summary>
    BinaryLiteral,

    /// <summary>
    /// A numeric literal as written: <c>42</c>, <c>1_000</c>, <c>0x1F</c>, <c>0b101</c>, <c>0o17</c>, <c>1.5</c>,
    /// <c>1.</c>, <c>.5</c>, <c>1.5e10</c>, <c>2E-3</c>. Its type (integer, decimal, double) follows from the text:
    /// an exponent makes a double, a dot without one a decimal. A sign is a separate <see cref="Minus"/>/<see cref="Plus"/>.
    /// </summary>
    Number,

    /// <summary><c>?</c>, a positional parameter.</summary>
    Parameter,

    /// <summary><c>=</c>.</summary>
    Equals,

    /// <summary><c>&lt;&gt;</c> or <c>!=</c> (the value says which).</summary>
    NotEquals,

    /// <summary><c>&lt;</c>.</summary>
    LessThan,

    /// <summary><c>&lt;=</c>.</summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c>.</summary>
    GreaterThan,

    /// <summary><c>&gt;=</c>.</summary>
    GreaterThanOrEqual,

    /// <summary><c>+</c>.</summary>
    Plus,

    /// <summary><c>-</c>.</summary>
    Minus,

    /// <summary><c>*</c>: multiplication or the select-all wildcard.</summary>
    Asterisk,

    /// <summary><c>/</c>.</summary>
    Slash,

    /// <summary><c>%</c>.</summary>
    Percent,

    /// <summary><c>||</c>, string and array concatenation.</summary>
    Concat,

    /// <summary><c>(</c>.</summary>
    LeftParen,

    /// <summary><c>)</c>.</summary>
    RightParen,

    /// <summary><c>,</c>.</summary>
    Comma,

    /// <summary><c>.</c>, between the parts of a qualified name.</summary>
    Dot,

    /// <summary><c>;</c>, between statements.</summary>
    Semicolon,

    /// <summary><c>[</c>, array subscript or constructor.</summary>
    LeftBracket,

    /// <summary><c>]</c>.</summary>
    RightBracket,

    /// <summary><c>:</c>. PostgreSQL's <c>::</c> cast comes out as two of these.</summary>
    Colon,

    /// <summary><c>-&gt;</c>, a lambda: <c>x -&gt; x + 1</c>.</summary>
    Arrow,

    /// <summary><c>=&gt;</c>, a named argument: <c>f(name =&gt; 1)</c>.</summary>
    FatArrow,

    /// <summary>
    /// A character that starts no other token, as written: one character, or two for a surrogate pair. Trino uses
    /// some of them in row patterns (<c>| ^ $ { }</c>); other engines use others (<c>@ # &amp; ~ \</c>). The
    /// lexer passes them on rather than failing, and the parser decides (see <see cref="SqlLexer"/>).
    /// </summary>
    Other,
}
