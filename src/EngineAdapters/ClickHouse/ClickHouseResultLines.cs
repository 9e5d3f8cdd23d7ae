using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Hera.Grains.Interfaces.Results;

namespace Hera.EngineAdapters.ClickHouse;

// Design note. A scan's cost in Hera was not ClickHouse's but Hera's: every TSV field became an object (a boxed long,
// a decimal, a string) only to be written back as the same digits. This transcodes one TSV line into one result line
// (a JSON array) directly, field by field, and must give exactly the bytes ResultJson.WriteValue gives for the value
// ClickHouseValues.TryRead reads from that field. Each field takes the fast way only when that is evidently true:
// - integers and decimals in canonical form (no sign but '-', no leading zero, at most 18 or 28 digits, not a
//   negative zero) are copied: long and decimal print those digits back unchanged (a decimal keeps its scale);
// - text that is printable ASCII without '"' or '\' is copied between quotes (the JSON encoder leaves it alone);
//   other valid UTF-8 text goes to Utf8JsonWriter as UTF-8 (the same encoder, so the same escapes), after TSV
//   unescaping into a scratch buffer;
// - dates and timestamps that read as real ones are copied between quotes (they print back as the same text); the
//   zero date is the epoch's constant text.
// Everything else (floats, invalid UTF-8, non-canonical numbers, a value that does not fit its type) takes the slow
// way: TryRead then ResultJson.WriteValue, which is the old path by definition, including its errors.

/// <summary>Writes ClickHouse TSV rows as Hera result lines without value objects; see the design note above.</summary>
internal sealed class ClickHouseResultLines
{
    /// <summary>Bytes of text copied as they are into a JSON string: printable ASCII except the quote and the backslash.</summary>
    private static readonly SearchValues<byte> PlainText = SearchValues.Create(
        [.. Enumerable.Range(0x20, 0x7F - 0x20).Where(b => b is not '"' and not '\\').Select(b => (byte)b)]);

    private readonly ClickHouseValueKind[] _kinds;
    private readonly BadField _badValue;
    private readonly Func<int, Exception> _wrongWidth;
    private readonly Utf8JsonWriter _json;
    private byte[] _scratch = [];

    /// <summary>An encoder for columns of <paramref name="kinds"/>; failures are the row stream's own exceptions.</summary>
    /// <param name="kinds">How each column's values are read.</param>
    /// <param name="badValue">The failure for a field that is not a value of its column's type.</param>
    /// <param name="wrongWidth">The failure for a row of the given number of fields (-1: more than the columns).</param>
    public ClickHouseResultLines(ClickHouseValueKind[] kinds, BadField badValue, Func<int, Exception> wrongWidth)
    {
        _kinds = kinds;
        _badValue = badValue;
        _wrongWidth = wrongWidth;
        _json = new Utf8JsonWriter(new ArrayBufferWriter<byte>(), ResultJson.WriterOptions);
    }

    /// <summary>Makes the exception for <paramref name="field"/> of <paramref name="column"/>.</summary>
    public delegate Exception BadField(int column, ReadOnlySpan<byte> field);

    private static ReadOnlySpan<byte> Null => "null"u8;

    private static ReadOnlySpan<byte> ZeroDate => "0000-00-00"u8;

    private static ReadOnlySpan<byte> EpochDate => "\"1970-01-01\""u8;

    private static ReadOnlySpan<byte> EpochTimestamp => "\"1970-01-01 00:00:00\""u8;

    /// <summary>Appends <paramref name="line"/> (one TSV row, without its newline) to <paramref name="output"/> as a result line with its <c>\n</c>.</summary>
    public void WriteRow(ReadOnlySpan<byte> line, ArrayBufferWriter<byte> output)
    {
        // The fast way adds at most two bytes to a field (quotes; "null" for \N) and the line three ('[', ']', '\n'),
        // so one span of this size holds the whole row; a field taking the slow way writes on its own and renews it.
        var bound = line.Length + (2 * _kinds.Length) + 3;
        var span = output.GetSpan(bound);
        var at = 0;
        span[at++] = (byte)'[';
        var column = 0;
        while (true)
        {
            if (column >= _kinds.Length)
            {
                throw _wrongWidth(-1);
            }

            var tab = line.IndexOf((byte)'\t');
            var field = tab < 0 ? line : line[..tab];
            if (column > 0)
            {
                span[at++] = (byte)',';
            }

            var written = TryWriteFast(_kinds[column], field, span[at..]);
            if (written >= 0)
            {
                at += written;
            }
            else
            {
                output.Advance(at);
                WriteOther(column, field, output);
                span = output.GetSpan(bound);
                at = 0;
            }

            column++;
            if (tab < 0)
            {
                break;
            }

            line = line[(tab + 1)..];
        }

        if (column != _kinds.Length)
        {
            throw _wrongWidth(column);
        }

        span[at++] = (byte)']';
        span[at++] = (byte)'\n';
        output.Advance(at);
    }

    /// <summary>Writes <paramref name="field"/> into <paramref name="destination"/> when it can be copied; the bytes written, or -1.</summary>
    private static int TryWriteFast(ClickHouseValueKind kind, ReadOnlySpan<byte> field, Span<byte> destination)
    {
        if (field.Length == 2 && field[0] == '\\' && field[1] == 'N')
        {
            Null.CopyTo(destination);
            return Null.Length;
        }

        return kind switch
        {
            ClickHouseValueKind.Integer => TryCopyNumber(field, maxDigits: 18, fraction: false, destination),
            ClickHouseValueKind.Decimal => TryCopyNumber(field, maxDigits: 28, fraction: true, destination),
            ClickHouseValueKind.Text or ClickHouseValueKind.FixedText or ClickHouseValueKind.Literal
                when field.IndexOfAnyExcept(PlainText) < 0 => Quote(field, destination),
            ClickHouseValueKind.Date when ClickHouseValues.IsDate(field) =>
                field.SequenceEqual(ZeroDate) ? Copy(EpochDate, destination) : Quote(field, destination),
            ClickHouseValueKind.Timestamp when ClickHouseValues.IsZeroTimestamp(field) => Copy(EpochTimestamp, destination),
            ClickHouseValueKind.Timestamp when ClickHouseValues.IsTimestamp(field) => Quote(field, destination),
            _ => -1,
        };
    }

    /// <summary>A field the fast way cannot copy: text with escapes or non-ASCII bytes, else the old path.</summary>
    private void WriteOther(int column, ReadOnlySpan<byte> field, ArrayBufferWriter<byte> output)
    {
        var kind = _kinds[column];
        var done = kind switch
        {
            ClickHouseValueKind.Text => TryWriteText(field, unescape: true, trimZeros: false, output),
            ClickHouseValueKind.FixedText => TryWriteText(field, unescape: true, trimZeros: true, output),
            ClickHouseValueKind.Literal => TryWriteText(field, unescape: false, trimZeros: false, output),
            _ => false,
        };
        if (!done)
        {
            WriteSlow(column, field, output);
        }
    }

    /// <summary>The old path: the value as TryRead reads it, written by ResultJson.</summary>
    private void WriteSlow(int column, ReadOnlySpan<byte> field, ArrayBufferWriter<byte> output)
    {
        if (!ClickHouseValues.TryRead(field, _kinds[column], out var value))
        {
            throw _badValue(column, field);
        }

        _json.Reset(output);
        ResultJson.WriteValue(_json, value);
        _json.Flush();
    }

    /// <summary>
    /// Copies a canonical integer or decimal (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c> of at most
    /// <paramref name="maxDigits"/> digits, not a negative zero, which may print without its sign); else -1.
    /// </summary>
    private static int TryCopyNumber(ReadOnlySpan<byte> field, int maxDigits, bool fraction, Span<byte> destination)
    {
        var start = field.Length > 0 && field[0] == '-' ? 1 : 0;
        var digits = 0;
        var point = -1;
        var nonZero = false;
        for (var i = start; i < field.Length; i++)
        {
            var b = field[i];
            if ((uint)(b - '0') <= 9)
            {
                digits++;
                nonZero |= b != '0';
            }
            else if (b == '.' && fraction && point < 0)
            {
                point = i;
            }
            else
            {
                return -1;
            }
        }

        var whole = (point < 0 ? field.Length : point) - start;
        if (whole == 0 || digits > maxDigits || point == field.Length - 1
            || (whole > 1 && field[start] == '0') || (start == 1 && !nonZero))
        {
            return -1;
        }

        return Copy(field, destination);
    }

    private static int Copy(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    private static int Quote(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        destination[0] = (byte)'"';
        bytes.CopyTo(destination[1..]);
        destination[bytes.Length + 1] = (byte)'"';
        return bytes.Length + 2;
    }

    /// <summary>Text that is valid UTF-8 once unescaped, through the JSON writer's own escaping; false when it is not valid.</summary>
    private bool TryWriteText(ReadOnlySpan<byte> field, bool unescape, bool trimZeros, ArrayBufferWriter<byte> output)
    {
        var text = field;
        if (unescape && field.IndexOf((byte)'\\') >= 0)
        {
            if (_scratch.Length < field.Length)
            {
                _scratch = new byte[Math.Max(field.Length, 256)];
            }

            text = _scratch.AsSpan(0, ClickHouseValues.UnescapeTo(field, _scratch));
        }

        if (trimZeros)
        {
            text = text.TrimEnd((byte)0);
        }

        // Invalid UTF-8 becomes U+FFFD when decoded to a string; the slow path does exactly that.
        if (!Utf8.IsValid(text))
        {
            return false;
        }

        _json.Reset(output);
        _json.WriteStringValue(text);
        _json.Flush();
        return true;
    }
}
