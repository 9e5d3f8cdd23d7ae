using System.Collections.Frozen;
using System.Text;
using Hera.EngineAdapters.Abstractions;
using Npgsql;

namespace Hera.EngineAdapters.Postgres;

/// <summary>
/// Applies <see cref="EngineCommand.Settings"/> and the attempt's tag for the length of one transaction: every pair
/// goes through <c>set_config(key, value, true)</c>, PostgreSQL's <c>SET LOCAL</c>, so nothing outlives the
/// statement on a pooled connection and the server alone validates names and values. An unknown name fails with
/// SQLSTATE 42704 and a bad value with 22023 (both the caller's), exactly as the server words them. Keys and values
/// are bound parameters, never spliced into SQL. The keys in <see cref="Reserved"/> are refused with
/// <see cref="PostgresErrors.InvalidSettingCode"/>, because Hera sets them itself.
/// </summary>
internal static class PostgresSettings
{
    /// <summary>
    /// The savepoint set after the settings, so a failed describe of the statement can be undone without losing them
    /// (see <see cref="PostgresRowStream"/>).
    /// </summary>
    public const string DescribeSavepoint = "hera_describe";

    /// <summary>The name of the settings' one column, by which a reader knows their row from the statement's.</summary>
    public const string ResultColumn = "hera_settings";

    /// <summary>Settings Hera owns, with the reason a job may not set them.</summary>
    internal static readonly FrozenDictionary<string, string> Reserved = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["application_name"] = "Hera tags each attempt's transaction with its attempt id to find and stop it.",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The command that sets the attempt's <c>application_name</c> (visible in <c>pg_stat_activity</c>) and the
    /// settings in key order, then sets <see cref="DescribeSavepoint"/>; one round trip. With
    /// <paramref name="readOnly"/> the transaction is made read-only first.
    /// </summary>
    public static NpgsqlCommand CreateCommand(
        string engine,
        NpgsqlConnection connection,
        string attemptId,
        IReadOnlyDictionary<string, string>? settings,
        bool readOnly)
    {
        var command = new NpgsqlCommand { Connection = connection };
        var (sql, parameters) = Build(engine, attemptId, settings, readOnly);
        command.Parameters.AddRange(parameters);
        command.CommandText = $"{sql}; SAVEPOINT {DescribeSavepoint}";
        return command;
    }

    /// <summary>
    /// Puts the same settings in front of <paramref name="statement"/>'s own text, so that both go in one round trip:
    /// the statement's results then begin with one row from the settings, which the reader skips. False, and the
    /// statement untouched, when one of its own parameters is named like one of these.
    /// </summary>
    public static bool TryPrepend(
        string engine,
        NpgsqlCommand statement,
        string attemptId,
        IReadOnlyDictionary<string, string>? settings,
        bool readOnly)
    {
        var (sql, parameters) = Build(engine, attemptId, settings, readOnly);
        if (parameters.Any(p => statement.Parameters.Contains(p.ParameterName)))
        {
            return false;
        }

        statement.Parameters.AddRange(parameters);
        // A newline, not only the semicolon: the statement may begin with a comment or end the line oddly.
        statement.CommandText = $"{sql};\n{statement.CommandText}";
        return true;
    }

    private static (string Sql, NpgsqlParameter[] Parameters) Build(
        string engine, string attemptId, IReadOnlyDictionary<string, string>? settings, bool readOnly)
    {
        var sql = new StringBuilder();
        if (readOnly)
        {
            sql.Append("SET TRANSACTION READ ONLY; ");
        }

        var parameters = new List<NpgsqlParameter> { new("hera_attempt", attemptId) };
        sql.Append($"SELECT set_config('application_name', @hera_attempt, true) AS {ResultColumn}");
        var index = 0;
        foreach (var (key, value) in (settings ?? FrozenDictionary<string, string>.Empty).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (Reserved.TryGetValue(key, out var reason))
            {
                throw PostgresErrors.Caller(engine, PostgresErrors.InvalidSettingCode, $"Setting '{key}' cannot be set: {reason}");
            }

            sql.Append($", set_config(@hera_key{index}, @hera_value{index}, true)");
            parameters.Add(new($"hera_key{index}", key));
            parameters.Add(new($"hera_value{index}", value));
            index++;
        }

        return (sql.ToString(), [.. parameters]);
    }
}
