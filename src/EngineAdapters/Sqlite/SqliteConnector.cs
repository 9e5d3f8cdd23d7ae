using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Hera.EngineAdapters.Sqlite;

/// <summary>
/// Opens SQLite connections the way every Hera user of SQLite needs them: native library initialised once,
/// no pooling, native busy timeout, optional write-ahead log. Failures come out as <see cref="Abstractions.EngineException"/>.
/// </summary>
internal static class SqliteConnector
{
    // The type initialiser runs exactly once per process and is thread-safe, which is all Init() needs.
    static SqliteConnector() => Batteries_V2.Init();

    /// <summary>
    /// Opens <paramref name="path"/> for reading and writing. Pooling is off because a pooled connection would carry
    /// one job's pragmas (cache size, temp store) into the next job; opening a SQLite file costs microseconds.
    /// </summary>
    public static SqliteConnection Open(string engine, string path, SqliteEngineOptions options)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = options.CreateIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();

            // Every statement Hera sends was printed by SqlitePrinter, which relies on these functions.
            SqliteFunctions.Register(connection);
            var db = connection.Handle!;
            // Statements run through SQLitePCL directly, so the wait for locks must be SQLite's own busy handler,
            // not Microsoft.Data.Sqlite's managed retry loop (which only covers its own commands).
            raw.sqlite3_busy_timeout(db, options.BusyTimeoutMilliseconds);
            if (options.UseWriteAheadLog)
            {
                Execute(engine, db, "PRAGMA journal_mode = WAL");
                Execute(engine, db, "PRAGMA synchronous = NORMAL");
            }

            return connection;
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw SqliteErrors.FromException(engine, exception);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs statements that return nothing useful (pragmas, DDL), discarding any rows.</summary>
    public static void Execute(string engine, sqlite3 db, string sql)
    {
        var resultCode = raw.sqlite3_exec(db, sql);
        if (resultCode != raw.SQLITE_OK)
        {
            throw SqliteErrors.FromDatabase(engine, db, resultCode);
        }
    }
}
