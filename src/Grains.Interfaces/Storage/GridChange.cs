using Hera.Grains.Interfaces.Jobs;

namespace Hera.Grains.Interfaces.Storage;

/// <summary>What kind of grid state a <see cref="GridChange"/> is about.</summary>
public enum GridChangeKind
{
    /// <summary>A job was inserted, updated or imported; <see cref="GridChange.Key"/> is its id.</summary>
    Job,

    /// <summary>A job's history grew without the job changing; <see cref="GridChange.Key"/> is its id.</summary>
    JobNote,

    /// <summary>A queue was created or changed; <see cref="GridChange.Key"/> is its name.</summary>
    Queue,

    /// <summary>An engine was registered, changed or removed; <see cref="GridChange.Key"/> is its name.</summary>
    Engine,

    /// <summary>A parameter-layer entry changed; <see cref="GridChange.Key"/> is <c>layer/key</c>.</summary>
    Parameters,

    /// <summary>A new leader acquired leadership; <see cref="GridChange.Key"/> is its silo id.</summary>
    Leader,
}

/// <summary>
/// A change another process made through the grid store, delivered by <see cref="IGridStore.ListenAsync"/> so
/// every silo's in-process views (the job change feed, the queues, the engine catalog) follow it.
/// </summary>
/// <param name="Kind">What changed.</param>
/// <param name="Key">Which one (see <see cref="GridChangeKind"/>).</param>
/// <param name="Version">The job's version after the change, for <see cref="GridChangeKind.Job"/>; otherwise 0.</param>
/// <param name="Job">For <see cref="GridChangeKind.Job"/>, the job as written when the store could carry it in the
/// notification (it saves every listening silo a read); null means read it.</param>
public sealed record GridChange(GridChangeKind Kind, string Key, long Version = 0, JobRecord? Job = null);

/// <summary>Receives <see cref="GridChange"/>s from <see cref="IGridStore.ListenAsync"/>.</summary>
public interface IGridChangeListener
{
    /// <summary>One change made by another process. Must not throw; should be quick (it holds up the next).</summary>
    ValueTask OnChangeAsync(GridChange change, CancellationToken cancellationToken);

    /// <summary>
    /// Called each time listening (re)starts, before any change that follows: changes made while not listening
    /// were missed, so the listener re-reads what it caches.
    /// </summary>
    ValueTask OnResyncAsync(CancellationToken cancellationToken);
}
