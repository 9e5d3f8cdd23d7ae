namespace Hera.EngineAdapters.Sqlite;

/// <summary>How a <see cref="SqliteEngineAdapter"/> opens its database file. Every property has a usable default.</summary>
public sealed record SqliteEngineOptions
{
    /// <summary>The defaults: 5 s busy timeout, write-ahead log on, no file creation.</summary>
    public static SqliteEngineOptions Default { get; } = new();

    /// <summary>
    /// How long a statement waits for another connection's lock before failing with <c>SQLITE_BUSY</c>
    /// (a transient failure). Zero fails at once. Default 5 seconds; at most <see cref="int.MaxValue"/> ms.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Switch the file to write-ahead-log journaling (<c>PRAGMA journal_mode = WAL</c>, which SQLite keeps in the
    /// file) and <c>synchronous = NORMAL</c> on every connection, so readers and one writer do not block each
    /// other. Default true; turn off for files shared with tools that cannot use WAL.
    /// </summary>
    public bool UseWriteAheadLog { get; init; } = true;

    /// <summary>
    /// Create the database file when it is missing. Default false, so a mistyped path fails as
    /// <c>SQLITE_CANTOPEN</c> instead of silently serving an empty database.
    /// </summary>
    public bool CreateIfMissing { get; init; }

    internal int BusyTimeoutMilliseconds => (int)BusyTimeout.TotalMilliseconds;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a property is outside its documented range.</summary>
    public void Validate()
    {
        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(BusyTimeout), BusyTimeout, "BusyTimeout must be between zero and int.MaxValue milliseconds.");
        }
    }
}
