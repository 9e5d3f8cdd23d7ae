using Hera.Grains.Interfaces.Jobs;
using System.Text.Json;
using System.Globalization;
using System.Text;
using Hera.Grains.Interfaces.Storage;

namespace Hera.Silo.Storage.Postgres;

/// <summary>
/// The NOTIFY payload of a <see cref="GridChange"/>: <c>origin|kind|version|key</c>, where origin names the store
/// instance that wrote it (so that instance can skip its own changes). The key comes last and may hold '|'.
/// A change whose key would not fit PostgreSQL's 8000-byte payload is sent as <c>origin|resync|0|</c>: the
/// receiver re-reads everything rather than act on a truncated key.
/// </summary>
internal static class GridChangePayload
{
    /// <summary>The kind written for a change too large to name.</summary>
    public const string Resync = "resync";

    // Below the server's 8000-byte limit, with room for the channel name's accounting.
    private const int MaxBytes = 7000;

    /// <summary>The payload for one change made by <paramref name="origin"/>.</summary>
    public static string Format(string origin, GridChangeKind kind, string key, long version = 0)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"{origin}|{KindName(kind)}|{version}|{key}");
        return Encoding.UTF8.GetByteCount(payload) <= MaxBytes ? payload : $"{origin}|{Resync}|0|";
    }

    /// <summary>
    /// The payload for a job written by <paramref name="origin"/>: <c>origin|job|version|id|record</c>, the record as
    /// JSON so listeners need not read it back; without the record when it would not fit (long SQL).
    /// </summary>
    public static string FormatJob(string origin, JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var plain = Format(origin, GridChangeKind.Job, job.Id, job.Version);
        string json;
        try
        {
            json = JsonSerializer.Serialize(job, GridRows.SpecJson);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException)
        {
            return plain; // e.g. a non-finite score: listeners read the job instead
        }

        var withRecord = string.Concat(plain, "|", json);
        return Encoding.UTF8.GetByteCount(withRecord) <= MaxBytes ? withRecord : plain;
    }

    /// <summary>Parses a payload: its origin, and the change (null for a resync). False when it is not one of ours.</summary>
    public static bool TryParse(string payload, out string origin, out GridChange? change)
    {
        origin = "";
        change = null;
        var parts = payload.Split('|', 4);
        if (parts.Length != 4 || !long.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        origin = parts[0];
        if (parts[1] == Resync)
        {
            return true;
        }

        foreach (var kind in Enum.GetValues<GridChangeKind>())
        {
            if (KindName(kind) == parts[1])
            {
                change = kind == GridChangeKind.Job && parts[3].IndexOf('|', StringComparison.Ordinal) is var bar and >= 0
                    ? new GridChange(kind, parts[3][..bar], version, TryReadJob(parts[3][(bar + 1)..], parts[3][..bar], version))
                    : new GridChange(kind, parts[3], version);
                return true;
            }
        }

        return false;
    }

    // A record that does not read back as this job at this version is dropped: the listener reads the job instead.
    private static JobRecord? TryReadJob(string json, string id, long version)
    {
        try
        {
            return JsonSerializer.Deserialize<JobRecord>(json, GridRows.SpecJson) is { } job && job.Id == id && job.Version == version ? job : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string KindName(GridChangeKind kind) => kind switch
    {
        GridChangeKind.Job => "job",
        GridChangeKind.JobNote => "note",
        GridChangeKind.Queue => "queue",
        GridChangeKind.Engine => "engine",
        GridChangeKind.Parameters => "params",
        GridChangeKind.Leader => "leader",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
