using Hera.Grains.Interfaces.Queues;
namespace Hera.Grains.Scheduling.Policy;

/// <summary>Cluster-wide limits checked on every start (configurable; the caller passes the current values).</summary>
/// <param name="MaxRunningTasks">Jobs that may run at once across all queues. Zero or more.</param>
/// <param name="MaxMemoryMb">Memory, in MiB, the running jobs' estimates may add up to across all queues.</param>
/// <param name="ClusterMemoryMb">
/// The cluster's memory in MiB; a queue's running jobs may hold at most its
/// <see cref="QueueDefinition.MaxResourceShare"/> of it.
/// </param>
public sealed record ClusterLimits(int MaxRunningTasks, long MaxMemoryMb, long ClusterMemoryMb);

/// <summary>How many more jobs an engine accepts right now (its free concurrency).</summary>
/// <param name="Engine">Engine name, as in <see cref="WaitingJob.Engine"/>.</param>
/// <param name="FreeSlots">Jobs it can start now; an engine not listed has none.</param>
public readonly record struct EngineSlots(string Engine, int FreeSlots);

/// <summary>A queue's current load, for <c>GET /v1/queues</c> and the dashboard.</summary>
/// <param name="Name">Queue name.</param>
/// <param name="Size">Waiting jobs.</param>
/// <param name="Running">Running jobs.</param>
/// <param name="RunningMemoryMb">Sum of the running jobs' memory estimates, in MiB.</param>
/// <param name="DynamicFactor">size / capacity x (1 - running / parallelism), now.</param>
public sealed record QueueLoad(string Name, int Size, int Running, long RunningMemoryMb, double DynamicFactor);

/// <summary>What one worker can take right now: its free slots and free memory, in its pool.</summary>
/// <param name="WorkerId">Worker id.</param>
/// <param name="Pool">The pool it serves; only queues of that pool are placed on it.</param>
/// <param name="FreeSlots">Attempts it can start now.</param>
/// <param name="FreeMemoryMb">Memory, in MiB, not yet promised to its running jobs.</param>
public readonly record struct WorkerSlots(string WorkerId, string Pool, int FreeSlots, long FreeMemoryMb);

/// <summary>What the scheduler's running jobs hold on one worker.</summary>
/// <param name="Running">Running jobs placed on it.</param>
/// <param name="MemoryMb">Sum of their memory estimates, in MiB.</param>
public readonly record struct WorkerUse(int Running, long MemoryMb);

/// <summary>A job the scheduler holds, as <see cref="WeightedQueueScheduler.Find"/> reports it.</summary>
/// <param name="Job">The job as submitted to the scheduler.</param>
/// <param name="Running">True once started (or added as running); false while waiting.</param>
/// <param name="WorkerId">Where it runs, when known.</param>
public readonly record struct HeldJob(WaitingJob Job, bool Running, string? WorkerId);
