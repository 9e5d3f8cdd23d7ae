using System.Buffers;
using System.Globalization;
using System.Text;

namespace Hera.Sql.Lexing;

/// <summary>Words, numbers and quoted forms: the tokens longer than a symbol.</summary>
public sealed partial class SqlLexer
{
    // Unescaped values up to this many characters are built on the stack.
    private const int StackBufferLength = 256;

    private Token ReadWordOrPrefixedLiteral(char first)
    {
        // X'..' and U&'..' are literals only when the quote follows at once; X '..' is a typed literal of type X.
        var lower = (char)(first | 0x20);
        if (lower == 'x' && CharAt(_pos + 1) == '\'')
        {
            return ReadQuoted(TokenKind.BinaryLiteral, prefixLength: 1, '\'');
        }

        if (lower == 'u' && CharAt(_pos + 1) == '&' && CharAt(_pos + 2) == '\'')
        {
            return ReadQuoted(TokenKind.UnicodeStringLiteral, prefixLength: 2, '\'');
        }

        return ReadWord();
    }

    private Token ReadNonAscii()
    {
        var width = IdentifierRuneWidth(_pos, isStart: true);
        if (width > 0)
        {
            return ReadWord();
        }

        // A well-formed surrogate pair stays one Other token, so its value is valid text.
        var pair = char.IsHighSurrogate(_sql[_pos]) && char.IsLowSurrogate(CharAt(_pos + 1));
        return EmitOther(pair ? 2 : 1);
    }

    /// <summary>Reads a bare word whose first character is known to start an identifier.</summary>
    private Token ReadWord()
    {
        var s = _sql;
        var end = _pos;
        var ascii = true;
        while (end < s.Length)
        {
            var c = s[end];
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                end++;
                continue;
            }

            var width = c < '\u0080' ? 0 : IdentifierRuneWidth(end, isStart: end == _pos);
            if (width == 0)
            {
                break;
            }

            ascii = false;
            end += width;
        }

        var word = s.AsSpan(_pos, end - _pos);
        return ascii && SqlKeywords.TryFind(word, out var keyword)
            ? Emit(TokenKind.Keyword, keyword, word.Length)
            : Emit(TokenKind.Identifier, word.ToString(), word.Length);
    }

    /// <summary>
    /// The width (1 or 2 UTF-16 units) of the non-ASCII character at <paramref name="index"/> when it may appear
    /// in a bare identifier, else 0. Letters may start one; combining marks, digits and connectors only continue one.
    /// </summary>
    private int IdentifierRuneWidth(int index, bool isStart)
    {
        if (Rune.DecodeFromUtf16(_sql.AsSpan(index), out var rune, out var width) != OperationStatus.Done)
        {
            return 0;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber => width,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.DecimalDigitNumber
                or UnicodeCategory.ConnectorPunctuation when !isStart => width,
            _ => 0,
        };
    }

    /// <summary>
    /// Reads a number. Trino's forms: digits with single underscores between them (<c>1_000</c>); <c>0x</c>,
    /// <c>0o</c>, <c>0b</c> integers; a fraction (<c>1.5</c>, <c>1.</c>, <c>.5</c>); an exponent (<c>1e9</c>,
    /// <c>2.5E-3</c>) taken only when digits follow the <c>e</c> and its sign.
    /// </summary>
    private Token ReadNumber()
    {
        var radix = CharAt(_pos) == '0' ? RadixOfPrefix(CharAt(_pos + 1)) : 10;
        int end;
        if (radix != 10 && IsDigit(CharAt(_pos + 2), radix))
        {
            end = SkipDigits(_pos + 2, radix);
        }
        else
        {
            end = SkipDigits(_pos, 10);
            if (CharAt(end) == '.')
            {
                end = SkipDigits(end + 1, 10);
            }

            end = SkipExponent(end);
        }

        return Emit(TokenKind.Number, _sql.Substring(_pos, end - _pos), end - _pos);
    }

    private static int RadixOfPrefix(char c) => (c | 0x20) switch
    {
        'x' => 16,
        'o' => 8,
        'b' => 2,
        _ => 10,
    };

    private static bool IsDigit(char c, int radix) => radix switch
    {
        16 => char.IsAsciiHexDigit(c),
        8 => c is >= '0' and <= '7',
        2 => c is '0' or '1',
        _ => char.IsAsciiDigit(c),
    };

    /// <summary>
    /// The index after a run of digits starting at <paramref name="index"/>, with one <c>_</c> allowed between two
    /// digits.
    /// </summary>
    private int SkipDigits(int index, int radix)
    {
        var start = index;
        while (IsDigit(CharAt(index), radix)
            || (CharAt(index) == '_' && index > start && IsDigit(CharAt(index + 1), radix)))
        {
            index++;
        }

        return index;
    }

    private int SkipExponent(int index)
    {
        if ((CharAt(index) | 0x20) != 'e')
        {
            return index;
        }

        var digits = CharAt(index + 1) is '+' or '-' ? index + 2 : index + 1;
        if (!char.IsAsciiDigit(CharAt(digits)))
        {
            return index;
        }

        while (char.IsAsciiDigit(CharAt(digits)))
        {
            digits++;
        }

        return digits;
    }

    /// <summary>
    /// Reads a quoted form: <paramref name="prefixLength"/> characters (<c>X</c>, <c>U&amp;</c>), the opening
    /// <paramref name="quote"/>, the body, the closing quote. A doubled quote in the body is one quote, except in a
    /// binary literal, which has none. Line breaks inside are kept and counted.
    /// </summary>
    private Token ReadQuoted(TokenKind kind, int prefixLength, char quote)
    {
        var start = Here();
        var bodyStart = _pos + prefixLength + 1;
        var end = FindClosingQuote(bodyStart, quote, allowDoubled: kind != TokenKind.BinaryLiteral, out var doubled);
        if (end < 0)
        {
            throw new SqlSyntaxException($"closing quote {quote}", "end of input", start);
        }

        var body = _sql.AsSpan(bodyStart, end - 1 - bodyStart);
        var value = doubled ? Undouble(body, quote) : body.ToString();
        _pos = end;
        return new Token(kind, value, start, end - start.Offset);
    }

    /// <summary>
    /// The index just past the quote that closes a body starting at <paramref name="index"/>, or -1 when the
    /// input ends first. Counts the line breaks it passes.
    /// </summary>
    private int FindClosingQuote(int index, char quote, bool allowDoubled, out bool doubled)
    {
        var s = _sql;
        doubled = false;
        while (true)
        {
            var hit = s.AsSpan(index).IndexOfAny(quote, '\n', '\r');
            if (hit < 0)
            {
                return -1;
            }

            index += hit;
            if (s[index] != quote)
            {
                index = ConsumeLineBreak(index);
            }
            else if (allowDoubled && CharAt(index + 1) == quote)
            {
                doubled = true;
                index += 2;
            }
            else
            {
                return index + 1;
            }
        }
    }

    private static string Undouble(ReadOnlySpan<char> body, char quote)
    {
        Span<char> buffer = body.Length <= StackBufferLength ? stackalloc char[StackBufferLength] : new char[body.Length];
        var length = 0;
        for (var i = 0; i < body.Length; i++)
        {
            buffer[length++] = body[i];
            if (body[i] == quote)
            {
                i++;
            }
        }

        return new string(buffer[..length]);
    }
}
