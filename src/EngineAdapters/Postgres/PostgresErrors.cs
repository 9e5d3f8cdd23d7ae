using System.Collections.Frozen;
using System.Net.Sockets;
using Hera.EngineAdapters.Abstractions;
using Npgsql;

namespace Hera.EngineAdapters.Postgres;

/// <summary>
/// Turns Npgsql failures into <see cref="EngineException"/>s. A server error keeps its SQLSTATE as
/// <see cref="EngineException.EngineCode"/> (<c>42P01</c>) and the server's message; who is to blame is decided by
/// <see cref="Blame"/>, looked up by the full five-character code first and then by its two-character class, so
/// reviewing or changing the policy is editing data. Codes matched by neither are <see cref="EngineFailureKind.Fatal"/>.
/// Failures that never reached the server (refused connection, broken socket, timeout) use Hera's own
/// <c>HERA_…</c> codes, which never collide with a SQLSTATE.
/// </summary>
internal static class PostgresErrors
{
    /// <summary>The server could not be reached, or the connection broke or timed out while in use.</summary>
    public const string ConnectionCode = "HERA_CONNECTION";

    /// <summary>Npgsql failed for a reason that is neither a server error nor a broken connection.</summary>
    public const string DriverCode = "HERA_DRIVER";

    /// <summary>A setting Hera refuses before sending (see <see cref="PostgresSettings"/>).</summary>
    public const string InvalidSettingCode = "HERA_INVALID_SETTING";

    /// <summary>A parameter value of a CLR type <see cref="EngineCommand.Parameters"/> does not allow.</summary>
    public const string InvalidParameterCode = "HERA_INVALID_PARAMETER";

    /// <summary>A result column Hera cannot return faithfully (see <see cref="PostgresTypeMap"/>).</summary>
    public const string UnsupportedCode = "HERA_UNSUPPORTED";

    /// <summary>A result value that does not fit the CLR type promised for its column (numeric NaN, huge numbers).</summary>
    public const string ValueOutOfRangeCode = "HERA_VALUE_OUT_OF_RANGE";

    /// <summary>SQLSTATE of a statement stopped by a cancel request (ours, or <c>statement_timeout</c>).</summary>
    public const string QueryCanceled = "57014";

    /// <summary>
    /// SQLSTATE (five characters) or SQLSTATE class (two characters) to blame; a code's own row wins over its class.
    /// See the PostgreSQL manual's appendix "PostgreSQL Error Codes".
    /// </summary>
    internal static readonly FrozenDictionary<string, EngineFailureKind> Blame = new Dictionary<string, EngineFailureKind>
    {
        // The caller's statement: another engine (or this one, again) would refuse it too.
        ["0A"] = EngineFailureKind.CallerSql, // feature not supported
        ["21"] = EngineFailureKind.CallerSql, // cardinality violation (a scalar subquery returned two rows)
        ["22"] = EngineFailureKind.CallerSql, // data exception: division by zero, bad cast, invalid setting value (22023)
        ["23"] = EngineFailureKind.CallerSql, // integrity constraint violation
        ["25006"] = EngineFailureKind.CallerSql, // a write in a read-only transaction (PostgresEngineOptions.ReadOnly)
        ["42"] = EngineFailureKind.CallerSql, // syntax error, undefined table/column/function, unknown setting (42704)
        ["44"] = EngineFailureKind.CallerSql, // WITH CHECK OPTION violation
        ["54"] = EngineFailureKind.CallerSql, // program limit exceeded: statement too complex, too many columns
        ["P0"] = EngineFailureKind.CallerSql, // RAISE in the caller's own PL/pgSQL
        // The server cannot serve now: worth retrying or failing over.
        ["08"] = EngineFailureKind.Transient, // connection exception
        ["40"] = EngineFailureKind.Transient, // transaction rollback: serialization failure 40001, deadlock 40P01
        ["53"] = EngineFailureKind.Transient, // insufficient resources: disk full, out of memory, too many connections
        ["55P03"] = EngineFailureKind.Transient, // lock not available (lock_timeout)
        // Reached only when the cancel was not ours (statement_timeout, an operator): ours surface as cancellation.
        [QueryCanceled] = EngineFailureKind.Transient,
        ["57P01"] = EngineFailureKind.Transient, // admin shutdown, or pg_terminate_backend
        ["57P02"] = EngineFailureKind.Transient, // crash shutdown
        ["57P03"] = EngineFailureKind.Transient, // cannot connect now: starting up or in recovery
        ["57P05"] = EngineFailureKind.Transient, // idle session timeout
        // Misconfiguration retrying will not fix, listed for the reader; unlisted codes are fatal too.
        ["28"] = EngineFailureKind.Fatal, // invalid authorization: wrong password, no pg_hba.conf entry
        ["3D000"] = EngineFailureKind.Fatal, // the configured database does not exist
        ["57P04"] = EngineFailureKind.Fatal, // the database was dropped
        ["XX"] = EngineFailureKind.Fatal, // internal error, data corrupted
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Who is to blame for <paramref name="sqlState"/>.</summary>
    public static EngineFailureKind Classify(string sqlState) =>
        Blame.TryGetValue(sqlState, out var kind) || (sqlState.Length == 5 && Blame.TryGetValue(sqlState[..2], out kind))
            ? kind
            : EngineFailureKind.Fatal;

    /// <summary>True for the failures <see cref="Translate"/> turns into an <see cref="EngineException"/>.</summary>
    public static bool IsEngineFailure(Exception exception) =>
        exception is NpgsqlException or IOException or SocketException or TimeoutException;

    /// <summary>
    /// The <see cref="EngineException"/> for <paramref name="exception"/>, one of the failures
    /// <see cref="IsEngineFailure"/> accepts: a server error by its SQLSTATE; a broken, refused or timed-out
    /// connection as <see cref="ConnectionCode"/> (transient); any other Npgsql failure as <see cref="DriverCode"/>.
    /// </summary>
    public static EngineException Translate(string engine, Exception exception)
    {
        if (exception is EngineException known)
        {
            return known;
        }

        if (exception is PostgresException server)
        {
            return new EngineException(engine, Classify(server.SqlState), server.SqlState, ServerMessage(server), server);
        }

        return IsConnectionFailure(exception)
            ? new EngineException(engine, EngineFailureKind.Transient, ConnectionCode, exception.Message, exception)
            : new EngineException(engine, EngineFailureKind.Fatal, DriverCode, exception.Message, exception);
    }

    /// <summary>A failure Hera itself detects, blamed on the caller.</summary>
    public static EngineException Caller(string engine, string code, string message, Exception? inner = null) =>
        new(engine, EngineFailureKind.CallerSql, code, message, inner);

    /// <summary>The server's message with its detail and hint, which often name the offending value.</summary>
    private static string ServerMessage(PostgresException server)
    {
        var message = server.MessageText;
        if (!string.IsNullOrEmpty(server.Detail))
        {
            message += $" DETAIL: {server.Detail}";
        }

        if (!string.IsNullOrEmpty(server.Hint))
        {
            message += $" HINT: {server.Hint}";
        }

        return message;
    }

    /// <summary>
    /// Npgsql marks network failures transient; the inner exception is checked too because a failure while a
    /// result streams can arrive wrapped without the flag (an end of stream read as an I/O error).
    /// </summary>
    private static bool IsConnectionFailure(Exception exception) =>
        exception is IOException or SocketException or TimeoutException
        || (exception is NpgsqlException npgsql
            && (npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException));
}
