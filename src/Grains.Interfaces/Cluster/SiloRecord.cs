namespace Hera.Grains.Interfaces.Cluster;

/// <summary>Whether a silo takes part in the cluster: alive while its heartbeats arrive.</summary>
public enum SiloState
{
    /// <summary>Heartbeats arrive.</summary>
    Alive,

    /// <summary>Its heartbeats stopped; the leader declared it dead. A later heartbeat makes it alive again.</summary>
    Dead,

    /// <summary>It stopped on purpose (graceful shutdown).</summary>
    Stopped,
}

/// <summary>Wire names of <see cref="SiloState"/>: <c>alive</c>, <c>dead</c>, <c>stopped</c>.</summary>
public static class SiloStateNames
{
    /// <summary>The wire name of a state.</summary>
    public static string ToWire(this SiloState state) => state switch
    {
        SiloState.Alive => "alive",
        SiloState.Dead => "dead",
        SiloState.Stopped => "stopped",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a wire name (case-sensitive); false for anything else.</summary>
    public static bool TryParse(string? wire, out SiloState state)
    {
        foreach (var candidate in Enum.GetValues<SiloState>())
        {
            if (candidate.ToWire() == wire)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}

/// <summary>
/// A silo's membership entry, as persisted in the grid store and shown by <c>GET /v1/cluster</c>: who it is,
/// where its gateway answers, what it plays, and when it last said it was alive.
/// </summary>
public sealed record SiloRecord
{
    /// <summary>Silo id, unique in the cluster.</summary>
    public required string Id { get; init; }

    /// <summary>Its gateway's URL (<c>--advertise-url</c>).</summary>
    public required string Address { get; init; }

    /// <summary>Roles it plays, sorted (any of <see cref="SiloRoles"/>).</summary>
    public required IReadOnlyList<string> Roles { get; init; }

    /// <summary>When this silo process started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When its last heartbeat was written.</summary>
    public required DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>Alive, dead or stopped.</summary>
    public SiloState State { get; init; } = SiloState.Alive;

    /// <summary>
    /// True when it is recorded alive but has been silent for longer than <paramref name="deadAfter"/> at
    /// <paramref name="now"/>: dead, whether or not a leader has recorded it yet (the leader may be the silent one).
    /// </summary>
    public bool IsSilentAt(DateTimeOffset now, TimeSpan deadAfter) => State == SiloState.Alive && now - LastHeartbeat > deadAfter;

    /// <summary>Its state as judged at <paramref name="now"/>: <see cref="SiloState.Dead"/> when silent, else as recorded.</summary>
    public SiloState StateAt(DateTimeOffset now, TimeSpan deadAfter) => IsSilentAt(now, deadAfter) ? SiloState.Dead : State;
}

/// <summary>Who leads the cluster, as recorded by the last <c>LeaderAcquireAsync</c>.</summary>
/// <param name="SiloId">The silo that acquired leadership.</param>
/// <param name="Epoch">Incremented by every acquisition; a leader's fenced writes carry it.</param>
/// <param name="AcquiredAt">When it acquired leadership.</param>
public sealed record LeaderRecord(string SiloId, long Epoch, DateTimeOffset AcquiredAt);

/// <summary>
/// Leadership held by one silo: the scheduler and recovery run only while a silo holds it. Disposing releases it.
/// </summary>
public interface ILeaderLease : IAsyncDisposable
{
    /// <summary>The epoch this lease was granted with; fenced writes succeed only while it is the stored epoch.</summary>
    long Epoch { get; }

    /// <summary>The silo holding it.</summary>
    string SiloId { get; }

    /// <summary>Fires when the lease is lost without being released (the connection holding it broke).
    /// The holder must stop acting as leader at once.</summary>
    CancellationToken Lost { get; }
}
