namespace Hera.ClientGateway;

/// <summary>Limits of the HTTP gateway.</summary>
public sealed record GatewayOptions
{
    /// <summary>Largest accepted request body, in bytes; larger ones get <c>payload_too_large</c>. Default 1 MiB.</summary>
    public int MaxRequestBytes { get; init; } = 1 << 20;

    /// <summary>Longest <c>?wait=N</c>, in seconds. Default 300.</summary>
    public int MaxWaitSeconds { get; init; } = 300;

    /// <summary>Most jobs one <c>GET /v1/jobs</c> returns. Default 1000.</summary>
    public int MaxListLimit { get; init; } = 1000;
}
