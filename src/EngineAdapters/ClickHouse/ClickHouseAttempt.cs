using System.Diagnostics;
using System.Net;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// One statement on the server, from the moment it is sent until it is known to be over: its query id (the
/// attempt id), the settings it runs with, and how to stop it. <see cref="End"/> runs the adapter's bookkeeping
/// (the <see cref="IEngineAdapter.Running"/> count, the HTTP lease) exactly once, from whichever thread gets there first.
/// </summary>
internal sealed class ClickHouseAttempt
{
    private readonly Action<ClickHouseAttempt> _onEnded;
    private readonly TimeSpan _killTimeout;
    private int _ended;

    /// <summary>An attempt running <paramref name="queryId"/> through <paramref name="http"/>, whose lease it holds.</summary>
    public ClickHouseAttempt(
        ClickHouseHttp http, string queryId, IReadOnlyDictionary<string, string> settings, TimeSpan killTimeout, Action<ClickHouseAttempt> onEnded)
    {
        Http = http;
        QueryId = queryId;
        Settings = settings;
        _killTimeout = killTimeout;
        _onEnded = onEnded;
    }

    /// <summary>The server connection.</summary>
    public ClickHouseHttp Http { get; }

    /// <summary>The engine name used in failures.</summary>
    public string Engine => Http.Engine;

    /// <summary>ClickHouse's <c>query_id</c>: the command's attempt id.</summary>
    public string QueryId { get; }

    /// <summary>The settings sent with the statement (defaults, the command's and pinned ones).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>True once <see cref="End"/> ran.</summary>
    public bool HasEnded => Volatile.Read(ref _ended) == 1;

    /// <summary>
    /// Sends <paramref name="sql"/> with this attempt's query id, result format and settings, and returns the
    /// response once its headers arrive with HTTP 200 (the statement accepted, output begun). A refusal is thrown as
    /// <see cref="EngineException"/>. When <paramref name="cancellationToken"/> fires first, the statement is killed
    /// before <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(string sql, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("query_id", QueryId),
            new("default_format", ClickHouseHttp.ResultFormat),
        };
        parameters.AddRange(Settings);
        // Not the caller's token: cancelling a request in flight would only drop the connection, which 18.16 ignores.
        using var abandon = new CancellationTokenSource();
        var send = Http.SendAsync(sql, parameters, null, abandon.Token);
        if (cancellationToken.CanBeCanceled && !send.IsCompleted)
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (cancellationToken.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), cancelled))
            {
                if (await Task.WhenAny(send, cancelled.Task).ConfigureAwait(false) != send)
                {
                    await StopWhileSendingAsync(send, abandon).ConfigureAwait(false);
                    throw new OperationCanceledException("The statement was cancelled and killed on the server.", cancellationToken);
                }
            }
        }

        var response = await send.ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.OK
            ? response
            : throw await Http.FailureAsync(response, Settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Kills the statement on the server and waits (up to the kill timeout) for the server to confirm. Best effort:
    /// failures are swallowed, because the caller is already reporting a cancellation and
    /// <see cref="IEngineAdapter.EnsureStoppedAsync"/> is the way to confirm. True when the server confirmed.
    /// </summary>
    public async Task<bool> KillAsync()
    {
        using var timeout = new CancellationTokenSource(_killTimeout);
        try
        {
            await Http.KillAsync(QueryId, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is EngineException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops a statement whose response has not arrived. The request may still be in flight, so the server may not
    /// list the statement yet and a KILL can miss it: KILL is repeated until the response arrives, which proves the
    /// server either ended the statement (usually: killed, code 394) or began streaming it (then it is closed and
    /// killed once more), or until the kill timeout passes and the request is abandoned.
    /// </summary>
    private async Task StopWhileSendingAsync(Task<HttpResponseMessage> send, CancellationTokenSource abandon)
    {
        var started = Stopwatch.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(10);
        while (!send.IsCompleted && Stopwatch.GetElapsedTime(started) < _killTimeout)
        {
            await KillAsync().ConfigureAwait(false);
            await Task.WhenAny(send, Task.Delay(pause)).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.TicksPerSecond));
        }

        if (!send.IsCompleted)
        {
            await abandon.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            using var response = await send.ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                response.Dispose();
                await KillAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is EngineException or OperationCanceledException)
        {
            // The request failed or was abandoned: there is no response to close.
        }
    }

    /// <summary>Marks the statement as over on the server; only the first call has an effect.</summary>
    public void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _onEnded(this);
        }
    }
}
