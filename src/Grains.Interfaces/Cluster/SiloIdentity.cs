namespace Hera.Grains.Interfaces.Cluster;

/// <summary>Who this silo is: its id, the roles it plays and when it started.</summary>
/// <param name="Id">Unique silo id (stable across restarts when configured, else generated).</param>
/// <param name="Roles">Any of <see cref="SiloRoles"/>.</param>
/// <param name="StartedAt">Process start time.</param>
public sealed record SiloIdentity(string Id, IReadOnlySet<string> Roles, DateTimeOffset StartedAt)
{
    /// <summary>True when this silo plays <paramref name="role"/>.</summary>
    public bool Has(string role) => Roles.Contains(role);
}

/// <summary>The roles a silo can play (<c>--roles</c>).</summary>
public static class SiloRoles
{
    /// <summary>Serves the HTTP API.</summary>
    public const string Gateway = "gateway";

    /// <summary>Recovers lost jobs and (later) runs the scheduler and reminders.</summary>
    public const string Scheduler = "scheduler";

    /// <summary>Runs jobs in its slots.</summary>
    public const string Worker = "worker";

    /// <summary>Every role; the embedded default.</summary>
    public static IReadOnlyList<string> All { get; } = [Gateway, Scheduler, Worker];
}
