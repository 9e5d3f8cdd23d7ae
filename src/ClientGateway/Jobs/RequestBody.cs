using Hera.Grains.Interfaces.Errors;
using Microsoft.AspNetCore.Http;

namespace Hera.ClientGateway.Jobs;

/// <summary>Reads a request body into memory up to a limit; past it, <c>payload_too_large</c>.</summary>
internal static class RequestBody
{
    /// <summary>The whole body, or a <c>payload_too_large</c> problem once it exceeds <paramref name="maxBytes"/>
    /// (checked against <c>Content-Length</c> first, then while reading, for chunked bodies).</summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(request.ContentLength.Value, maxBytes);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(buffer.Length + read, maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, "the body is empty; send a JSON object with at least 'sql'");
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static HeraProblemException TooLarge(long size, int maxBytes) =>
        new(ProblemCodes.PayloadTooLarge, $"the body has at least {size} bytes; the limit is {maxBytes}");
}
