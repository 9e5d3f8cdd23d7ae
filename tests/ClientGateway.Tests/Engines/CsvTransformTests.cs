using System.Buffers;
using System.Text;
using System.Text.Json;
using Hera.ClientGateway.Results;
using Hera.Grains.Interfaces.Results;

namespace Hera.ClientGateway.Tests.Engines;

/// <summary>
/// The CSV answer writes text straight from the JSON token's bytes when the token has no escapes; each field must be
/// what decoding the token to a string and quoting that (RFC 4180: quoted only with a comma, quote, CR or LF; quotes
/// doubled) gives, for text with and without escapes.
/// </summary>
public sealed class CsvTransformTests
{
    public static TheoryData<string> Texts => new()
    {
        "plain",
        "",
        "a,b",
        "say \"hi\"",
        "\"",
        "line\r\nbreak",
        "tab\there",
        "back\\slash",
        "äöü 日本 😀",
        "control \u0001 \u007f",
        "\u2028 separator, \"quoted\"",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_text_field_is_quoted_exactly_as_the_decoded_string_would_be(string text)
    {
        var line = Line(1, text, null);

        var output = new ArrayBufferWriter<byte>();
        ResultLineTransform.For(ResultFormat.Csv)!.WriteLine(output, new ReadOnlySequence<byte>(line), lineNumber: 1);

        Assert.Equal("1," + Quoted(text) + ",\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void A_row_of_every_kind_of_value_is_written_in_one_pass_as_the_json_reader_would()
    {
        // Non-ASCII within the BMP is written unescaped (an emoji would be \u-escaped, and take the JSON reader).
        var line = Line(long.MinValue, -1.50m, null, true, false, "", "a,b", "日本 äö", 2.5e300, new DateOnly(2026, 1, 31));

        var fast = new ArrayBufferWriter<byte>();
        var took = CsvTransform.TryWriteRow(fast, line);

        Assert.True(took);
        Assert.Equal("-9223372036854775808,-1.50,,true,false,,\"a,b\",日本 äö,2.5E+300,2026-01-31\r\n", Encoding.UTF8.GetString(fast.WrittenSpan));
        Assert.Equal(Slow(line), Encoding.UTF8.GetString(fast.WrittenSpan));
    }

    [Theory]
    [InlineData("[]", "\r\n")]
    [InlineData("[null]", "\r\n")]
    [InlineData("[1,null,\"x\"]", "1,,x\r\n")]
    public void Empty_and_null_rows_take_the_one_pass(string line, string csv)
    {
        var fast = new ArrayBufferWriter<byte>();

        Assert.True(CsvTransform.TryWriteRow(fast, Encoding.UTF8.GetBytes(line)));
        Assert.Equal(csv, Encoding.UTF8.GetString(fast.WrittenSpan));
    }

    [Theory]
    [InlineData("[1,[2,3]]", "1,\"[2,3]\"\r\n")]
    [InlineData("[\"say \\\"hi\\\"\"]", "\"say \"\"hi\"\"\"\r\n")]
    [InlineData("[1, 2]", "1,2\r\n")]
    public void A_line_the_one_pass_does_not_know_writes_nothing_and_takes_the_json_reader(string line, string csv)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var fast = new ArrayBufferWriter<byte>();

        Assert.False(CsvTransform.TryWriteRow(fast, bytes));
        Assert.Equal(0, fast.WrittenCount);
        var output = new ArrayBufferWriter<byte>();
        ResultLineTransform.For(ResultFormat.Csv)!.WriteLine(output, new ReadOnlySequence<byte>(bytes), lineNumber: 1);
        Assert.Equal(csv, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    /// <summary>The JSON reader's CSV for <paramref name="line"/>: the line split in two segments, which the one pass does not take.</summary>
    private static string Slow(byte[] line)
    {
        var first = new Segment(line.AsMemory(0, 1));
        var last = first.Append(line.AsMemory(1));
        var output = new ArrayBufferWriter<byte>();
        ResultLineTransform.For(ResultFormat.Csv)!.WriteLine(output, new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), lineNumber: 1);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    /// <summary>A result line as the result writer makes it.</summary>
    private static byte[] Line(params object?[] values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, ResultJson.WriterOptions))
        {
            json.WriteStartArray();
            foreach (var value in values)
            {
                ResultJson.WriteValue(json, value);
            }

            json.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>RFC 4180 quoting of a decoded string, as the CSV answer has always done it.</summary>
    private static string Quoted(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
