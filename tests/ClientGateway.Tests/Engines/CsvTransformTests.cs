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
