using System.Collections.Frozen;
using Hera.EngineAdapters.Abstractions;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Hera.EngineAdapters.Sqlite;

/// <summary>
/// Turns SQLite result codes into <see cref="EngineException"/>s. Who is to blame is decided by the primary result
/// code alone, through <see cref="Codes"/>: one row per code, so reviewing or changing the policy is editing data.
/// </summary>
internal static class SqliteErrors
{
    /// <summary>Code used when a failure comes from Hera's own checks of a setting, not from SQLite.</summary>
    public const string InvalidSettingCode = "HERA_INVALID_SETTING";

    /// <summary>Primary result code (the low byte of any extended code) to symbolic name and blame.</summary>
    internal static readonly FrozenDictionary<int, SqliteErrorClass> Codes = new Dictionary<int, SqliteErrorClass>
    {
        // Syntax errors, unknown tables, columns and functions all arrive as the generic SQLITE_ERROR.
        [raw.SQLITE_ERROR] = new("SQLITE_ERROR", EngineFailureKind.CallerSql),
        [raw.SQLITE_INTERNAL] = new("SQLITE_INTERNAL", EngineFailureKind.Fatal),
        [raw.SQLITE_PERM] = new("SQLITE_PERM", EngineFailureKind.Fatal),
        [raw.SQLITE_ABORT] = new("SQLITE_ABORT", EngineFailureKind.Transient),
        [raw.SQLITE_BUSY] = new("SQLITE_BUSY", EngineFailureKind.Transient),
        [raw.SQLITE_LOCKED] = new("SQLITE_LOCKED", EngineFailureKind.Transient),
        [raw.SQLITE_NOMEM] = new("SQLITE_NOMEM", EngineFailureKind.Transient),
        [raw.SQLITE_READONLY] = new("SQLITE_READONLY", EngineFailureKind.Fatal),
        // Reached only when something other than the caller's token interrupted the statement.
        [raw.SQLITE_INTERRUPT] = new("SQLITE_INTERRUPT", EngineFailureKind.Transient),
        [raw.SQLITE_IOERR] = new("SQLITE_IOERR", EngineFailureKind.Transient),
        [raw.SQLITE_CORRUPT] = new("SQLITE_CORRUPT", EngineFailureKind.Fatal),
        [raw.SQLITE_NOTFOUND] = new("SQLITE_NOTFOUND", EngineFailureKind.Fatal),
        [raw.SQLITE_FULL] = new("SQLITE_FULL", EngineFailureKind.Transient),
        [raw.SQLITE_CANTOPEN] = new("SQLITE_CANTOPEN", EngineFailureKind.Transient),
        [raw.SQLITE_PROTOCOL] = new("SQLITE_PROTOCOL", EngineFailureKind.Transient),
        [raw.SQLITE_EMPTY] = new("SQLITE_EMPTY", EngineFailureKind.Fatal),
        // The schema changed under a prepared statement; running it again re-prepares it.
        [raw.SQLITE_SCHEMA] = new("SQLITE_SCHEMA", EngineFailureKind.Transient),
        [raw.SQLITE_TOOBIG] = new("SQLITE_TOOBIG", EngineFailureKind.CallerSql),
        [raw.SQLITE_CONSTRAINT] = new("SQLITE_CONSTRAINT", EngineFailureKind.CallerSql),
        [raw.SQLITE_MISMATCH] = new("SQLITE_MISMATCH", EngineFailureKind.CallerSql),
        [raw.SQLITE_MISUSE] = new("SQLITE_MISUSE", EngineFailureKind.Fatal),
        [raw.SQLITE_NOLFS] = new("SQLITE_NOLFS", EngineFailureKind.Fatal),
        [raw.SQLITE_AUTH] = new("SQLITE_AUTH", EngineFailureKind.Fatal),
        [raw.SQLITE_FORMAT] = new("SQLITE_FORMAT", EngineFailureKind.Fatal),
        [raw.SQLITE_RANGE] = new("SQLITE_RANGE", EngineFailureKind.Fatal),
        [raw.SQLITE_NOTADB] = new("SQLITE_NOTADB", EngineFailureKind.Fatal),
    }.ToFrozenDictionary();

    /// <summary>The symbolic name and blame of <paramref name="resultCode"/>; unknown codes are fatal.</summary>
    public static SqliteErrorClass Classify(int resultCode) =>
        Codes.TryGetValue(resultCode & 0xFF, out var known)
            ? known
            : new SqliteErrorClass($"SQLITE_UNKNOWN_{resultCode}", EngineFailureKind.Fatal);

    /// <summary>An exception for <paramref name="resultCode"/> carrying SQLite's own message.</summary>
    public static EngineException Create(string engine, int resultCode, string message, Exception? inner = null)
    {
        var error = Classify(resultCode);
        return new EngineException(engine, error.Kind, error.Symbol, message, inner);
    }

    /// <summary>An exception for a call on <paramref name="db"/> that returned <paramref name="resultCode"/>.</summary>
    public static EngineException FromDatabase(string engine, sqlite3 db, int resultCode) =>
        Create(engine, resultCode, raw.sqlite3_errmsg(db).utf8_to_string() ?? raw.sqlite3_errstr(resultCode).utf8_to_string());

    /// <summary>An exception for a failure Microsoft.Data.Sqlite reported (opening a connection).</summary>
    public static EngineException FromException(string engine, SqliteException exception) =>
        Create(engine, exception.SqliteErrorCode, exception.Message, exception);
}

/// <summary>A SQLite primary result code's symbolic name and who is to blame for it.</summary>
/// <param name="Symbol">SQLite's name for the code, e.g. <c>SQLITE_BUSY</c>.</param>
/// <param name="Kind">Who is to blame.</param>
internal sealed record SqliteErrorClass(string Symbol, EngineFailureKind Kind);
