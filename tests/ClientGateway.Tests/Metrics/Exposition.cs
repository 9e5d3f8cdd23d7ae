using System.Globalization;
using System.Text;

namespace Hera.ClientGateway.Tests.Metrics;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, for asserting what <c>/metrics</c> says: every sample's
/// family has exactly one HELP and one TYPE line before its samples, a family's samples are contiguous, a
/// histogram's samples are its <c>_bucket</c>/<c>_sum</c>/<c>_count</c>, label values are properly escaped, no
/// series appears twice, and every value parses. Any breach throws.
/// </summary>
internal sealed class Exposition
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    private Exposition(IReadOnlyDictionary<string, string> types, IReadOnlyDictionary<string, string> helps)
    {
        Types = types;
        Helps = helps;
    }

    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyDictionary<string, string> Helps { get; }

    /// <summary>Every series as <c>name{a="x",b="y"}</c> (labels sorted, values unescaped) with its value.</summary>
    public IReadOnlyDictionary<string, double> Samples => _samples;

    /// <summary>The value of one series; labels given in any order.</summary>
    public double Value(string name, params (string Name, string Value)[] labels) =>
        _samples.TryGetValue(Key(name, labels), out var value) ? value : throw new KeyNotFoundException($"no series {Key(name, labels)}");

    /// <summary>The value of one series, or null when it is not exposed.</summary>
    public double? Find(string name, params (string Name, string Value)[] labels) =>
        _samples.TryGetValue(Key(name, labels), out var value) ? value : null;

    public static Exposition Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition must end with a newline");
        }

        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var exposition = new Exposition(types, helps);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var number = 0;
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            number++;
            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var family = space < 0 ? throw Bad(number, line, "a HELP or TYPE line needs a name and a text") : rest[..space];
                if (family != current)
                {
                    if (current is not null)
                    {
                        closed.Add(current);
                    }

                    if (closed.Contains(family))
                    {
                        throw Bad(number, line, $"family {family} appears in two places");
                    }

                    current = family;
                }

                var target = line[2] == 'H' ? helps : types;
                if (!target.TryAdd(family, rest[(space + 1)..]))
                {
                    throw Bad(number, line, "a second HELP or TYPE for the family");
                }

                if (target == types && rest[(space + 1)..] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                {
                    throw Bad(number, line, "unknown type");
                }

                continue;
            }

            if (line.StartsWith('#') || line.Length == 0)
            {
                throw Bad(number, line, "Hera writes no other comments and no blank lines");
            }

            var (name, labels, value) = ParseSample(number, line);
            var owner = FamilyOf(name, types);
            if (owner is null || owner != current || !helps.ContainsKey(owner))
            {
                throw Bad(number, line, "the sample's family has no HELP and TYPE just before it");
            }

            if (!exposition._samples.TryAdd(Key(name, labels), value))
            {
                throw Bad(number, line, "the series appears twice");
            }
        }

        return exposition;
    }

    private static string? FamilyOf(string sample, Dictionary<string, string> types)
    {
        if (types.TryGetValue(sample, out var type))
        {
            return type == "histogram" ? null : sample;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sample.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(sample[..^suffix.Length], out var owner) && owner == "histogram")
            {
                return sample[..^suffix.Length];
            }
        }

        return null;
    }

    private static (string Name, List<(string Name, string Value)> Labels, double Value) ParseSample(int number, string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':'))
        {
            i++;
        }

        var name = line[..i];
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            throw Bad(number, line, "bad metric name");
        }

        var labels = new List<(string, string)>();
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (char.IsAsciiLetterOrDigit(line[i]) || line[i] == '_')
                {
                    i++;
                }

                var label = line[start..i];
                if (label.Length == 0 || line[i] != '=' || line[i + 1] != '"')
                {
                    throw Bad(number, line, "bad label");
                }

                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        value.Append(line[i + 1] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw Bad(number, line, "bad escape in a label value"),
                        });
                        i += 2;
                    }
                    else
                    {
                        value.Append(line[i++]);
                    }
                }

                i++;
                if (labels.Any(l => l.Item1 == label))
                {
                    throw Bad(number, line, $"label {label} twice");
                }

                labels.Add((label, value.ToString()));
                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw Bad(number, line, "labels must be separated by commas");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw Bad(number, line, "a single space must separate the series from its value");
        }

        var text = line[(i + 1)..];
        var parsed = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) => v,
            _ => throw Bad(number, line, "the value is not a number (timestamps are not written)"),
        };
        return (name, labels, parsed);
    }

    private static string Key(string name, IEnumerable<(string Name, string Value)> labels) =>
        name + "{" + string.Join(",", labels.OrderBy(l => l.Name, StringComparer.Ordinal).Select(l => $"{l.Name}={l.Value}")) + "}";

    private static FormatException Bad(int number, string line, string why) => new($"line {number}: {why}: {line}");
}
