using Hera.ClientGateway.Metrics;

namespace Hera.ClientGateway.Tests.Metrics;

/// <summary>The exposition writer: layout, escaping, histograms, and the mistakes it refuses.</summary>
public sealed class PrometheusTextWriterTests
{
    [Fact]
    public void Families_come_out_grouped_with_help_and_type_even_when_written_interleaved()
    {
        var writer = new PrometheusTextWriter();
        writer.Gauge("a", "A gauge.", 1, ("k", "x"));
        writer.Counter("b_total", "A counter.", 2);
        writer.Gauge("a", "A gauge.", 3, ("k", "y"));
        writer.Describe("c_total", "Nothing yet.", PrometheusMetricType.Counter);

        Assert.Equal(
            "# HELP a A gauge.\n# TYPE a gauge\na{k=\"x\"} 1\na{k=\"y\"} 3\n" +
            "# HELP b_total A counter.\n# TYPE b_total counter\nb_total 2\n" +
            "# HELP c_total Nothing yet.\n# TYPE c_total counter\n",
            writer.ToString());
    }

    [Fact]
    public void Label_values_escape_backslash_quote_and_newline_and_help_escapes_backslash_and_newline()
    {
        var writer = new PrometheusTextWriter();
        writer.Gauge("g", "line one\nback\\slash", 0.5, ("v", "a\\b\"c\nd"));

        Assert.Equal("# HELP g line one\\nback\\\\slash\n# TYPE g gauge\ng{v=\"a\\\\b\\\"c\\nd\"} 0.5\n", writer.ToString());
        var parsed = Exposition.Parse(writer.ToString());
        Assert.Equal(0.5, parsed.Value("g", ("v", "a\\b\"c\nd")));
    }

    [Fact]
    public void A_histogram_writes_cumulative_buckets_then_inf_sum_and_count()
    {
        var writer = new PrometheusTextWriter();
        writer.Histogram("d_seconds", "Durations.", new HistogramSnapshot([0.1, 1], [2, 3], 2.5, 4), ("m", "GET"));

        Assert.Equal(
            "# HELP d_seconds Durations.\n# TYPE d_seconds histogram\n" +
            "d_seconds_bucket{m=\"GET\",le=\"0.1\"} 2\nd_seconds_bucket{m=\"GET\",le=\"1\"} 3\nd_seconds_bucket{m=\"GET\",le=\"+Inf\"} 4\n" +
            "d_seconds_sum{m=\"GET\"} 2.5\nd_seconds_count{m=\"GET\"} 4\n",
            writer.ToString());
    }

    [Theory]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(1e21, "1E+21")]
    [InlineData(-0.25, "-0.25")]
    public void Values_use_the_formats_spelling(double value, string text) => Assert.Equal(text, PrometheusTextWriter.Format(value));

    [Fact]
    public void A_repeated_series_a_changed_type_and_bad_names_are_refused()
    {
        var writer = new PrometheusTextWriter();
        writer.Gauge("g", "G.", 1, ("k", "v"));

        Assert.Throws<ArgumentException>(() => writer.Gauge("g", "G.", 2, ("k", "v")));
        Assert.Throws<ArgumentException>(() => writer.Counter("g", "G.", 2, ("k", "w")));
        Assert.Throws<ArgumentException>(() => writer.Gauge("9lives", "Bad.", 1));
        Assert.Throws<ArgumentException>(() => writer.Gauge("ok", "Bad label.", 1, ("bad-label", "v")));
        Assert.Throws<ArgumentException>(() => writer.Histogram("h", "H.", new HistogramSnapshot([1], [0], 0, 0), ("le", "1")));
    }
}
