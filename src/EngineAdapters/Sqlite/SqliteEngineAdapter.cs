using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Demo;
using Microsoft.Data.Sqlite;

namespace Hera.EngineAdapters.Sqlite;

/// <summary>
/// An SQLite database file as a Hera engine. Each <see cref="ExecuteAsync"/> opens its own connection, so the
/// adapter is thread-safe and holds nothing between statements. Result types follow <see cref="SqliteTypeMap"/>
/// (declared type first, else the first row's storage class); values follow the conversion rule of
/// <see cref="SqliteValues"/>. A script's statements run in order and the last one's rows are the result.
/// <see cref="EngineCommand.Settings"/> are applied as an allow-listed set of pragmas (<c>cache_size</c>,
/// <c>temp_store</c>, <c>busy_timeout</c>, <c>mmap_size</c>, <c>threads</c>, <c>foreign_keys</c>,
/// <c>query_only</c>); any other key fails the job as <see cref="EngineFailureKind.CallerSql"/>.
/// </summary>
public sealed class SqliteEngineAdapter : IEngineAdapter, IShopTarget
{
    /// <summary>The <see cref="Kind"/> of every SQLite adapter.</summary>
    public const string EngineKind = "sqlite";

    private readonly SqliteEngineOptions _options;
    private readonly ConcurrentDictionary<string, SqliteRowStream> _running = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <summary>An adapter named <paramref name="name"/> for the database file at <paramref name="databasePath"/>.</summary>
    /// <param name="name">Registry name, e.g. <c>local</c>; used as <see cref="EngineException.Engine"/>.</param>
    /// <param name="databasePath">Path of the database file; opened per statement, not at construction.</param>
    /// <param name="options">How to open it; <see cref="SqliteEngineOptions.Default"/> when null.</param>
    public SqliteEngineAdapter(string name, string databasePath, SqliteEngineOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        _options = options ?? SqliteEngineOptions.Default;
        _options.Validate();
        Name = name;
        DatabasePath = databasePath;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Kind => EngineKind;

    /// <summary>Path of the database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Opens a connection, applies the command's settings, runs the script up to the result statement's first row
    /// and returns the stream, all on the thread pool because the first step can take as long as the whole
    /// statement (a sort, an aggregate). Later rows are stepped by <see cref="IRowStream.ReadAsync"/> on the
    /// caller's thread. <paramref name="cancellationToken"/> interrupts the statement on the engine, now or while
    /// the stream is read, and surfaces as <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<IRowStream> ExecuteAsync(EngineCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var pragmas = SqliteSettings.ToPragmas(Name, command.Settings);
        return await Task.Run<IRowStream>(() => Start(command, pragmas, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc />
    public int Running => _running.Count;

    /// <summary>
    /// Interrupts the attempt's statement if it is running in this process (an embedded engine has no other
    /// clients to ask) and waits until its stream has let go of its connection.
    /// </summary>
    public async Task<bool> EnsureStoppedAsync(string attemptId, CancellationToken cancellationToken)
    {
        if (!_running.TryGetValue(attemptId, out var stream))
        {
            return true;
        }

        stream.Interrupt();
        try
        {
            await stream.Released.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Loads the shop warehouse into this database file (see <see cref="SqliteShopLoader"/>).</summary>
    public Task<ShopLoadInfo> LoadShopAsync(ShopGenerator generator, IProgress<ShopLoadProgress>? progress, CancellationToken cancellationToken) =>
        SqliteShopLoader.LoadAsync(DatabasePath, generator, progress, cancellationToken);

    /// <summary>
    /// Opens the database and runs <c>SELECT sqlite_version()</c>. <see cref="EngineHealth.LatencyMs"/> covers
    /// opening and the statement (for an embedded engine, opening is the part that fails); the detail is
    /// <c>SQLite 3.x.y</c>, or the failure's code and message when unhealthy. Never throws for engine failures.
    /// </summary>
    public async Task<EngineHealth> CheckHealthAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return await Task.Run(CheckHealth, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting statements. Streams already returned stay valid and own their connections.</summary>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private SqliteRowStream Start(EngineCommand command, IReadOnlyList<string> pragmas, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = SqliteConnector.Open(Name, DatabasePath, _options);
        try
        {
            foreach (var pragma in pragmas)
            {
                SqliteConnector.Execute(Name, connection.Handle!, pragma);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return SqliteRowStream.Start(Name, connection, command.Sql, command.Parameters, stream => Track(command.AttemptId, stream), cancellationToken);
    }

    // Tracked from before its first step, which may be the whole computation, until its connection is closed.
    private void Track(string attemptId, SqliteRowStream stream)
    {
        if (_running.TryAdd(attemptId, stream))
        {
            _ = stream.Released.ContinueWith(
                _ => _running.TryRemove(new KeyValuePair<string, SqliteRowStream>(attemptId, stream)),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private EngineHealth CheckHealth()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var connection = SqliteConnector.Open(Name, DatabasePath, _options);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            var version = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            return new EngineHealth(true, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"SQLite {version}");
        }
        catch (EngineException exception)
        {
            return new EngineHealth(
                false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{exception.EngineCode}: {exception.Message}");
        }
        catch (SqliteException exception)
        {
            var error = SqliteErrors.Classify(exception.SqliteErrorCode);
            return new EngineHealth(
                false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{error.Symbol}: {exception.Message}");
        }
    }
}
