using System.Globalization;

namespace Hera.Cli.Output;

/// <summary>How values print in tables: invariant culture, times in UTC to the millisecond, <c>-</c> for none.</summary>
internal static class Cells
{
    /// <summary>A time in UTC as <c>yyyy-MM-dd HH:mm:ss.fffZ</c>, or <c>-</c>.</summary>
    public static string Time(DateTime? at) =>
        at is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : "-";

    /// <summary>A whole number.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A decimal with at most three places and no trailing zeros (<c>10</c>, <c>0.5</c>, <c>0.333</c>).</summary>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
