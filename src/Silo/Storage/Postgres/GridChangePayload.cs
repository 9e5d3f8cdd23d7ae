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
                change = new GridChange(kind, parts[3], version);
                return true;
            }
        }

        return false;
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
