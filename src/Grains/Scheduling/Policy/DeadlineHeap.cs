namespace Hera.Grains.Scheduling.Policy;

/// <summary>A job held by the scheduler, waiting or running. Mutable; owned by one scheduler.</summary>
internal sealed class JobEntry(WaitingJob job, QueueRuntime queue, int engineIndex, long sequence)
{
    public WaitingJob Job { get; } = job;

    public QueueRuntime Queue { get; } = queue;

    public int EngineIndex { get; } = engineIndex;

    /// <summary>Deadline in UTC ticks: the heap's key.</summary>
    public long DeadlineTicks { get; } = job.EnqueuedAt.UtcTicks + (job.TimeoutSeconds * TimeSpan.TicksPerSecond);

    /// <summary>Submission order: breaks deadline ties first come, first served.</summary>
    public long Sequence { get; } = sequence;

    /// <summary>Position in the queue's heap while waiting; -1 otherwise.</summary>
    public int HeapIndex { get; set; } = -1;

    public bool Running { get; set; }

    /// <summary>The worker running it, when placement chose one (or it was found running there).</summary>
    public string? WorkerId { get; set; }
}

/// <summary>
/// Binary min-heap of waiting jobs keyed by (deadline, sequence), with each entry's position stored in the entry so
/// a cancelled job leaves in O(log n). Allocates only when it grows.
/// </summary>
internal sealed class DeadlineHeap
{
    private JobEntry[] _items = new JobEntry[4];

    public int Count { get; private set; }

    /// <summary>The earliest deadline; the heap must not be empty.</summary>
    public JobEntry Peek() => _items[0];

    public void Push(JobEntry entry)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = entry;
        entry.HeapIndex = Count;
        Count++;
        SiftUp(entry.HeapIndex);
    }

    public void Remove(JobEntry entry)
    {
        var index = entry.HeapIndex;
        Count--;
        var last = _items[Count];
        _items[Count] = null!;
        entry.HeapIndex = -1;
        if (index == Count)
        {
            return;
        }

        _items[index] = last;
        last.HeapIndex = index;
        SiftUp(index);
        SiftDown(last.HeapIndex);
    }

    private static bool Before(JobEntry a, JobEntry b) =>
        a.DeadlineTicks < b.DeadlineTicks || (a.DeadlineTicks == b.DeadlineTicks && a.Sequence < b.Sequence);

    private void SiftUp(int index)
    {
        var entry = _items[index];
        while (index > 0)
        {
            var parent = (index - 1) >> 1;
            if (!Before(entry, _items[parent]))
            {
                break;
            }

            Place(_items[parent], index);
            index = parent;
        }

        Place(entry, index);
    }

    private void SiftDown(int index)
    {
        var entry = _items[index];
        while (true)
        {
            var child = (index * 2) + 1;
            if (child >= Count)
            {
                break;
            }

            if (child + 1 < Count && Before(_items[child + 1], _items[child]))
            {
                child++;
            }

            if (!Before(_items[child], entry))
            {
                break;
            }

            Place(_items[child], index);
            index = child;
        }

        Place(entry, index);
    }

    private void Place(JobEntry entry, int index)
    {
        _items[index] = entry;
        entry.HeapIndex = index;
    }
}
