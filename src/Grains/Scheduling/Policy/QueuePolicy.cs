namespace Hera.Grains.Scheduling.Policy;

/// <summary>Whether a queue's waiting jobs may be started. A closed queue also refuses submissions (admission).</summary>
public enum QueueState
{
    /// <summary>Accepts submissions; its waiting jobs are picked.</summary>
    Open,

    /// <summary>Refuses submissions; its waiting jobs stay waiting and are never picked.</summary>
    Closed,
}

/// <summary>
/// One queue's scheduling settings, as set through <c>PUT /v1/queues/{name}</c>. Validated by
/// <see cref="WeightedQueueScheduler.UpsertQueue"/>.
/// </summary>
/// <param name="Name">Queue name, compared ordinally.</param>
/// <param name="Weight">Priority of the queue; higher runs first. Finite and not negative.</param>
/// <param name="Capacity">Waiting jobs the queue accepts (admission); the denominator of the dynamic factor. At least 1.</param>
/// <param name="Parallelism">Jobs of this queue that may run at once. At least 1.</param>
/// <param name="MaxResourceShare">Fraction of the cluster's memory its running jobs may hold, in (0, 1].</param>
/// <param name="Pool">Worker pool its jobs run on (<c>core</c>, <c>non-core</c> or any name); used by placement, not here.</param>
/// <param name="State">Open or closed.</param>
public sealed record QueuePolicy(
    string Name,
    double Weight,
    int Capacity,
    int Parallelism,
    double MaxResourceShare,
    string Pool,
    QueueState State = QueueState.Open);
