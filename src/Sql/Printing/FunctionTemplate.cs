using System.Globalization;

namespace Hera.Sql.Printing;

/// <summary>
/// SQL text with argument placeholders, parsed once when a dialect table is built: <c>{0}</c>, <c>{1}</c>, ... an
/// argument (parenthesised unless it is a primary expression); <c>{*}</c> all arguments separated by <c>", "</c>;
/// <c>{||}</c> all arguments joined by <c>" || "</c>; <c>{anynull}</c> <c>a IS NULL OR b IS NULL ...</c> over all
/// arguments. Equal when the text is equal.
/// </summary>
public sealed class FunctionTemplate : IEquatable<FunctionTemplate>
{
    private FunctionTemplate(string text, TemplatePart[] parts)
    {
        Text = text;
        Parts = parts;
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The highest <c>{n}</c> index used, or -1; a call with fewer arguments cannot fill the template.</summary>
    public int MaxIndex { get; private init; } = -1;

    /// <summary>The parts in order.</summary>
    internal TemplatePart[] Parts { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">A <c>{</c> without a closing <c>}</c>, or an unknown placeholder.</exception>
    public static FunctionTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<TemplatePart>();
        var start = 0;
        while (start < text.Length)
        {
            var open = text.IndexOf('{', start);
            if (open < 0)
            {
                parts.Add(new TemplatePart(TemplatePartKind.Text, text[start..], 0));
                break;
            }

            if (open > start)
            {
                parts.Add(new TemplatePart(TemplatePartKind.Text, text[start..open], 0));
            }

            var close = text.IndexOf('}', open);
            if (close < 0)
            {
                throw new FormatException($"Unclosed placeholder in template '{text}'.");
            }

            parts.Add(Placeholder(text, text[(open + 1)..close]));
            start = close + 1;
        }

        var maxIndex = -1;
        foreach (var part in parts)
        {
            maxIndex = part.Kind == TemplatePartKind.Argument ? Math.Max(maxIndex, part.Index) : maxIndex;
        }

        return new FunctionTemplate(text, [.. parts]) { MaxIndex = maxIndex };
    }

    /// <summary>True when both templates have the same text.</summary>
    public bool Equals(FunctionTemplate? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as FunctionTemplate);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <summary>The template text.</summary>
    public override string ToString() => Text;

    private static TemplatePart Placeholder(string text, string name) => name switch
    {
        "*" => new TemplatePart(TemplatePartKind.AllArguments, null, 0),
        "||" => new TemplatePart(TemplatePartKind.Concatenated, null, 0),
        "anynull" => new TemplatePart(TemplatePartKind.AnyNull, null, 0),
        _ when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) =>
            new TemplatePart(TemplatePartKind.Argument, null, index),
        _ => throw new FormatException($"Unknown placeholder {{{name}}} in template '{text}'."),
    };
}

/// <summary>What a <see cref="TemplatePart"/> writes.</summary>
internal enum TemplatePartKind
{
    Text,
    Argument,
    AllArguments,
    Concatenated,
    AnyNull,
}

/// <summary>One piece of a <see cref="FunctionTemplate"/>: literal text or a placeholder.</summary>
internal readonly record struct TemplatePart(TemplatePartKind Kind, string? Text, int Index);
