namespace Hera.Grains.Jobs;

/// <summary>
/// Thrown when a write fenced by a leader epoch is refused because another silo has since become leader: the
/// caller must stop acting as leader. It is not a job's failure.
/// </summary>
public sealed class LeadershipLostException(long epoch)
    : Exception($"leadership epoch {epoch} is no longer current; another silo leads the cluster")
{
    /// <summary>The epoch this silo led with.</summary>
    public long Epoch { get; } = epoch;
}
