using System.Collections.Frozen;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Session settings a job passes to ClickHouse (<see cref="EngineCommand.Settings"/>), sent as URL query parameters
/// over <see cref="ClickHouseEngineOptions.DefaultSettings"/> (the command wins per key). ClickHouse itself checks
/// names and values (an unknown setting is its code 115, <see cref="EngineFailureKind.CallerSql"/>). Hera refuses,
/// as <see cref="EngineFailureKind.CallerSql"/> with <see cref="ClickHouseErrors.InvalidSettingCode"/>, only what
/// ClickHouse would not refuse but would break the attempt: names that are HTTP interface parameters rather than
/// settings (<see cref="Reserved"/>), settings whose value the row stream depends on (<see cref="Pinned"/>), and
/// names that are not identifiers.
/// </summary>
internal static class ClickHouseSettings
{
    /// <summary>
    /// HTTP parameters that share the URL with settings: a job must not switch user, database, session or format,
    /// or take over the attempt's query id.
    /// </summary>
    internal static readonly FrozenSet<string> Reserved = FrozenSet.ToFrozenSet(
        [
            "query", "query_id", "database", "user", "password", "quota_key", "default_format", "session_id",
            "session_timeout", "session_check", "compress", "decompress", "buffer_size", "wait_end_of_query",
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Settings the stream needs at one value, and why. A job may repeat the value, not change it.</summary>
    internal static readonly FrozenDictionary<string, (string Value, string Reason)> Pinned =
        new Dictionary<string, (string Value, string Reason)>
        {
            ["extremes"] = ("0", "extremes rows follow an empty line that the TabSeparated stream cannot tell apart from data"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The settings to send: pinned ones, then defaults overridden by <paramref name="settings"/>, in key order.</summary>
    /// <exception cref="EngineException">A refused setting.</exception>
    public static IReadOnlyDictionary<string, string> Merge(
        string engine, IReadOnlyDictionary<string, string> defaults, IReadOnlyDictionary<string, string>? settings)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in defaults)
        {
            merged[key] = value;
        }

        foreach (var (key, value) in settings ?? FrozenDictionary<string, string>.Empty)
        {
            Check(engine, key, value);
            merged[key] = value;
        }

        foreach (var (key, (value, _)) in Pinned)
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>Throws when <paramref name="key"/> is not a setting a job may pass with <paramref name="value"/>.</summary>
    public static void Check(string engine, string key, string value)
    {
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(key[0]))
        {
            throw Refuse(engine, $"'{key}' is not a ClickHouse setting name.");
        }

        if (Reserved.Contains(key))
        {
            throw Refuse(engine, $"'{key}' is an HTTP interface parameter that engine '{engine}' sets itself, not a setting a job may pass.");
        }

        if (Pinned.TryGetValue(key, out var pinned) && value.Trim() != pinned.Value)
        {
            throw Refuse(engine, $"Setting '{key}' must stay {pinned.Value} on engine '{engine}': {pinned.Reason}.");
        }
    }

    private static EngineException Refuse(string engine, string message) =>
        ClickHouseErrors.Caller(engine, ClickHouseErrors.InvalidSettingCode, message);
}
