using Hera.Grains.Interfaces.Errors;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Hera.ClientGateway.Results;

/// <summary>The result formats of <c>GET /v1/jobs/{id}/result</c>, chosen by <c>Accept</c>.</summary>
public enum ResultFormat
{
    /// <summary><c>application/json</c>: <c>{"columns": [...], "rows": [[...], ...]}</c>. The default.</summary>
    Json,

    /// <summary><c>text/csv</c>: a header line of column names, then one line per row (RFC 4180).</summary>
    Csv,

    /// <summary><c>application/x-ndjson</c>: the columns array on the first line, then one JSON array per row.</summary>
    NdJson,
}

/// <summary>Content negotiation and media types for <see cref="ResultFormat"/>.</summary>
public static class ResultFormats
{
    private static readonly (string MediaType, ResultFormat Format)[] Known =
    [
        ("application/json", ResultFormat.Json),
        ("text/csv", ResultFormat.Csv),
        ("application/x-ndjson", ResultFormat.NdJson),
        ("application/ndjson", ResultFormat.NdJson),
        ("application/jsonl", ResultFormat.NdJson),
        ("application/*", ResultFormat.Json),
        ("text/*", ResultFormat.Csv),
        ("*/*", ResultFormat.Json),
    ];

    /// <summary>The media type sent for <paramref name="format"/>.</summary>
    public static string ContentType(this ResultFormat format) => format switch
    {
        ResultFormat.Csv => "text/csv; charset=utf-8",
        ResultFormat.NdJson => "application/x-ndjson; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    /// <summary>
    /// The best format for an <c>Accept</c> header: highest quality first, header order breaking ties; no header
    /// means JSON. Throws <c>not_acceptable</c> when nothing listed can be produced.
    /// </summary>
    public static ResultFormat Negotiate(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return ResultFormat.Json;
        }

        foreach (var range in ranges.Where(r => (r.Quality ?? 1.0) > 0).OrderByDescending(r => r.Quality ?? 1.0))
        {
            foreach (var (mediaType, format) in Known)
            {
                if (range.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
                {
                    return format;
                }
            }
        }

        throw new HeraProblemException(ProblemCodes.NotAcceptable,
            $"results are served as application/json, text/csv or application/x-ndjson; Accept was '{accept}'");
    }
}
