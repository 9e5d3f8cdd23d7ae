using Microsoft.Extensions.Logging;

namespace Hera.Silo.Storage.Postgres;

/// <summary>Log events of the PostgreSQL grid store (ids 1101-1199).</summary>
internal static partial class PostgresGridStoreLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Grid change listening lost its session (attempt {Attempt}); reconnecting in {Delay}")]
    public static partial void ListenReconnecting(this ILogger logger, int attempt, TimeSpan delay, Exception? exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Listening for grid changes on channel {Channel}")]
    public static partial void Listening(this ILogger logger, string channel);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Leadership of silo {SiloId} at epoch {Epoch} is lost: its session broke")]
    public static partial void LeaseLost(this ILogger logger, string siloId, long epoch, Exception exception);
}
