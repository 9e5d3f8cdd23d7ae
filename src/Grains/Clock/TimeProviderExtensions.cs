namespace Hera.Grains.Clock;

/// <summary>Helpers over <see cref="TimeProvider"/> used across the grains.</summary>
public static class TimeProviderExtensions
{
    /// <summary>Now in UTC, truncated to microseconds so that stored and in-memory times compare equal
    /// on every backend (PostgreSQL keeps microseconds).</summary>
    public static DateTimeOffset UtcNowMicros(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
    }
}
