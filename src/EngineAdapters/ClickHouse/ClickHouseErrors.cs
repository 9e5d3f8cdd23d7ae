using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Turns ClickHouse failures into <see cref="EngineException"/>s. ClickHouse reports an error as the text
/// <c>Code: NNN, e.displayText() = DB::Exception: message, e.what() = DB::Exception</c>, either as the body of a
/// non-200 response or appended to a result that was already streaming. <see cref="EngineException.EngineCode"/> is
/// that number as decimal text (<c>62</c>), the form ClickHouse users search for; Hera's own failures use
/// <c>HERA_…</c> codes, so the two never collide. Who is to blame is decided by <see cref="Codes"/>, one row per
/// code, so reviewing or changing the policy is editing data. Codes not listed are <see cref="EngineFailureKind.Fatal"/>.
/// </summary>
internal static class ClickHouseErrors
{
    /// <summary>The server could not be reached, or the connection broke while the result streamed.</summary>
    public const string ConnectionCode = "HERA_CONNECTION";

    /// <summary>The server answered something that is not ClickHouse's TabSeparated output or error text.</summary>
    public const string ProtocolCode = "HERA_PROTOCOL";

    /// <summary>A setting Hera refuses before sending (see <see cref="ClickHouseSettings"/>).</summary>
    public const string InvalidSettingCode = "HERA_INVALID_SETTING";

    /// <summary>An <c>@name</c> placeholder without a value.</summary>
    public const string MissingParameterCode = "HERA_MISSING_PARAMETER";

    /// <summary>A parameter value ClickHouse 18.16 cannot represent exactly (type or range).</summary>
    public const string InvalidParameterCode = "HERA_INVALID_PARAMETER";

    /// <summary>A statement the row stream cannot serve faithfully (its own output format, totals rows).</summary>
    public const string UnsupportedCode = "HERA_UNSUPPORTED";

    /// <summary>A result value that does not fit the CLR type promised for its column.</summary>
    public const string ValueOutOfRangeCode = "HERA_VALUE_OUT_OF_RANGE";

    /// <summary>The code the server reports for a statement stopped by <c>KILL QUERY</c>.</summary>
    public const int QueryWasCancelled = 394;

    private const string CodePrefix = "Code: ";
    private const string DisplayTextPrefix = ", e.displayText() = ";
    private const string WhatSuffix = ", e.what() = ";
    private const string ExceptionPrefix = "DB::Exception: ";

    /// <summary>Error code (ClickHouse's <c>ErrorCodes.cpp</c>) to symbolic name and blame.</summary>
    internal static readonly FrozenDictionary<int, ClickHouseErrorClass> Codes = new Dictionary<int, ClickHouseErrorClass>
    {
        // The caller's statement: another engine (or this one, again) would refuse it too.
        [6] = new("CANNOT_PARSE_TEXT", EngineFailureKind.CallerSql),
        [8] = new("THERE_IS_NO_COLUMN", EngineFailureKind.CallerSql),
        [10] = new("NOT_FOUND_COLUMN_IN_BLOCK", EngineFailureKind.CallerSql),
        [16] = new("NO_SUCH_COLUMN_IN_TABLE", EngineFailureKind.CallerSql),
        [20] = new("NUMBER_OF_COLUMNS_DOESNT_MATCH", EngineFailureKind.CallerSql),
        [27] = new("CANNOT_PARSE_INPUT_ASSERTION_FAILED", EngineFailureKind.CallerSql),
        [34] = new("TOO_MANY_ARGUMENTS_FOR_FUNCTION", EngineFailureKind.CallerSql),
        [35] = new("TOO_LESS_ARGUMENTS_FOR_FUNCTION", EngineFailureKind.CallerSql),
        [36] = new("BAD_ARGUMENTS", EngineFailureKind.CallerSql),
        [38] = new("CANNOT_PARSE_DATE", EngineFailureKind.CallerSql),
        [41] = new("CANNOT_PARSE_DATETIME", EngineFailureKind.CallerSql),
        [42] = new("NUMBER_OF_ARGUMENTS_DOESNT_MATCH", EngineFailureKind.CallerSql),
        [43] = new("ILLEGAL_TYPE_OF_ARGUMENT", EngineFailureKind.CallerSql),
        [44] = new("ILLEGAL_COLUMN", EngineFailureKind.CallerSql),
        [46] = new("UNKNOWN_FUNCTION", EngineFailureKind.CallerSql),
        [47] = new("UNKNOWN_IDENTIFIER", EngineFailureKind.CallerSql),
        [48] = new("NOT_IMPLEMENTED", EngineFailureKind.CallerSql),
        [50] = new("UNKNOWN_TYPE", EngineFailureKind.CallerSql),
        [51] = new("EMPTY_LIST_OF_COLUMNS_QUERIED", EngineFailureKind.CallerSql),
        [52] = new("COLUMN_QUERIED_MORE_THAN_ONCE", EngineFailureKind.CallerSql),
        [53] = new("TYPE_MISMATCH", EngineFailureKind.CallerSql),
        [56] = new("UNKNOWN_STORAGE", EngineFailureKind.CallerSql),
        [57] = new("TABLE_ALREADY_EXISTS", EngineFailureKind.CallerSql),
        [59] = new("ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER", EngineFailureKind.CallerSql),
        [60] = new("UNKNOWN_TABLE", EngineFailureKind.CallerSql),
        [62] = new("SYNTAX_ERROR", EngineFailureKind.CallerSql),
        [63] = new("UNKNOWN_AGGREGATE_FUNCTION", EngineFailureKind.CallerSql),
        [69] = new("ARGUMENT_OUT_OF_BOUND", EngineFailureKind.CallerSql),
        [70] = new("CANNOT_CONVERT_TYPE", EngineFailureKind.CallerSql),
        [72] = new("CANNOT_PARSE_NUMBER", EngineFailureKind.CallerSql),
        [73] = new("UNKNOWN_FORMAT", EngineFailureKind.CallerSql),
        [80] = new("INCORRECT_QUERY", EngineFailureKind.CallerSql),
        [81] = new("UNKNOWN_DATABASE", EngineFailureKind.CallerSql),
        [82] = new("DATABASE_ALREADY_EXISTS", EngineFailureKind.CallerSql),
        [115] = new("UNKNOWN_SETTING", EngineFailureKind.CallerSql),
        [125] = new("INCORRECT_RESULT_OF_SCALAR_SUBQUERY", EngineFailureKind.CallerSql),
        [128] = new("TOO_LARGE_ARRAY_SIZE", EngineFailureKind.CallerSql),
        [130] = new("CANNOT_READ_ARRAY_FROM_TEXT", EngineFailureKind.CallerSql),
        [131] = new("TOO_LARGE_STRING_SIZE", EngineFailureKind.CallerSql),
        [135] = new("ZERO_ARRAY_OR_TUPLE_INDEX", EngineFailureKind.CallerSql),
        [153] = new("ILLEGAL_DIVISION", EngineFailureKind.CallerSql),
        // Limits on rows, columns and depth: the same limits refuse the statement on every attempt.
        [158] = new("TOO_MANY_ROWS", EngineFailureKind.CallerSql),
        [161] = new("TOO_MANY_COLUMNS", EngineFailureKind.CallerSql),
        [162] = new("TOO_DEEP_SUBQUERIES", EngineFailureKind.CallerSql),
        [164] = new("READONLY", EngineFailureKind.CallerSql),
        [167] = new("TOO_DEEP_AST", EngineFailureKind.CallerSql),
        [168] = new("TOO_BIG_AST", EngineFailureKind.CallerSql),
        [174] = new("CYCLIC_ALIASES", EngineFailureKind.CallerSql),
        [179] = new("MULTIPLE_EXPRESSIONS_FOR_ALIAS", EngineFailureKind.CallerSql),
        [181] = new("ILLEGAL_FINAL", EngineFailureKind.CallerSql),
        [182] = new("ILLEGAL_PREWHERE", EngineFailureKind.CallerSql),
        [184] = new("ILLEGAL_AGGREGATION", EngineFailureKind.CallerSql),
        [190] = new("SIZES_OF_ARRAYS_DOESNT_MATCH", EngineFailureKind.CallerSql),
        [191] = new("SET_SIZE_LIMIT_EXCEEDED", EngineFailureKind.CallerSql),
        [206] = new("ALIAS_REQUIRED", EngineFailureKind.CallerSql),
        [207] = new("AMBIGUOUS_IDENTIFIER", EngineFailureKind.CallerSql),
        [211] = new("EMPTY_QUERY", EngineFailureKind.CallerSql),
        [215] = new("NOT_AN_AGGREGATE", EngineFailureKind.CallerSql),
        [258] = new("UNION_ALL_RESULT_STRUCTURES_MISMATCH", EngineFailureKind.CallerSql),
        [264] = new("INCOMPATIBLE_TYPE_OF_JOIN", EngineFailureKind.CallerSql),
        [307] = new("TOO_MANY_BYTES", EngineFailureKind.CallerSql),
        [321] = new("VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE", EngineFailureKind.CallerSql),
        [352] = new("AMBIGUOUS_COLUMN_NAME", EngineFailureKind.CallerSql),
        [386] = new("NO_COMMON_TYPE", EngineFailureKind.CallerSql),
        [395] = new("FUNCTION_THROW_IF_VALUE_IS_NON_ZERO", EngineFailureKind.CallerSql),
        [396] = new("TOO_MANY_ROWS_OR_BYTES", EngineFailureKind.CallerSql),
        [403] = new("INVALID_JOIN_ON_EXPRESSION", EngineFailureKind.CallerSql),
        [407] = new("DECIMAL_OVERFLOW", EngineFailureKind.CallerSql),

        // The server could not serve now: worth retrying or failing over.
        [159] = new("TIMEOUT_EXCEEDED", EngineFailureKind.Transient, RequestedBy: "max_execution_time"),
        [160] = new("TOO_SLOW", EngineFailureKind.Transient, RequestedBy: "max_execution_time"),
        [173] = new("CANNOT_ALLOCATE_MEMORY", EngineFailureKind.Transient),
        [201] = new("QUOTA_EXPIRED", EngineFailureKind.Transient),
        [202] = new("TOO_MANY_SIMULTANEOUS_QUERIES", EngineFailureKind.Transient),
        [203] = new("NO_FREE_CONNECTION", EngineFailureKind.Transient),
        [209] = new("SOCKET_TIMEOUT", EngineFailureKind.Transient),
        [210] = new("NETWORK_ERROR", EngineFailureKind.Transient),
        // The same query_id is still running: it will end, and a new attempt id never collides.
        [216] = new("QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING", EngineFailureKind.Transient),
        [225] = new("NO_ZOOKEEPER", EngineFailureKind.Transient),
        [236] = new("ABORTED", EngineFailureKind.Transient),
        [241] = new("MEMORY_LIMIT_EXCEEDED", EngineFailureKind.Transient),
        [242] = new("TABLE_IS_READ_ONLY", EngineFailureKind.Transient),
        [243] = new("NOT_ENOUGH_SPACE", EngineFailureKind.Transient),
        [252] = new("TOO_MANY_PARTS", EngineFailureKind.Transient),
        [279] = new("ALL_CONNECTION_TRIES_FAILED", EngineFailureKind.Transient),
        [285] = new("TOO_LESS_LIVE_REPLICAS", EngineFailureKind.Transient),
        // Reached only when someone other than this attempt's token killed the statement.
        [394] = new("QUERY_WAS_CANCELLED", EngineFailureKind.Transient),
        [999] = new("KEEPER_EXCEPTION", EngineFailureKind.Transient),

        // Configuration and server faults: retrying will not help.
        [49] = new("LOGICAL_ERROR", EngineFailureKind.Fatal),
        [76] = new("CANNOT_OPEN_FILE", EngineFailureKind.Fatal),
        [117] = new("INCORRECT_DATA", EngineFailureKind.Fatal),
        [192] = new("UNKNOWN_USER", EngineFailureKind.Fatal),
        [193] = new("WRONG_PASSWORD", EngineFailureKind.Fatal),
        [194] = new("REQUIRED_PASSWORD", EngineFailureKind.Fatal),
        [195] = new("IP_ADDRESS_NOT_ALLOWED", EngineFailureKind.Fatal),
        [246] = new("CORRUPTED_DATA", EngineFailureKind.Fatal),
        [291] = new("DATABASE_ACCESS_DENIED", EngineFailureKind.Fatal),
    }.ToFrozenDictionary();

    /// <summary>
    /// HTTP statuses that carry no ClickHouse error text (a proxy or load balancer answered): gateway failures are
    /// transient, anything else is fatal.
    /// </summary>
    internal static readonly FrozenDictionary<HttpStatusCode, EngineFailureKind> BareStatuses =
        new Dictionary<HttpStatusCode, EngineFailureKind>
        {
            [HttpStatusCode.BadGateway] = EngineFailureKind.Transient,
            [HttpStatusCode.ServiceUnavailable] = EngineFailureKind.Transient,
            [HttpStatusCode.GatewayTimeout] = EngineFailureKind.Transient,
            [HttpStatusCode.TooManyRequests] = EngineFailureKind.Transient,
        }.ToFrozenDictionary();

    /// <summary>
    /// The blame for <paramref name="code"/>. A limit that the statement's own settings asked for
    /// (<see cref="ClickHouseErrorClass.RequestedBy"/> among <paramref name="settings"/>) is the caller's: another
    /// attempt under the same limit fails the same way. Unknown codes are fatal.
    /// </summary>
    public static ClickHouseErrorClass Classify(int code, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (!Codes.TryGetValue(code, out var known))
        {
            return new ClickHouseErrorClass($"UNKNOWN_{code.ToString(CultureInfo.InvariantCulture)}", EngineFailureKind.Fatal);
        }

        return known.RequestedBy is { } setting && settings is not null && settings.ContainsKey(setting)
            ? known with { Kind = EngineFailureKind.CallerSql }
            : known;
    }

    /// <summary>
    /// Finds ClickHouse's error text in <paramref name="text"/> (a whole error body, or the tail of a result) and
    /// returns its code and message (without the <c>DB::Exception:</c> and <c>e.what()</c> decoration).
    /// </summary>
    public static bool TryParse(string text, out int code, out string message)
    {
        code = 0;
        message = "";
        var start = text.IndexOf(CodePrefix, StringComparison.Ordinal);
        while (start >= 0)
        {
            var digits = start + CodePrefix.Length;
            var end = digits;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end > digits
                && string.CompareOrdinal(text, end, DisplayTextPrefix, 0, DisplayTextPrefix.Length) == 0
                && int.TryParse(text.AsSpan(digits, end - digits), NumberStyles.None, CultureInfo.InvariantCulture, out code))
            {
                message = Message(text.AsSpan(end + DisplayTextPrefix.Length));
                return true;
            }

            start = text.IndexOf(CodePrefix, start + 1, StringComparison.Ordinal);
        }

        return false;
    }

    /// <summary>
    /// Like <see cref="TryParse"/>, for the end of a result body: true only when the error text runs to the end of
    /// <paramref name="tail"/>, whose last line carries the <c>e.what()</c> that closes every 18.16 error. A row that
    /// merely contains the words is followed by other rows, or lacks that ending.
    /// </summary>
    public static bool TryParseTail(string tail, out int code, out string message)
    {
        var trimmed = tail.TrimEnd('\n');
        var lastLine = trimmed[(trimmed.LastIndexOf('\n') + 1)..];
        code = 0;
        message = "";
        return lastLine.Contains(WhatSuffix, StringComparison.Ordinal) && TryParse(trimmed, out code, out message);
    }

    /// <summary>An exception for ClickHouse error <paramref name="code"/> raised by a statement run with <paramref name="settings"/>.</summary>
    public static EngineException Create(
        string engine, int code, string message, IReadOnlyDictionary<string, string>? settings = null, Exception? inner = null)
    {
        var error = Classify(code, settings);
        return new EngineException(engine, error.Kind, code.ToString(CultureInfo.InvariantCulture), message, inner);
    }

    /// <summary>An exception for a failed response whose body is <paramref name="body"/>.</summary>
    public static EngineException FromResponse(
        string engine, HttpStatusCode status, string body, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (TryParse(body, out var code, out var message))
        {
            return Create(engine, code, message, settings);
        }

        var kind = BareStatuses.GetValueOrDefault(status, EngineFailureKind.Fatal);
        var text = body.Length > 500 ? body[..500] + "…" : body;
        return new EngineException(engine, kind, $"HTTP_{(int)status}", $"HTTP {(int)status} without a ClickHouse error: {text.Trim()}");
    }

    /// <summary>The server is unreachable, or the connection broke mid-result: always transient.</summary>
    public static EngineException Connection(string engine, Exception exception) =>
        new(engine, EngineFailureKind.Transient, ConnectionCode, $"ClickHouse connection failed: {exception.Message}", exception);

    /// <summary>A refusal by Hera itself, for the caller to fix.</summary>
    public static EngineException Caller(string engine, string code, string message) =>
        new(engine, EngineFailureKind.CallerSql, code, message);

    /// <summary>Output Hera cannot read: a server or proxy not speaking ClickHouse's formats.</summary>
    public static EngineException Protocol(string engine, string message) =>
        new(engine, EngineFailureKind.Fatal, ProtocolCode, message);

    private static string Message(ReadOnlySpan<char> rest)
    {
        var what = rest.LastIndexOf(WhatSuffix, StringComparison.Ordinal);
        var display = (what >= 0 ? rest[..what] : rest).TrimEnd();
        if (display.StartsWith(ExceptionPrefix, StringComparison.Ordinal))
        {
            display = display[ExceptionPrefix.Length..];
        }

        return display.ToString();
    }
}

/// <summary>A ClickHouse error code's symbolic name and who is to blame for it.</summary>
/// <param name="Name">ClickHouse's name for the code, e.g. <c>SYNTAX_ERROR</c>.</param>
/// <param name="Kind">Who is to blame.</param>
/// <param name="RequestedBy">
/// The setting that imposes this limit; when the statement's own settings name it, the failure is the caller's
/// (<see cref="EngineFailureKind.CallerSql"/>) instead of <see cref="Kind"/>.
/// </param>
internal sealed record ClickHouseErrorClass(string Name, EngineFailureKind Kind, string? RequestedBy = null);
