using System.Text.Json;
using Hera.Grains.Interfaces.Errors;
using Microsoft.AspNetCore.Http;

namespace Hera.ClientGateway.Problems;

/// <summary>
/// Writes RFC 9457 problem+json bodies with Hera's stable <c>code</c> member. Every 4xx/5xx the gateway sends
/// goes through here, so clients can always branch on <c>code</c>.
/// </summary>
public static class ProblemWriter
{
    /// <summary>The problem media type.</summary>
    public const string ContentType = "application/problem+json";

    /// <summary>Writes <paramref name="problem"/> with <paramref name="detail"/> and optional extension members.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemCode problem, string detail, IReadOnlyDictionary<string, object?>? extensions = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = problem.Type,
            ["title"] = problem.Title,
            ["status"] = problem.Status,
            ["code"] = problem.Code,
            ["detail"] = detail,
            ["instance"] = context.Request.Path.Value,
        };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
        {
            body[key] = value;
        }

        context.Response.StatusCode = problem.Status;
        if (problem.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        context.Response.ContentType = ContentType;
        await JsonSerializer.SerializeAsync(context.Response.Body, body, GatewayJson.Options, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An endpoint result that writes the problem.</summary>
    public static IResult Result(ProblemCode problem, string detail, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new ProblemResult(problem, detail, extensions);

    private sealed class ProblemResult(ProblemCode problem, string detail, IReadOnlyDictionary<string, object?>? extensions) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => WriteAsync(httpContext, problem, detail, extensions);
    }
}
