using System.CommandLine;

namespace Hera.Cli.Output;

/// <summary>How a result is printed: an aligned table, or one of the gateway's formats passed through unchanged.</summary>
internal enum ResultFormat
{
    /// <summary>An aligned text table of at most <see cref="ResultPrinter.MaxTableRows"/> rows, from the NDJSON stream.</summary>
    Table,

    /// <summary>The gateway's <c>application/json</c> body, unchanged.</summary>
    Json,

    /// <summary>The gateway's <c>text/csv</c> body, unchanged.</summary>
    Csv,

    /// <summary>The gateway's <c>application/x-ndjson</c> body, unchanged.</summary>
    NdJson,
}

/// <summary>The <c>--format</c> option and its media types.</summary>
internal static class ResultFormats
{
    /// <summary>A new <c>--format table|json|csv|ndjson</c> option, <c>table</c> by default.</summary>
    public static Option<string> CreateOption()
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "table (at most 1000 rows), or json, csv, ndjson: the gateway's body streamed unchanged.",
            DefaultValueFactory = _ => "table",
        };
        return option.AcceptOnlyFromAmong("table", "json", "csv", "ndjson");
    }

    /// <summary>The format named on the command line (already validated by the parser).</summary>
    public static ResultFormat Parse(string? name) => name switch
    {
        "json" => ResultFormat.Json,
        "csv" => ResultFormat.Csv,
        "ndjson" => ResultFormat.NdJson,
        _ => ResultFormat.Table,
    };

    /// <summary>The <c>Accept</c> media type that asks the gateway for <paramref name="format"/>.</summary>
    public static string MediaType(ResultFormat format) => format switch
    {
        ResultFormat.Json => "application/json",
        ResultFormat.Csv => "text/csv",
        _ => "application/x-ndjson",
    };
}
