using Hera.Grains.Interfaces.Cluster;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hera.Silo.Storage.Postgres;

/// <summary>
/// Leadership held through a session advisory lock on a dedicated connection. The lock lives exactly as long as the
/// session, so the lease watches the session: it waits on the idle connection, where a terminated backend or a
/// server shutting down shows at once as a FATAL error, and pings it every <see cref="PingInterval"/> (bounded by a
/// command timeout, with TCP keepalives underneath) to notice a peer that went silent. The first failure fires
/// <see cref="Lost"/>; by then PostgreSQL may already have granted the lock to another silo, whose higher epoch
/// fences this one's late writes.
/// </summary>
internal sealed class PostgresLeaderLease : ILeaderLease
{
    /// <summary>How often a quiet session is pinged.</summary>
    public static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(2);

    private const int PingTimeoutSeconds = 5;

    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _watch = Task.CompletedTask;
    private int _disposed;

    private PostgresLeaderLease(NpgsqlConnection connection, long key, string siloId, long epoch, ILogger logger)
    {
        _connection = connection;
        _key = key;
        _logger = logger;
        SiloId = siloId;
        Epoch = epoch;
    }

    /// <inheritdoc />
    public long Epoch { get; }

    /// <inheritdoc />
    public string SiloId { get; }

    /// <inheritdoc />
    public CancellationToken Lost => _lost.Token;

    /// <summary>A lease over <paramref name="connection"/>, whose session holds the lock <paramref name="key"/>;
    /// the lease owns the connection from here on.</summary>
    public static PostgresLeaderLease Start(NpgsqlConnection connection, long key, string siloId, long epoch, ILogger logger)
    {
        var lease = new PostgresLeaderLease(connection, key, siloId, epoch, logger);
        lease._watch = lease.WatchAsync();
        return lease;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Stop the watch before touching the connection: a connection runs one command at a time.
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        if (!_lost.IsCancellationRequested)
        {
            try
            {
                // Unlocking hands leadership over at once; closing the session would too, a little later.
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection) { CommandTimeout = PingTimeoutSeconds };
                unlock.Parameters.AddWithValue("key", _key);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The session broke meanwhile: its end released the lock.
            }
        }

        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task WatchAsync()
    {
        try
        {
            while (true)
            {
                // Idle, the session only speaks to end: a terminated backend or a server shutting down sends a FATAL
                // error, which this wait turns into an exception at once. A silent one is caught by the ping.
                if (!await _connection.WaitAsync((int)PingInterval.TotalMilliseconds, _stop.Token).ConfigureAwait(false))
                {
                    // Not cancelled by _stop: a cancel request racing the reply could cancel the unlock that follows.
                    await using var ping = new NpgsqlCommand("SELECT 1", _connection) { CommandTimeout = PingTimeoutSeconds };
                    await ping.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return; // released on purpose
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or IOException)
        {
            // The session is broken or unresponsive: the lock is gone or about to be.
            _logger.LeaseLost(SiloId, Epoch, e);
        }

        await _lost.CancelAsync().ConfigureAwait(false);
    }
}
