namespace Hera.Client;

/// <summary>A problem+json answer from the gateway, with its stable <see cref="Code"/>.</summary>
public sealed class HeraApiException(int status, string code, string? detail)
    : Exception($"{status} {code}: {detail}")
{
    /// <summary>HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>Stable problem code (<c>queue_full</c>, <c>job_not_found</c>, ...).</summary>
    public string Code { get; } = code;

    /// <summary>The gateway's explanation.</summary>
    public string? Detail { get; } = detail;
}
