using System.Globalization;
using System.Text;
using System.Text.Json;
using Hera.Sql.Lexing;

namespace Hera.Sql.Templates;

/// <summary>
/// Turns a parameter's JSON value into the CLR value bound for it (the types engine commands bind), checking it
/// against the <see cref="ValueFormat"/> the template asks for, and writes values as Trino literals.
/// </summary>
internal static class TemplateValues
{
    private static readonly string[] DateTimeForms =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>The value of one scalar JSON element; arrays and objects are the caller's to handle or refuse.</summary>
    public static object? Convert(JsonElement value, ValueFormat format, string name, SourcePosition position)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        object? result = format switch
        {
            ValueFormat.Auto => value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
                JsonValueKind.Number => AutoNumber(value),
                _ => null,
            },
            ValueFormat.String => value.ValueKind == JsonValueKind.String ? value.GetString() : null,
            ValueFormat.Long => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var integer) ? integer : null,
            ValueFormat.Number => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) ? number : null,
            ValueFormat.Double => value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var real) && double.IsFinite(real) ? real : null,
            ValueFormat.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null,
            ValueFormat.Date => value.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
            ValueFormat.DateTime => value.ValueKind == JsonValueKind.String
                && DateTime.TryParseExact(value.GetString(), DateTimeForms, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null,
            _ => null,
        };
        if (result is string text && text.Contains('\0', StringComparison.Ordinal))
        {
            // PostgreSQL text cannot hold NUL, and some drivers end the statement there: refused rather than cut short.
            throw Invalid(name, "a string holding the NUL character (U+0000)", position);
        }

        return result ?? throw Invalid(name, $"expected {Expected(format)}, found {Describe(value)}", position);
    }

    /// <summary>Writes <paramref name="value"/> (a value <see cref="Convert"/> returned) as a Trino literal.</summary>
    public static void WriteLiteral(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null:
                sb.Append("NULL");
                break;
            case bool flag:
                sb.Append(flag ? "TRUE" : "FALSE");
                break;
            case long.MinValue:
                // Its digits without the sign exceed BIGINT, so "-9223372036854775808" reads as minus an out-of-range integer.
                sb.Append("(-9223372036854775807 - 1)");
                break;
            case long integer:
                // Parenthesised when negative: after a '-' in the template, -5 would otherwise start a -- comment.
                Signed(sb, integer < 0, integer.ToString(CultureInfo.InvariantCulture));
                break;
            case decimal number:
                Signed(sb, number < 0, number.ToString(CultureInfo.InvariantCulture));
                break;
            case double real:
                // "R" may print 1.5 (a DECIMAL in Trino); an exponent keeps the literal a DOUBLE.
                var digits = real.ToString("R", CultureInfo.InvariantCulture);
                Signed(sb, real < 0, digits.Contains('E', StringComparison.Ordinal) ? digits : digits + "E0");
                break;
            case string text:
                sb.Append('\'').Append(text.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
                break;
            case DateOnly date:
                sb.Append("DATE '").Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\'');
                break;
            case DateTime time:
                sb.Append("TIMESTAMP '").Append(time.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.')).Append('\'');
                break;
            default:
                throw new InvalidOperationException($"TemplateValues.Convert never returns a {value.GetType().Name}.");
        }
    }

    /// <summary>A JSON number without a fraction or exponent as a long; otherwise a decimal, or a double when no decimal holds it.</summary>
    private static object? AutoNumber(JsonElement value)
    {
        if (value.TryGetInt64(out var integer))
        {
            return integer;
        }

        if (value.TryGetDecimal(out var number))
        {
            return number;
        }

        return value.TryGetDouble(out var real) && double.IsFinite(real) ? real : null;
    }

    private static void Signed(StringBuilder sb, bool negative, string digits) =>
        sb.Append(negative ? "(" : string.Empty).Append(digits).Append(negative ? ")" : string.Empty);

    private static string Expected(ValueFormat format) => format switch
    {
        ValueFormat.String => "a string",
        ValueFormat.Long => "an integer within BIGINT range",
        ValueFormat.Number => "a number within DECIMAL range",
        ValueFormat.Double => "a finite number",
        ValueFormat.Boolean => "true or false",
        ValueFormat.Date => "a date written yyyy-MM-dd",
        ValueFormat.DateTime => "a date-time written yyyy-MM-ddTHH:mm:ss[.fffffff] without a zone",
        _ => "a string, number, boolean or null",
    };

    /// <summary>The JSON value for a message, shortened so a huge value does not flood the problem detail.</summary>
    internal static string Describe(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => value.GetRawText(),
        };
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    internal static SqlTemplateException Invalid(string name, string problem, SourcePosition position) =>
        new(SqlTemplateException.InvalidParameterCode, $"parameter '{name}': {problem}", position, name);
}
