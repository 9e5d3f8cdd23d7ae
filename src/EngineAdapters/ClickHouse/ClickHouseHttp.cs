using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// ClickHouse's HTTP interface for one server: one pooled <see cref="HttpClient"/>, statements POSTed in the body
/// with the query id, output format and settings in the URL. Failures come out as <see cref="EngineException"/>
/// (unreachable server: transient <see cref="ClickHouseErrors.ConnectionCode"/>). Users hold a lease
/// (<see cref="TryAcquire"/>/<see cref="Release"/>), so closing never pulls the connection pool from under a
/// stream that is still being read or a statement that is still being stopped.
/// </summary>
internal sealed class ClickHouseHttp
{
    /// <summary>The output format of every result: line-oriented (streams row by row) and typed.</summary>
    public const string ResultFormat = "TabSeparatedWithNamesAndTypes";

    // An error body is a line or two; anything longer is not worth holding in memory.
    private const int MaxErrorBodyChars = 64 * 1024;

    private readonly HttpClient _client;
    private readonly Lock _gate = new();
    private int _leases;
    private bool _closing;

    /// <summary>A client for <paramref name="endpoint"/>, reporting failures as engine <paramref name="engine"/>.</summary>
    public ClickHouseHttp(string engine, ClickHouseEndpoint endpoint, ClickHouseEngineOptions options)
    {
        Engine = engine;
        Endpoint = endpoint;
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionIdleTimeout = options.PooledConnectionIdleTimeout,
            // A result abandoned early is closed, not drained: draining could mean reading gigabytes nobody wants.
            MaxResponseDrainSize = 0,
            // Database traffic goes straight to the server; an environment proxy would only add a failure point.
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        // No client-wide timeout: a statement may rightly run for hours, and every call carries a token.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The engine name used in failures.</summary>
    public string Engine { get; }

    /// <summary>The server.</summary>
    public ClickHouseEndpoint Endpoint { get; }

    /// <summary>Takes a lease, or returns false once <see cref="Close"/> was called.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }

            _leases++;
            return true;
        }
    }

    /// <summary>Returns a lease; the last one after <see cref="Close"/> disposes the client.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _leases--;
            if (!_closing || _leases > 0)
            {
                return;
            }
        }

        _client.Dispose();
    }

    /// <summary>Refuses new leases and disposes the client once the current ones are returned.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            if (_leases > 0)
            {
                return;
            }
        }

        _client.Dispose();
    }

    /// <summary>
    /// POSTs <paramref name="sql"/> (or, with <paramref name="data"/>, puts the statement in the URL and sends the
    /// data as the body) and returns as soon as the response headers arrive, whatever the status.
    /// </summary>
    /// <exception cref="EngineException">The server could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<HttpResponseMessage> SendAsync(
        string sql, IEnumerable<KeyValuePair<string, string>> parameters, HttpContent? data, CancellationToken cancellationToken)
    {
        var urlParameters = data is null ? parameters : parameters.Append(new("query", sql));
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint.RequestUri(urlParameters))
        {
            Content = data ?? new StringContent(sql, Encoding.UTF8, new MediaTypeHeaderValue("text/plain")),
        };
        request.Headers.Authorization = Endpoint.Authorization;
        try
        {
            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw ClickHouseErrors.Connection(Engine, exception);
        }
        catch (IOException exception)
        {
            throw ClickHouseErrors.Connection(Engine, exception);
        }
    }

    /// <summary>The failure a non-200 <paramref name="response"/> reports (reads and disposes it).</summary>
    public async Task<EngineException> FailureAsync(
        HttpResponseMessage response, IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken)
    {
        using (response)
        {
            string body;
            try
            {
                body = await ReadBoundedAsync(response, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or HttpRequestException)
            {
                return ClickHouseErrors.Connection(Engine, exception);
            }

            return ClickHouseErrors.FromResponse(Engine, response.StatusCode, body, settings);
        }
    }

    /// <summary>
    /// Runs a statement of Hera's own (DDL, an INSERT with <paramref name="data"/>, a small catalogue query) and
    /// returns its whole output as TabSeparated text without a header. Not for results of unknown size.
    /// </summary>
    /// <exception cref="EngineException">The server refused it, failed mid-output, or could not be reached.</exception>
    public async Task<string> RunAsync(string sql, CancellationToken cancellationToken, HttpContent? data = null)
    {
        using var response = await SendAsync(sql, [new("default_format", "TabSeparated")], data, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await FailureAsync(response, null, cancellationToken).ConfigureAwait(false);
        }

        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            throw ClickHouseErrors.Connection(Engine, exception);
        }

        // An error after output began is appended to the body of a 200 response.
        return ClickHouseErrors.TryParseTail(body, out var code, out var message)
            ? throw ClickHouseErrors.Create(Engine, code, message)
            : body;
    }

    /// <summary>
    /// Sends <c>KILL QUERY … SYNC</c> for <paramref name="queryId"/> on a request of its own (closing the statement's
    /// connection does not stop it on 18.16) and waits for the server to confirm the statement is gone.
    /// </summary>
    public Task KillAsync(string queryId, CancellationToken cancellationToken) =>
        RunAsync($"KILL QUERY WHERE query_id = {ClickHouseLiterals.Quote(queryId)} SYNC", cancellationToken);

    /// <summary>True when <c>system.processes</c> lists <paramref name="queryId"/>.</summary>
    public async Task<bool> IsRunningAsync(string queryId, CancellationToken cancellationToken)
    {
        var count = await RunAsync(
            $"SELECT count() FROM system.processes WHERE query_id = {ClickHouseLiterals.Quote(queryId)}", cancellationToken)
            .ConfigureAwait(false);
        return count.Trim() != "0";
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxErrorBodyChars];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return new string(buffer, 0, length);
        }
    }
}
