using Hera.Grains.Interfaces.Queues;
namespace Hera.Grains.Scheduling.Policy;

/// <summary>One queue's live state inside the scheduler. Mutable; owned by one scheduler.</summary>
internal sealed class QueueRuntime(QueueDefinition policy)
{
    public QueueDefinition Policy { get; set; } = policy;

    public DeadlineHeap Waiting { get; } = new();

    public int Running { get; set; }

    public long RunningMemoryMb { get; set; }

    /// <summary>The pick in which this queue was found held; it is skipped for the rest of that pick.</summary>
    public long HeldInPick { get; set; } = -1;

    /// <summary>Memory, in MiB, its running jobs may hold under <see cref="ClusterLimits.ClusterMemoryMb"/>.</summary>
    public long MemoryLimitMb(long clusterMemoryMb) => (long)Math.Floor(Policy.MaxResourceShare * clusterMemoryMb);

    /// <summary>The seed's dynamic factor: size / capacity x (1 - running / parallelism).</summary>
    public double DynamicFactor =>
        Waiting.Count / (double)Policy.Capacity * (1.0 - (Running / (double)Policy.Parallelism));
}

/// <summary>Queues of one weight, in registration order; the scheduler keeps groups by weight, highest first.</summary>
internal sealed class WeightGroup(double weight)
{
    public double Weight { get; } = weight;

    public List<QueueRuntime> Queues { get; } = [];
}

/// <summary>The weight groups, highest weight first; changed only when queues are added, removed or re-weighted.</summary>
internal sealed class WeightOrder
{
    public List<WeightGroup> Groups { get; } = [];

    public void Join(QueueRuntime queue)
    {
        var weight = queue.Policy.Weight;
        var at = Groups.FindIndex(g => g.Weight <= weight);
        if (at < 0)
        {
            at = Groups.Count;
            Groups.Add(new WeightGroup(weight));
        }
        else if (Groups[at].Weight != weight)
        {
            Groups.Insert(at, new WeightGroup(weight));
        }

        Groups[at].Queues.Add(queue);
    }

    public void Leave(QueueRuntime queue, double weight)
    {
        var at = Groups.FindIndex(g => g.Weight == weight);
        Groups[at].Queues.Remove(queue);
        if (Groups[at].Queues.Count == 0)
        {
            Groups.RemoveAt(at);
        }
    }
}
