using System.Buffers;

namespace Hera.Sql.Lexing;

// Design note.
//
// Why hand-written: the lexer sits on the submission hot path (every job, before it is stored) and under the
// parser, so it must be fast and exact. It walks the string once with an index (sqlparser-rs' tokenizer is the
// model), allocates only the values that must become strings (names, numbers, literal contents; keywords and
// operators are shared constants), and finds the end of quoted text and comments with vectorised IndexOfAny
// rather than char by char. No regexes, no generated ANTLR lexer: positions and messages are ours, and so is
// the choice of what to accept.
//
// What it refuses: only text that is unterminated, whatever the engine — a string, quoted identifier, binary or
// Unicode literal without its closing quote, or a block comment without its */. The error points at the
// opening, where the mistake usually is.
//
// What is lenient, and why: Hera also forwards SQL verbatim to SQLite, PostgreSQL and ClickHouse, so the lexer
// must not fail on text those engines accept just because Trino's grammar lacks it. Any character that starts no
// Trino token (@ # $ & ~ \ ^ { } a lone | or !) becomes an Other token and the parser, which knows what it
// is reading, decides. Likewise: backticked identifiers get their own kind (Trino's lexer knows them too, to
// reject them); bare identifiers may contain non-ASCII letters (Trino allows only ASCII; PostgreSQL and SQLite
// allow more), as in Café or 数据; Unicode white space and a byte-order mark count as white space; digits run into
// letters (1abc) split into a Number and an Identifier; PostgreSQL's :: is two Colon tokens.
//
// Known limits, all Trino's rules: a backslash is an ordinary character inside quotes, so ClickHouse's or
// MySQL's 'it\'s' looks unterminated ('it''s' works on every engine); /* */ comments do not nest (PostgreSQL's
// do); PostgreSQL's dollar-quoted $$...$$ bodies are not recognised.

/// <summary>
/// Splits Trino-dialect SQL into <see cref="Token"/>s, skipping white space and comments (<c>-- …</c> to the end
/// of the line, <c>/* … */</c> without nesting). Use <see cref="Tokenize"/> for the whole list, or
/// <see cref="Next"/> to stream. What is accepted and what is refused is described at the top of this file; in
/// short, only unterminated quotes and comments throw <see cref="SqlSyntaxException"/>. Not thread-safe; cheap to
/// create, one per text.
/// </summary>
public sealed partial class SqlLexer
{
    private readonly string _sql;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    /// <summary>Creates a lexer positioned at the start of <paramref name="sql"/>.</summary>
    public SqlLexer(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        _sql = sql;
    }

    /// <summary>The text being read.</summary>
    public string Sql => _sql;

    /// <summary>
    /// All tokens of <paramref name="sql"/>, the last one <see cref="TokenKind.EndOfInput"/> (the only one for
    /// empty input or input of white space and comments).
    /// </summary>
    /// <exception cref="SqlSyntaxException">A quote or block comment is not closed.</exception>
    public static IReadOnlyList<Token> Tokenize(string sql)
    {
        var buffer = new Token[InitialCapacity(sql)];
        var count = TokenizeInto(sql, ref buffer);
        return count == buffer.Length ? buffer : new ArraySegment<Token>(buffer, 0, count);
    }

    /// <summary>
    /// A token-array size that holds a typical statement without regrowth: analytic SQL averages one token per
    /// four characters (the benchmark corpus: one per 3.96), so a third of the length leaves headroom.
    /// </summary>
    internal static int InitialCapacity(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return (sql.Length / 3) + 4;
    }

    /// <summary>
    /// Reads all tokens of <paramref name="sql"/> into <paramref name="buffer"/> from index 0, the last one
    /// <see cref="TokenKind.EndOfInput"/>, and returns how many there are. When the buffer is full it is replaced by
    /// one twice the size from <see cref="ArrayPool{T}.Shared"/> and the old one returned there (cleared), so a caller
    /// that rents the first buffer from that pool returns the final one to it.
    /// </summary>
    /// <exception cref="SqlSyntaxException">A quote or block comment is not closed.</exception>
    internal static int TokenizeInto(string sql, ref Token[] buffer, bool pooled = false)
    {
        var lexer = new SqlLexer(sql);
        var tokens = buffer;
        var count = 0;
        Token token;
        do
        {
            token = lexer.Next();
            if (count == tokens.Length)
            {
                var larger = pooled ? ArrayPool<Token>.Shared.Rent(tokens.Length * 2) : new Token[tokens.Length * 2];
                Array.Copy(tokens, larger, count);
                if (pooled)
                {
                    ArrayPool<Token>.Shared.Return(tokens, clearArray: true);
                }

                tokens = larger;
                buffer = larger;
            }

            tokens[count++] = token;
        }
        while (token.Kind != TokenKind.EndOfInput);

        return count;
    }

    /// <summary>
    /// The next token, after skipping white space and comments. At the end it returns
    /// <see cref="TokenKind.EndOfInput"/>, and keeps returning it if called again.
    /// </summary>
    /// <exception cref="SqlSyntaxException">A quote or block comment is not closed.</exception>
    public Token Next()
    {
        SkipTrivia();
        if (_pos >= _sql.Length)
        {
            return new Token(TokenKind.EndOfInput, string.Empty, Here(), 0);
        }

        var c = _sql[_pos];
        if (char.IsAsciiLetter(c) || c == '_')
        {
            return ReadWordOrPrefixedLiteral(c);
        }

        if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(CharAt(_pos + 1))))
        {
            return ReadNumber();
        }

        return c switch
        {
            '\'' => ReadQuoted(TokenKind.StringLiteral, prefixLength: 0, '\''),
            '"' => ReadQuoted(TokenKind.QuotedIdentifier, prefixLength: 0, '"'),
            '`' => ReadQuoted(TokenKind.BacktickIdentifier, prefixLength: 0, '`'),
            < '\u0080' => ReadSymbol(c),
            _ => ReadNonAscii(),
        };
    }

    private SourcePosition Here() => new(_pos, _line, _pos - _lineStart + 1);

    /// <summary>The character at <paramref name="index"/>, or NUL past the end (NUL matches no lookahead test).</summary>
    private char CharAt(int index) => (uint)index < (uint)_sql.Length ? _sql[index] : '\0';

    /// <summary>A token of <paramref name="length"/> characters at the current position, which must not span a line break.</summary>
    private Token Emit(TokenKind kind, string value, int length)
    {
        var token = new Token(kind, value, Here(), length);
        _pos += length;
        return token;
    }

    private Token Emit(TokenKind kind, string value) => Emit(kind, value, value.Length);

    private Token EmitOther(int length) => Emit(TokenKind.Other, _sql.Substring(_pos, length), length);

    private void SkipTrivia()
    {
        var s = _sql;
        while (_pos < s.Length)
        {
            var c = s[_pos];
            switch (c)
            {
                case ' ' or '\t' or '\f' or '\v':
                    _pos++;
                    break;
                case '\n' or '\r':
                    _pos = ConsumeLineBreak(_pos);
                    break;
                case '-' when CharAt(_pos + 1) == '-':
                    var lineEnd = s.AsSpan(_pos + 2).IndexOfAny('\n', '\r');
                    _pos = lineEnd < 0 ? s.Length : _pos + 2 + lineEnd;
                    break;
                case '/' when CharAt(_pos + 1) == '*':
                    SkipBlockComment();
                    break;
                case >= '\u0080' when char.IsWhiteSpace(c) || c == '\uFEFF':
                    _pos++;
                    break;
                default:
                    return;
            }
        }
    }

    private void SkipBlockComment()
    {
        var start = Here();
        var s = _sql;
        var i = _pos + 2;
        while (true)
        {
            var hit = s.AsSpan(i).IndexOfAny('*', '\n', '\r');
            if (hit < 0)
            {
                throw new SqlSyntaxException("end of comment */", "end of input", start);
            }

            i += hit;
            if (s[i] != '*')
            {
                i = ConsumeLineBreak(i);
            }
            else if (CharAt(i + 1) == '/')
            {
                _pos = i + 2;
                return;
            }
            else
            {
                i++;
            }
        }
    }

    /// <summary>
    /// Steps over the line break at <paramref name="index"/> (<c>\r\n</c> counts once), starts a new line, and
    /// returns the index after it.
    /// </summary>
    private int ConsumeLineBreak(int index)
    {
        var next = _sql[index] == '\r' && CharAt(index + 1) == '\n' ? index + 2 : index + 1;
        _line++;
        _lineStart = next;
        return next;
    }

    /// <summary>A named parameter, <c>@name</c> (letters, digits, <c>_</c>): how templates and callers bind values.</summary>
    private Token ReadNamedParameter()
    {
        var end = _pos + 1;
        while (end < _sql.Length && IsParameterNameChar(_sql[end]))
        {
            end++;
        }

        return Emit(TokenKind.Parameter, _sql[_pos..end]);
    }

    private static bool IsParameterNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private Token ReadSymbol(char c)
    {
        var next = CharAt(_pos + 1);
        return c switch
        {
            '=' => next == '>' ? Emit(TokenKind.FatArrow, "=>") : Emit(TokenKind.Equals, "="),
            '<' => next switch
            {
                '=' => Emit(TokenKind.LessThanOrEqual, "<="),
                '>' => Emit(TokenKind.NotEquals, "<>"),
                _ => Emit(TokenKind.LessThan, "<"),
            },
            '>' => next == '=' ? Emit(TokenKind.GreaterThanOrEqual, ">=") : Emit(TokenKind.GreaterThan, ">"),
            '!' when next == '=' => Emit(TokenKind.NotEquals, "!="),
            '|' when next == '|' => Emit(TokenKind.Concat, "||"),
            '-' => next == '>' ? Emit(TokenKind.Arrow, "->") : Emit(TokenKind.Minus, "-"),
            '+' => Emit(TokenKind.Plus, "+"),
            '*' => Emit(TokenKind.Asterisk, "*"),
            '/' => Emit(TokenKind.Slash, "/"),
            '%' => Emit(TokenKind.Percent, "%"),
            '(' => Emit(TokenKind.LeftParen, "("),
            ')' => Emit(TokenKind.RightParen, ")"),
            ',' => Emit(TokenKind.Comma, ","),
            '.' => Emit(TokenKind.Dot, "."),
            ';' => Emit(TokenKind.Semicolon, ";"),
            '?' => Emit(TokenKind.Parameter, "?"),
            '@' when IsParameterNameChar(next) && !char.IsAsciiDigit(next) => ReadNamedParameter(),
            '[' => Emit(TokenKind.LeftBracket, "["),
            ']' => Emit(TokenKind.RightBracket, "]"),
            ':' => Emit(TokenKind.Colon, ":"),
            _ => EmitOther(1),
        };
    }
}
