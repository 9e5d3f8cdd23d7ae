using System.Globalization;
using System.Text;

namespace Hera.ClientGateway.Metrics;

/// <summary>The kind of a metric family, as its <c># TYPE</c> line names it.</summary>
public enum PrometheusMetricType
{
    /// <summary>A value that only grows while the process lives (names end in <c>_total</c>).</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>Cumulative <c>_bucket{le}</c> counts with <c>_sum</c> and <c>_count</c>.</summary>
    Histogram,
}

/// <summary>
/// One scrape of <c>GET /metrics</c> in the Prometheus text exposition format 0.0.4: families in the order they
/// were first written, each with its <c># HELP</c> and <c># TYPE</c> line before its samples, label values escaped
/// (backslash, double quote, newline). Several <see cref="IMetricsSource"/>s may add samples to the same family;
/// a repeated series (same name and labels) is refused because Prometheus rejects the whole scrape for one.
/// Not thread-safe: one writer per scrape.
/// </summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The content type of the exposition.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly List<Family> _families = [];
    private readonly Dictionary<string, Family> _byName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _series = new(StringComparer.Ordinal);

    /// <summary>Adds a gauge sample.</summary>
    /// <exception cref="ArgumentException">A bad name or label name, a family of another type, or a repeated series.</exception>
    public void Gauge(string name, string help, double value, params ReadOnlySpan<(string Name, string Value)> labels) =>
        Sample(FamilyOf(name, help, PrometheusMetricType.Gauge), name, labels, null, value);

    /// <summary>Adds a counter sample; <paramref name="name"/> should end in <c>_total</c>.</summary>
    /// <exception cref="ArgumentException">A bad name or label name, a family of another type, or a repeated series.</exception>
    public void Counter(string name, string help, double value, params ReadOnlySpan<(string Name, string Value)> labels) =>
        Sample(FamilyOf(name, help, PrometheusMetricType.Counter), name, labels, null, value);

    /// <summary>Declares a family with no sample yet (e.g. a counter before its first event), so its HELP and TYPE still show.</summary>
    public void Describe(string name, string help, PrometheusMetricType type) => FamilyOf(name, help, type);

    /// <summary>Adds one histogram series: a <c>_bucket</c> sample per bound and <c>+Inf</c>, then <c>_sum</c> and <c>_count</c>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Gauge"/>, or a label named <c>le</c>.</exception>
    public void Histogram(string name, string help, HistogramSnapshot snapshot, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var family = FamilyOf(name, help, PrometheusMetricType.Histogram);
        foreach (var (label, _) in labels)
        {
            if (label == "le")
            {
                throw new ArgumentException("a histogram's own labels cannot include 'le'", nameof(labels));
            }
        }

        for (var i = 0; i < snapshot.UpperBounds.Count; i++)
        {
            Sample(family, name + "_bucket", labels, ("le", Format(snapshot.UpperBounds[i])), snapshot.CumulativeCounts[i]);
        }

        Sample(family, name + "_bucket", labels, ("le", "+Inf"), snapshot.Count);
        Sample(family, name + "_sum", labels, null, snapshot.Sum);
        Sample(family, name + "_count", labels, null, snapshot.Count);
    }

    /// <summary>The exposition text: every family written so far, ending with a newline.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var family in _families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var line in family.Lines)
            {
                text.Append(line).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>A label value escaped for the exposition: <c>\</c>, <c>"</c> and newline become <c>\\</c>, <c>\"</c> and <c>\n</c>.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);
    }

    /// <summary>A sample value as the format writes it: shortest round-trip decimal, <c>NaN</c>, <c>+Inf</c> or <c>-Inf</c>.</summary>
    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private Family FamilyOf(string name, string help, PrometheusMetricType type)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known.Type == type ? known : throw new ArgumentException($"metric {name} is a {TypeName(known.Type)}, not a {TypeName(type)}", nameof(type));
        }

        if (!IsMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus metric name", nameof(name));
        }

        var family = new Family(name, help, type);
        _families.Add(family);
        _byName[name] = family;
        return family;
    }

    private void Sample(Family family, string name, ReadOnlySpan<(string Name, string Value)> labels, (string Name, string Value)? extra, double value)
    {
        var line = new StringBuilder(name);
        if (labels.Length > 0 || extra is not null)
        {
            line.Append('{');
            var first = true;
            foreach (var (label, text) in labels)
            {
                AppendLabel(line, label, text, ref first);
            }

            if (extra is { } le)
            {
                AppendLabel(line, le.Name, le.Value, ref first);
            }

            line.Append('}');
        }

        var series = line.ToString();
        if (!_series.Add(series))
        {
            throw new ArgumentException($"series {series} is written twice in one scrape", nameof(labels));
        }

        family.Lines.Add(series + " " + Format(value));
    }

    private static void AppendLabel(StringBuilder line, string name, string value, ref bool first)
    {
        if (!IsLabelName(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus label name", nameof(name));
        }

        line.Append(first ? "" : ",").Append(name).Append("=\"").Append(EscapeLabelValue(value)).Append('"');
        first = false;
    }

    private static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string TypeName(PrometheusMetricType type) => type switch
    {
        PrometheusMetricType.Counter => "counter",
        PrometheusMetricType.Gauge => "gauge",
        PrometheusMetricType.Histogram => "histogram",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static bool IsMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    private static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private sealed record Family(string Name, string Help, PrometheusMetricType Type)
    {
        public List<string> Lines { get; } = [];
    }
}

/// <summary>A histogram as read at one moment.</summary>
/// <param name="UpperBounds">Bucket upper bounds, ascending, without <c>+Inf</c>.</param>
/// <param name="CumulativeCounts">Observations at most each bound (same length as <paramref name="UpperBounds"/>).</param>
/// <param name="Sum">Sum of all observations.</param>
/// <param name="Count">Number of observations (the <c>+Inf</c> bucket).</param>
public sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> CumulativeCounts, double Sum, long Count);
