using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Interfaces.Workers;

namespace Hera.Grains.Interfaces.Storage;

/// <summary>
/// The grid store driver: every piece of durable grid state goes through this one interface, so the grains never
/// know which database holds it. Methods are named Entity+Verb; arguments come in small params records;
/// what differs between backends is a capability property, never a type check.
/// Every implementation passes the same conformance suite (<c>GridStoreConformance</c> in the tests).
/// </summary>
public interface IGridStore : IAsyncDisposable
{
    /// <summary>Backend name as given to <c>--store</c>: <c>sqlite</c> or <c>postgres</c>.</summary>
    string Name { get; }

    /// <summary>True when the backend can push wake-ups between processes (PostgreSQL LISTEN/NOTIFY).
    /// Without it, waiters in other processes fall back to polling.</summary>
    bool SupportsListenNotify { get; }

    /// <summary>
    /// Delivers to <paramref name="listener"/> the changes other processes make through this store, until
    /// <paramref name="cancellationToken"/> fires; reconnects (and calls <see cref="IGridChangeListener.OnResyncAsync"/>)
    /// after the connection drops. Changes this process makes are not delivered: it publishes them itself. A
    /// store without <see cref="SupportsListenNotify"/> has no other processes: it calls
    /// <see cref="IGridChangeListener.OnResyncAsync"/> once and then only waits for cancellation.
    /// </summary>
    Task ListenAsync(IGridChangeListener listener, CancellationToken cancellationToken);

    /// <summary>Applies the numbered migrations not yet applied. Idempotent; safe to call at every start.
    /// Returns the schema version now in force.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Inserts a new job with its first events in one transaction. The job's state is the state of the
    /// last event given. Throws <see cref="DuplicateKeyException"/> when the id exists.</summary>
    Task<JobRecord> JobInsertAsync(JobInsertParams parameters, CancellationToken cancellationToken);

    /// <summary>
    /// Records jobs that ran outside the queues (interactive queries) as they ended: each job's every column and
    /// its whole history, all in one transaction. Throws <see cref="DuplicateKeyException"/> (writing none) when
    /// an id exists.
    /// </summary>
    Task JobImportAsync(IReadOnlyList<JobImportParams> jobs, CancellationToken cancellationToken);

    /// <summary>The job with this id, or null.</summary>
    Task<JobRecord?> JobGetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Jobs matching the filter, in the order the params ask for, at most <see cref="JobListParams.Limit"/>.</summary>
    Task<IReadOnlyList<JobRecord>> JobListAsync(JobListParams parameters, CancellationToken cancellationToken);

    /// <summary>The job's history, oldest first; empty for an unknown job.</summary>
    Task<IReadOnlyList<JobEvent>> JobEventListAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <see cref="JobUpdateParams.Next"/> and appends <see cref="JobUpdateParams.Event"/> in one transaction,
    /// only if the stored row still has <see cref="JobUpdateParams.ExpectedVersion"/>. Returns the stored job
    /// (version incremented) or null when the version no longer matches or the job is gone.
    /// </summary>
    Task<JobRecord?> JobUpdateIfVersionAsync(JobUpdateParams parameters, CancellationToken cancellationToken);

    /// <summary>How many jobs are in each state (all queues). States with none are absent.</summary>
    Task<IReadOnlyDictionary<JobState, long>> JobCountByStateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends an event to a job's history without changing the job (e.g. why a waiting job still waits).
    /// Returns false, and appends nothing, when the job does not exist.
    /// </summary>
    Task<bool> JobEventAppendAsync(string jobId, JobEventDraft draft, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the queue, or replaces the settings of the queue with that name (keeping its
    /// <see cref="QueueRecord.CreatedAt"/>), at time <paramref name="at"/>. Returns the stored queue.
    /// </summary>
    Task<QueueRecord> QueueUpsertAsync(QueueDefinition definition, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The queue with this name, or null.</summary>
    Task<QueueRecord?> QueueGetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every queue, oldest first (creation time, then name).</summary>
    Task<IReadOnlyList<QueueRecord>> QueueListAsync(CancellationToken cancellationToken);

    /// <summary>Writes a worker's heartbeat: inserts the worker or replaces every field of the stored one.</summary>
    Task WorkerUpsertAsync(WorkerRecord worker, CancellationToken cancellationToken);

    /// <summary>Every worker ever registered (alive, dead or stopped), by id.</summary>
    Task<IReadOnlyList<WorkerRecord>> WorkerListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Marks the worker <see cref="WorkerState.Dead"/> only if its stored heartbeat is still
    /// <paramref name="lastHeartbeatSeen"/> and it is alive, so a heartbeat that lands in between wins.
    /// True when this call marked it.
    /// </summary>
    Task<bool> WorkerMarkDeadAsync(string id, DateTimeOffset lastHeartbeatSeen, CancellationToken cancellationToken);

    /// <summary>Writes a silo's heartbeat: inserts the silo or replaces every field of the stored one.</summary>
    Task SiloUpsertAsync(SiloRecord silo, CancellationToken cancellationToken);

    /// <summary>Every silo ever registered (alive, dead or stopped), by id.</summary>
    Task<IReadOnlyList<SiloRecord>> SiloListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Marks the silo <see cref="SiloState.Dead"/> only if its stored heartbeat is still
    /// <paramref name="lastHeartbeatSeen"/> and it is alive. True when this call marked it.
    /// </summary>
    Task<bool> SiloMarkDeadAsync(string id, DateTimeOffset lastHeartbeatSeen, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until the caller holds the grid's leadership, then increments the stored leader epoch and records
    /// <paramref name="siloId"/> as leader. At most one lease is held at a time across every process using the
    /// store (PostgreSQL: a session advisory lock on a dedicated connection; SQLite: one per store instance, the
    /// file having a single process). Cancelling <paramref name="cancellationToken"/> gives up waiting.
    /// </summary>
    Task<ILeaderLease> LeaderAcquireAsync(string siloId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The last recorded leader, or null when none ever acquired leadership.</summary>
    Task<LeaderRecord?> LeaderGetAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Creates the engine, or replaces the definition of the engine with that name (keeping its
    /// <see cref="EngineRecord.CreatedAt"/>), at time <paramref name="at"/>. Returns the stored engine.
    /// </summary>
    Task<EngineRecord> EngineUpsertAsync(EngineDefinition definition, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every registered engine, oldest first (creation time, then name).</summary>
    Task<IReadOnlyList<EngineRecord>> EngineListAsync(CancellationToken cancellationToken);

    /// <summary>Removes the engine; false when there was none by that name.</summary>
    Task<bool> EngineDeleteAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Creates or replaces one parameter-layer entry (<paramref name="layer"/>, <paramref name="key"/>) with
    /// <paramref name="targets"/> at time <paramref name="at"/>. Returns the stored entry.
    /// </summary>
    Task<ParameterLayerRecord> ParameterLayerUpsertAsync(
        string layer, string key, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> targets, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every parameter-layer entry, by layer then key.</summary>
    Task<IReadOnlyList<ParameterLayerRecord>> ParameterLayerListAsync(CancellationToken cancellationToken);

    /// <summary>Removes one parameter-layer entry; false when there was none.</summary>
    Task<bool> ParameterLayerDeleteAsync(string layer, string key, CancellationToken cancellationToken);
}

/// <summary>Arguments of <see cref="IGridStore.JobInsertAsync"/>.</summary>
/// <param name="Id">The new job's id.</param>
/// <param name="Spec">What the caller asked for.</param>
/// <param name="At">Submission time; also the time of every initial event.</param>
/// <param name="Events">Initial history, at least one entry; the last one's state becomes the job's state.</param>
public sealed record JobInsertParams(string Id, JobSpec Spec, DateTimeOffset At, IReadOnlyList<JobEventDraft> Events);

/// <summary>A finished job to record with <see cref="IGridStore.JobImportAsync"/>.</summary>
/// <param name="Job">The job as it ended; its <see cref="JobRecord.Version"/> is stored as given.</param>
/// <param name="Events">Its history, oldest first, at least one event.</param>
public sealed record JobImportParams(JobRecord Job, IReadOnlyList<JobEventDraft> Events);

/// <summary>An event to append; the store assigns its sequence number.</summary>
/// <param name="State">State entered.</param>
/// <param name="At">When.</param>
/// <param name="Detail">Operator-facing detail, or null.</param>
public sealed record JobEventDraft(JobState State, DateTimeOffset At, string? Detail);

/// <summary>Arguments of <see cref="IGridStore.JobUpdateIfVersionAsync"/>.</summary>
/// <param name="Next">The job as it should be stored; its <see cref="JobRecord.Version"/> is ignored.</param>
/// <param name="ExpectedVersion">The version the caller read; the write happens only if it still holds.</param>
/// <param name="Event">History entry to append with the write, or null for a write that is not a transition.</param>
/// <param name="Notes">Notes to append before <paramref name="Event"/> in the same transaction (what an attempt found
/// on its way to this outcome), or null.</param>
/// <param name="LeaderEpoch">When set, the write happens only while the stored leader epoch is this one (a write
/// by the scheduler of a leader that has since been replaced must not land); null for writes any silo may make.</param>
public sealed record JobUpdateParams(JobRecord Next, long ExpectedVersion, JobEventDraft? Event, IReadOnlyList<JobEventDraft>? Notes = null, long? LeaderEpoch = null);

/// <summary>Order of <see cref="IGridStore.JobListAsync"/> results.</summary>
public enum JobListOrder
{
    /// <summary>Most recently submitted first (the API's listing).</summary>
    NewestFirst,

    /// <summary>Earliest enqueue time first, ties by id (arrival order, for dispatch).</summary>
    EnqueuedFirst,
}

/// <summary>Arguments of <see cref="IGridStore.JobListAsync"/>. Null filters match everything.</summary>
/// <param name="State">Only jobs in this state.</param>
/// <param name="Queue">Only jobs of this queue.</param>
/// <param name="Limit">At most this many (1 or more).</param>
/// <param name="Order">Result order.</param>
/// <param name="WorkerId">Only jobs whose current or last attempt is on this worker.</param>
public sealed record JobListParams(
    JobState? State = null, string? Queue = null, int Limit = 100, JobListOrder Order = JobListOrder.NewestFirst, string? WorkerId = null);

/// <summary>Thrown by a store when an insert collides with an existing key.</summary>
public sealed class DuplicateKeyException(string message, Exception? inner = null) : Exception(message, inner);
