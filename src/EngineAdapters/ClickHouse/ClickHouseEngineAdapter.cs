using System.Collections.Concurrent;
using System.Diagnostics;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Demo;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// A ClickHouse server (built for 18.16, which has no .NET client) as a Hera engine, over its HTTP interface.
/// Each <see cref="ExecuteAsync"/> POSTs the statement with <c>query_id</c> = the attempt id, output format
/// <c>TabSeparatedWithNamesAndTypes</c> and the settings as URL parameters, then parses rows as the body arrives.
/// Result types follow <see cref="ClickHouseTypeMap"/>, values <see cref="ClickHouseValues"/>. Parameters are
/// rendered as typed literals (<see cref="ClickHouseLiterals"/>), since 18.16 cannot bind them. Failures are
/// <see cref="EngineException"/>s whose <see cref="EngineException.EngineCode"/> is ClickHouse's error number as text
/// (<c>62</c>), or a <c>HERA_…</c> code for Hera's own refusals and for connection failures (see
/// <see cref="ClickHouseErrors"/>). Thread-safe; connections are pooled.
/// </summary>
public sealed class ClickHouseEngineAdapter : IEngineAdapter, IShopTarget
{
    /// <summary>The <see cref="Kind"/> of every ClickHouse adapter.</summary>
    public const string EngineKind = "clickhouse";

    private readonly ClickHouseHttp _http;
    private readonly ConcurrentDictionary<string, ClickHouseRowStream> _streams = new(StringComparer.Ordinal);
    private int _running;
    private volatile bool _disposed;

    /// <summary>An adapter named <paramref name="name"/> for the server at <paramref name="baseUrl"/>.</summary>
    /// <param name="name">Registry name, e.g. <c>warehouse</c>; used as <see cref="EngineException.Engine"/>.</param>
    /// <param name="baseUrl">
    /// The HTTP interface, e.g. <c>http://127.0.0.1:8123</c>, optionally with <c>user:password@</c> (percent-encoded;
    /// sent as Basic authentication) and <c>?database=name</c>. Nothing is contacted at construction.
    /// </param>
    /// <param name="options">How to connect; <see cref="ClickHouseEngineOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentException">An unusable URL or option.</exception>
    public ClickHouseEngineAdapter(string name, string baseUrl, ClickHouseEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        Options = options ?? ClickHouseEngineOptions.Default;
        Options.Validate();
        Name = name;
        _http = new ClickHouseHttp(name, ClickHouseEndpoint.Parse(baseUrl), Options);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EngineKind;

    /// <summary>The server's URL without the password.</summary>
    public string BaseUrl => _http.Endpoint.ToString();

    /// <summary>Statements sent and not yet over: from the POST until the rows are read, the stream is disposed, or the statement is killed.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>The options in force.</summary>
    internal ClickHouseEngineOptions Options { get; }

    /// <summary>
    /// Sends the statement and returns its stream once the response headers and the names and types lines arrived
    /// (for an aggregate, that is when the result is ready). Settings and parameters are checked before anything is
    /// sent. <paramref name="cancellationToken"/> (here or, for the stream's life, while reading) closes the
    /// connection, kills the statement with <c>KILL QUERY … SYNC</c> and surfaces as
    /// <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<IRowStream> ExecuteAsync(EngineCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var settings = ClickHouseSettings.Merge(Name, Options.DefaultSettings, command.Settings);
        var sql = ClickHouseStatement.Prepare(Name, command.Sql, command.Parameters);
        cancellationToken.ThrowIfCancellationRequested();
        var attempt = Begin(command.AttemptId, settings);
        ClickHouseRowStream stream;
        try
        {
            var response = await attempt.SendAsync(sql, cancellationToken).ConfigureAwait(false);
            stream = await ClickHouseRowStream.OpenAsync(attempt, response, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            attempt.End();
            throw;
        }

        // Known by attempt id so EnsureStoppedAsync can close its connection first; dropped when the attempt ends.
        if (!attempt.HasEnded && _streams.TryAdd(attempt.QueryId, stream) && attempt.HasEnded)
        {
            _streams.TryRemove(new KeyValuePair<string, ClickHouseRowStream>(attempt.QueryId, stream));
        }

        return stream;
    }

    /// <summary>
    /// Looks for <paramref name="attemptId"/> in <c>system.processes</c>; if listed, closes this adapter's stream for it
    /// (a server blocked writing to an unread connection notices a KILL only once the write fails), sends
    /// <c>KILL QUERY … SYNC</c> and looks again. True when the server does not list it; false when it still does, the
    /// server did not answer, or <paramref name="cancellationToken"/> fired.
    /// </summary>
    public async Task<bool> EnsureStoppedAsync(string attemptId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(attemptId);
        ObjectDisposedException.ThrowIf(_disposed || !_http.TryAcquire(), this);
        try
        {
            if (!await _http.IsRunningAsync(attemptId, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (_streams.TryGetValue(attemptId, out var stream))
            {
                stream.Abort();
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.KillTimeout);
            await _http.KillAsync(attemptId, timeout.Token).ConfigureAwait(false);
            return !await _http.IsRunningAsync(attemptId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is EngineException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            _http.Release();
        }
    }

    /// <summary>Loads the shop warehouse into this server's database (see <see cref="ClickHouseShopLoader"/>).</summary>
    public Task<ShopLoadInfo> LoadShopAsync(ShopGenerator generator, IProgress<ShopLoadProgress>? progress, CancellationToken cancellationToken) =>
        ClickHouseShopLoader.LoadAsync(this, generator, progress, cancellationToken);

    /// <summary>
    /// Runs <c>SELECT version()</c>. <see cref="EngineHealth.LatencyMs"/> is the round trip including connecting when
    /// no pooled connection is idle; the detail is <c>ClickHouse 18.16.1</c>, or the failure's code and message.
    /// Never throws for engine failures.
    /// </summary>
    public async Task<EngineHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var version = await RunAsync("SELECT version()", cancellationToken).ConfigureAwait(false);
            return new EngineHealth(true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"ClickHouse {version.Trim()}");
        }
        catch (EngineException exception)
        {
            return new EngineHealth(
                false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{exception.EngineCode}: {exception.Message}");
        }
    }

    /// <summary>
    /// Stops accepting statements. Streams already returned stay valid; the connection pool is released when the last
    /// of them ends.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _http.Close();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs a statement of Hera's own and returns its TabSeparated output (see <see cref="ClickHouseHttp.RunAsync"/>).</summary>
    internal async Task<string> RunAsync(string sql, CancellationToken cancellationToken, HttpContent? data = null)
    {
        ObjectDisposedException.ThrowIf(_disposed || !_http.TryAcquire(), this);
        try
        {
            return await _http.RunAsync(sql, cancellationToken, data).ConfigureAwait(false);
        }
        finally
        {
            _http.Release();
        }
    }

    private ClickHouseAttempt Begin(string attemptId, IReadOnlyDictionary<string, string> settings)
    {
        ObjectDisposedException.ThrowIf(!_http.TryAcquire(), this);
        Interlocked.Increment(ref _running);
        return new ClickHouseAttempt(_http, attemptId, settings, Options.KillTimeout, OnEnded);
    }

    private void OnEnded(ClickHouseAttempt attempt)
    {
        _streams.TryRemove(attempt.QueryId, out _);
        Interlocked.Decrement(ref _running);
        _http.Release();
    }
}
