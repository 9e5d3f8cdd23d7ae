using System.Collections.Concurrent;
using Hera.Grains.Interfaces.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using Polly;
using Polly.Retry;

namespace Hera.Silo.Storage.Postgres;

/// <summary>
/// Change delivery: every write that others cache calls <c>pg_notify</c> in its own statement, so the notification
/// is sent exactly when the write commits; one dedicated session per listener LISTENs on the grid's channel.
/// </summary>
public sealed partial class PostgresGridStore
{
    private readonly ResiliencePipeline _reconnect;

    /// <inheritdoc />
    public async Task ListenAsync(IGridChangeListener listener, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listener);
        try
        {
            await _reconnect.ExecuteAsync(token => ListenOnceAsync(listener, token), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Listening ends with the caller.
        }
    }

    // Reconnects forever: a silo without change delivery serves stale queues and engines, and the database coming
    // back is the normal end of an outage. Capped at about two seconds so recovery is noticed quickly.
    private static ResiliencePipeline BuildReconnect(ILogger logger) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            // A disposed store will never reconnect: that ends listening, as cancellation does.
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not (OperationCanceledException or ObjectDisposedException)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            OnRetry = retry =>
            {
                logger.ListenReconnecting(retry.AttemptNumber + 1, retry.RetryDelay, retry.Outcome.Exception);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    /// <summary>One session: LISTEN, resync, then deliver until the session breaks (throws) or the caller stops.</summary>
    private async ValueTask ListenOnceAsync(IGridChangeListener listener, CancellationToken cancellationToken)
    {
        var scope = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _dedicated.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Raised while WaitAsync reads; delivered after it returns, in arrival order, so the listener is never
        // called from inside Npgsql's read loop.
        var arrived = new ConcurrentQueue<string>();
        connection.Notification += (_, e) => arrived.Enqueue(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN \"{scope.Channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        _logger.Listening(scope.Channel);

        // After LISTEN: whatever changed before it is re-read now, whatever changes after it is delivered.
        await listener.OnResyncAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (arrived.TryDequeue(out var payload))
            {
                await DeliverAsync(listener, payload, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask DeliverAsync(IGridChangeListener listener, string payload, CancellationToken cancellationToken)
    {
        if (!GridChangePayload.TryParse(payload, out var origin, out var change) || origin == _origin)
        {
            return;
        }

        if (change is null)
        {
            await listener.OnResyncAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await listener.OnChangeAsync(change, cancellationToken).ConfigureAwait(false);
        }
    }
}
