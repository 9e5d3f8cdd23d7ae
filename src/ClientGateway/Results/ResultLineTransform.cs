using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Hera.ClientGateway.Results;

/// <summary>
/// Turns Hera's NDJSON result lines (line 0: the columns; then one row each) into another result format, line by
/// line, so a stored file and a live stream are served alike with memory bounded by one line. The output is any
/// buffer writer: a response's pipe, or a local buffer that is handed to the pipe in one piece (a pipe's small
/// writes cost more than the transformation itself).
/// </summary>
internal abstract class ResultLineTransform
{
    /// <summary>The transform producing <paramref name="format"/>; null for NDJSON, which is the lines as they are.</summary>
    public static ResultLineTransform? For(ResultFormat format) => format switch
    {
        ResultFormat.Csv => new CsvTransform(),
        ResultFormat.Json => new JsonTransform(),
        _ => null,
    };

    /// <summary>Writes the output for line <paramref name="lineNumber"/> (without its newline).</summary>
    public abstract void WriteLine(IBufferWriter<byte> output, ReadOnlySequence<byte> line, long lineNumber);

    /// <summary>Writes what follows the last of <paramref name="lineCount"/> lines.</summary>
    public abstract void WriteEnd(IBufferWriter<byte> output, long lineCount);

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="output"/>.</summary>
    protected static void Write(IBufferWriter<byte> output, ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            output.Write(segment.Span);
        }
    }

}

/// <summary><c>{"columns":LINE0,"rows":[LINE1,LINE2,...]}</c>: the lines are already JSON, so only glue is written.</summary>
internal sealed class JsonTransform : ResultLineTransform
{
    public override void WriteLine(IBufferWriter<byte> output, ReadOnlySequence<byte> line, long lineNumber)
    {
        if (lineNumber == 0)
        {
            output.Write("{\"columns\":"u8);
            Write(output, line);
            output.Write(",\"rows\":["u8);
            return;
        }

        if (lineNumber > 1)
        {
            output.Write(","u8);
        }

        Write(output, line);
    }

    public override void WriteEnd(IBufferWriter<byte> output, long lineCount) =>
        output.Write(lineCount == 0 ? "{\"columns\":[],\"rows\":[]}"u8 : "]}"u8);
}

/// <summary>RFC 4180 CSV: a header of column names, then the rows; fields quoted only when they must be.</summary>
internal sealed class CsvTransform : ResultLineTransform
{
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<byte> NeedsQuotingUtf8 = SearchValues.Create(",\"\r\n"u8);

    public override void WriteLine(IBufferWriter<byte> output, ReadOnlySequence<byte> line, long lineNumber)
    {
        if (lineNumber > 0 && line.IsSingleSegment && TryWriteRow(output, line.FirstSpan))
        {
            return;
        }

        var json = new Utf8JsonReader(line);
        json.Read(); // StartArray
        var first = true;
        while (json.Read() && json.TokenType != JsonTokenType.EndArray)
        {
            if (!first)
            {
                output.Write(","u8);
            }

            first = false;
            if (lineNumber == 0)
            {
                // Header entries are {"name":..,"type":..}: the name is the CSV header.
                using var column = JsonDocument.ParseValue(ref json);
                WriteText(output, column.RootElement.GetProperty("name").GetString() ?? "");
                continue;
            }

            WriteField(output, ref json);
        }

        output.Write("\r\n"u8);
    }

    public override void WriteEnd(IBufferWriter<byte> output, long lineCount)
    {
    }

    /// <summary>
    /// The row line as CSV in one pass over its bytes, for lines as Hera's result writer makes them (no whitespace;
    /// numbers, <c>true</c>, <c>false</c>, <c>null</c>, strings): each field is what <see cref="WriteField"/> makes of
    /// it. False, with nothing written, for anything else (an escaped string, a nested value), which then takes the
    /// JSON reader. CSV is never longer than twice the line plus its quotes, so one span holds the whole row.
    /// </summary>
    internal static bool TryWriteRow(IBufferWriter<byte> output, ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[0] != (byte)'[')
        {
            return false;
        }

        var span = output.GetSpan((line.Length * 2) + 2);
        var written = 0;
        var at = 1;
        var more = line[at] != (byte)']';
        if (!more)
        {
            at++;
        }

        while (more)
        {
            var rest = line[at..];
            switch (rest[0])
            {
                case (byte)'"':
                    var end = rest[1..].IndexOfAny((byte)'"', (byte)'\\');
                    if (end < 0 || rest[1 + end] == (byte)'\\')
                    {
                        return false;
                    }

                    written += CopyText(span[written..], rest.Slice(1, end));
                    at += end + 2;
                    break;
                case (byte)'n' when rest.StartsWith("null"u8):
                    at += 4;
                    break;
                case (byte)'-' or (byte)'t' or (byte)'f' or (>= (byte)'0' and <= (byte)'9'):
                    var length = rest.IndexOfAny((byte)',', (byte)']');
                    if (length <= 0)
                    {
                        return false;
                    }

                    rest[..length].CopyTo(span[written..]);
                    written += length;
                    at += length;
                    break;
                default:
                    return false;
            }

            if (at >= line.Length)
            {
                return false;
            }

            more = line[at] == (byte)',';
            if (!more && line[at] != (byte)']')
            {
                return false;
            }

            at++;
            if (more)
            {
                span[written++] = (byte)',';
            }
        }

        if (at != line.Length)
        {
            return false;
        }

        span[written++] = (byte)'\r';
        span[written++] = (byte)'\n';
        output.Advance(written);
        return true;
    }

    /// <summary>Copies <paramref name="text"/> as a CSV field (quoted, quotes doubled, only when it must be); returns the bytes written.</summary>
    private static int CopyText(Span<byte> destination, ReadOnlySpan<byte> text)
    {
        if (text.IndexOfAny(NeedsQuotingUtf8) < 0)
        {
            text.CopyTo(destination);
            return text.Length;
        }

        var written = 0;
        destination[written++] = (byte)'"';
        foreach (var b in text)
        {
            destination[written++] = b;
            if (b == (byte)'"')
            {
                destination[written++] = (byte)'"';
            }
        }

        destination[written++] = (byte)'"';
        return written;
    }

    private static void WriteField(IBufferWriter<byte> output, ref Utf8JsonReader json)
    {
        switch (json.TokenType)
        {
            case JsonTokenType.Null:
                break;
            case JsonTokenType.String when !json.ValueIsEscaped && !json.HasValueSequence:
                // Without escapes the token's bytes are the text's UTF-8: no string to make.
                WriteText(output, json.ValueSpan);
                break;
            case JsonTokenType.String:
                WriteText(output, json.GetString()!);
                break;
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                if (json.HasValueSequence)
                {
                    Write(output, json.ValueSequence);
                }
                else
                {
                    output.Write(json.ValueSpan);
                }

                break;
            default:
                // Nested values do not occur in result files; write them as JSON text rather than lose them.
                using (var nested = JsonDocument.ParseValue(ref json))
                {
                    WriteText(output, nested.RootElement.GetRawText());
                }

                break;
        }
    }

    private static void WriteText(IBufferWriter<byte> output, ReadOnlySpan<byte> text)
    {
        if (text.IndexOfAny(NeedsQuotingUtf8) < 0)
        {
            output.Write(text);
            return;
        }

        output.Write("\""u8);
        for (var quote = text.IndexOf((byte)'"'); quote >= 0; quote = text.IndexOf((byte)'"'))
        {
            output.Write(text[..(quote + 1)]);
            output.Write("\""u8);
            text = text[(quote + 1)..];
        }

        output.Write(text);
        output.Write("\""u8);
    }

    private static void WriteText(IBufferWriter<byte> output, string text)
    {
        if (text.AsSpan().IndexOfAny(NeedsQuoting) < 0)
        {
            Encoding.UTF8.GetBytes(text, output);
            return;
        }

        output.Write("\""u8);
        Encoding.UTF8.GetBytes(text.Replace("\"", "\"\"", StringComparison.Ordinal), output);
        output.Write("\""u8);
    }
}
