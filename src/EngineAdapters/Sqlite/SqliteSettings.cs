using System.Collections.Frozen;
using System.Globalization;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.Sqlite;

/// <summary>
/// Session settings a job may pass to SQLite (<see cref="EngineCommand.Settings"/>), applied as
/// <c>PRAGMA name = value</c> on the job's own connection. Only the pragmas in <see cref="Allowed"/> are accepted,
/// each with a validated value, so a setting can neither inject SQL nor change the file for other jobs
/// (<c>journal_mode</c>, <c>page_size</c>). Any other key, or a bad value, fails the job as
/// <see cref="EngineFailureKind.CallerSql"/> with code <see cref="SqliteErrors.InvalidSettingCode"/>: a typo should
/// not be silently ignored, and another SQLite engine would refuse it too.
/// </summary>
internal static class SqliteSettings
{
    private static readonly string[] TempStoreValues = ["default", "file", "memory", "0", "1", "2"];
    private static readonly string[] BooleanValues = ["on", "off", "true", "false", "yes", "no", "0", "1"];

    /// <summary>Accepted pragma names (case-insensitive) and their value check, which returns the canonical text or null.</summary>
    internal static readonly FrozenDictionary<string, Func<string, string?>> Allowed =
        new Dictionary<string, Func<string, string?>>(StringComparer.OrdinalIgnoreCase)
        {
            // Negative values are KiB, positive values pages: both are meaningful to SQLite.
            ["cache_size"] = AnyInteger,
            ["temp_store"] = value => OneOf(value, TempStoreValues),
            ["busy_timeout"] = NonNegativeInteger,
            ["mmap_size"] = NonNegativeInteger,
            ["threads"] = NonNegativeInteger,
            ["foreign_keys"] = value => OneOf(value, BooleanValues),
            ["query_only"] = value => OneOf(value, BooleanValues),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The pragma statements for <paramref name="settings"/>, in key order; throws on any refused setting.</summary>
    public static IReadOnlyList<string> ToPragmas(string engine, IReadOnlyDictionary<string, string>? settings)
    {
        if (settings is null || settings.Count == 0)
        {
            return [];
        }

        var pragmas = new List<string>(settings.Count);
        foreach (var (key, value) in settings.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!Allowed.TryGetValue(key, out var check))
            {
                throw Refuse(engine, $"Setting '{key}' is not supported by SQLite engine '{engine}'. Supported: {string.Join(", ", Allowed.Keys.Order(StringComparer.Ordinal))}.");
            }

            var canonical = check(value.Trim())
                ?? throw Refuse(engine, $"Setting '{key}' has an invalid value '{value}' for SQLite engine '{engine}'.");
            pragmas.Add($"PRAGMA {key.ToLowerInvariant()} = {canonical}");
        }

        return pragmas;
    }

    private static EngineException Refuse(string engine, string message) =>
        new(engine, EngineFailureKind.CallerSql, SqliteErrors.InvalidSettingCode, message);

    private static string? AnyInteger(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;

    private static string? NonNegativeInteger(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : null;

    private static string? OneOf(string value, string[] accepted) =>
        accepted.FirstOrDefault(candidate => string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase));
}
