using System.Collections.Concurrent;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Workers;

namespace Hera.Grains.Workers;

/// <summary>
/// Where the scheduler finds the workers of this process: each <see cref="Worker"/> registers here, publishes
/// its heartbeats here (as well as to the grid store), and receives the attempts the scheduler claimed for it.
/// In a cluster, workers in other silos are reached through the store instead (assignment rows and
/// notifications); this directory is the in-process path.
/// </summary>
public sealed class WorkerDirectory
{
    private readonly ConcurrentDictionary<string, Worker> _workers = new(StringComparer.Ordinal);

    /// <summary>Raised after a local worker wrote a heartbeat, on its thread. Handlers must be quick.</summary>
    public event Action<WorkerRecord>? Heartbeat;

    /// <summary>Makes a worker reachable by its id.</summary>
    public void Register(Worker worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        _workers[worker.Options.WorkerId] = worker;
    }

    /// <summary>The current heartbeat of every worker registered in this process (not yet written anywhere).</summary>
    public IReadOnlyList<WorkerRecord> LocalHeartbeats() => [.. _workers.Values.Select(w => w.Heartbeat())];

    /// <summary>Hands a claimed attempt to the worker with that id, if it is in this process.</summary>
    public Delivery Deliver(string workerId, JobRecord claimed) =>
        !_workers.TryGetValue(workerId, out var worker) ? Delivery.NotHere
        : worker.TryStart(claimed) ? Delivery.Started
        : Delivery.Refused;

    /// <summary>Publishes a worker's heartbeat to the scheduler of this process.</summary>
    public void Publish(WorkerRecord heartbeat) => Heartbeat?.Invoke(heartbeat);
}

/// <summary>What became of an attempt handed to <see cref="WorkerDirectory.Deliver"/>.</summary>
public enum Delivery
{
    /// <summary>The worker is in this process and runs the attempt.</summary>
    Started,

    /// <summary>The worker is in this process but stopping; the job must go back in line.</summary>
    Refused,

    /// <summary>The worker is in another silo, which learns of the claim from the store's change delivery.</summary>
    NotHere,
}
