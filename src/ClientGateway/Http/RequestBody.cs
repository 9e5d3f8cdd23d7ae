using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hera.Grains.Interfaces.Errors;
using Microsoft.AspNetCore.Http;

namespace Hera.ClientGateway.Http;

/// <summary>
/// Reads a JSON request body into a request record: bounded in size (<c>payload_too_large</c>), strict about
/// members (an unknown one is an error, so a typo such as <c>"queu"</c> cannot silently fall back to a
/// default), and with <c>invalid_request</c> details in the caller's terms, never .NET type names.
/// </summary>
internal static class RequestBody
{
    private static readonly JsonSerializerOptions Strict = new(GatewayJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>
    /// The body as <typeparamref name="T"/>. <paramref name="what"/> names it in problems (<c>a job</c>);
    /// <paramref name="emptyHint"/> says what a minimal body holds.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, int maxBytes, string what, string emptyHint, CancellationToken cancellationToken)
        where T : class
    {
        var body = await ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body.IsEmpty)
        {
            throw Invalid($"the body is empty; send {what} as a JSON object, {emptyHint}");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body.Span, Strict) ?? throw Invalid($"the body must be {what} as a JSON object, not null");
        }
        catch (JsonException e)
        {
            throw Invalid(Describe(e, what));
        }
    }

    private static string Describe(JsonException e, string what)
    {
        var member = e.Path is { Length: > 2 } path ? path[2..] : null; // "$.capacity" -> "capacity"
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"'{member}' is not a member of {what}";
        }

        if (e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return member is null ? $"the body must be {what} as a JSON object" : $"'{member}' has a value of the wrong type";
        }

        return $"the body is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1})";
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(request.ContentLength.Value, maxBytes);
        }

        if (request.ContentLength is { } length)
        {
            // The usual case: read into an array of exactly that size (Kestrel ends the body at its length).
            var exact = new byte[length];
            var filled = 0;
            while (filled < exact.Length)
            {
                var got = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                if (got == 0)
                {
                    break;
                }

                filled += got;
            }

            return exact.AsMemory(0, filled);
        }

        // Chunked: gather through a pooled chunk, so a small body does not cost a fresh 16 KiB array.
        var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw TooLarge(buffer.Length + read, maxBytes);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static HeraProblemException Invalid(string detail) => new(ProblemCodes.InvalidRequest, detail);

    private static HeraProblemException TooLarge(long size, int maxBytes) =>
        new(ProblemCodes.PayloadTooLarge, $"the body has at least {size} bytes; the limit is {maxBytes}");
}
