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

    private static ReadOnlySpan<byte> EpochDate => "\"1970-01-01\""u8;

    private static ReadOnlySpan<byte> EpochTimestamp => "\"1970-01-01 00:00:00\""u8;

    /// <summary>Appends <paramref name="line"/> (one TSV row, without its newline) to <paramref name="output"/> as a result line with its <c>\n</c>.</summary>
    public void WriteRow(ReadOnlySpan<byte> line, ArrayBufferWriter<byte> output)
    {
        Put(output, "["u8);
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
                Put(output, ","u8);
            }

            WriteField(column, field, output);
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

        Put(output, "]\n"u8);
    }

    private void WriteField(int column, ReadOnlySpan<byte> field, ArrayBufferWriter<byte> output)
    {
        if (field.Length == 2 && field[0] == '\\' && field[1] == 'N')
        {
            Put(output, Null);
            return;
        }

        var done = _kinds[column] switch
        {
            ClickHouseValueKind.Integer => TryCopyNumber(field, maxDigits: 18, fraction: false, output),
            ClickHouseValueKind.Decimal => TryCopyNumber(field, maxDigits: 28, fraction: true, output),
            ClickHouseValueKind.Text => TryWriteText(field, unescape: true, trimZeros: false, output),
            ClickHouseValueKind.FixedText => TryWriteText(field, unescape: true, trimZeros: true, output),
            ClickHouseValueKind.Literal => TryWriteText(field, unescape: false, trimZeros: false, output),
            ClickHouseValueKind.Date => TryWriteDate(field, output),
            ClickHouseValueKind.Timestamp => TryWriteTimestamp(field, output),
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

    /// <summary>Copies a canonical integer or decimal (<c>-?(0|[1-9][0-9]*)(\.[0-9]+)?</c>, not negative zero).</summary>
    private static bool TryCopyNumber(ReadOnlySpan<byte> field, int maxDigits, bool fraction, ArrayBufferWriter<byte> output)
    {
        var negative = field.Length > 0 && field[0] == '-';
        var digits = negative ? field[1..] : field;
        var point = fraction ? digits.IndexOf((byte)'.') : -1;
        var whole = point < 0 ? digits : digits[..point];
        var count = digits.Length - (point < 0 ? 0 : 1);
        if (whole.Length == 0 || count > maxDigits || (whole[0] == '0' && whole.Length > 1)
            || (point >= 0 && point == digits.Length - 1)
            || digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') != point)
        {
            return false;
        }

        if (point >= 0 && digits[(point + 1)..].IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return false;
        }

        // A negative zero may print without its sign; leave it to the slow path.
        if (negative && digits.IndexOfAnyExcept((byte)'0', (byte)'.') < 0)
        {
            return false;
        }

        Put(output, field);
        return true;
    }

    private bool TryWriteText(ReadOnlySpan<byte> field, bool unescape, bool trimZeros, ArrayBufferWriter<byte> output)
    {
        if (field.IndexOfAnyExcept(PlainText) < 0)
        {
            PutQuoted(output, field);
            return true;
        }

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

    private static bool TryWriteDate(ReadOnlySpan<byte> field, ArrayBufferWriter<byte> output)
    {
        if (!ClickHouseValues.IsDate(field))
        {
            return false;
        }

        if (field[0] == '0' && field.SequenceEqual("0000-00-00"u8))
        {
            Put(output, EpochDate);
        }
        else
        {
            PutQuoted(output, field);
        }

        return true;
    }

    private static bool TryWriteTimestamp(ReadOnlySpan<byte> field, ArrayBufferWriter<byte> output)
    {
        if (ClickHouseValues.IsZeroTimestamp(field))
        {
            Put(output, EpochTimestamp);
            return true;
        }

        if (!ClickHouseValues.IsTimestamp(field))
        {
            return false;
        }

        PutQuoted(output, field);
        return true;
    }

    private static void Put(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static void PutQuoted(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length + 2);
        span[0] = (byte)'"';
        bytes.CopyTo(span[1..]);
        span[bytes.Length + 1] = (byte)'"';
        output.Advance(bytes.Length + 2);
    }
}
