using System.Collections.Concurrent;
using Hera.Grains.Interfaces.Jobs;

namespace Hera.Grains.Jobs;

/// <summary>
/// In-process fan-out of job changes: every write a <see cref="JobGrain"/> makes is published here, so waiters
/// (<c>?wait=N</c>, a worker watching the job it runs, the dispatcher waiting for work) wake on the change
/// instead of polling. In a cluster the store's notifications feed the same <see cref="Publish"/>.
/// </summary>
public sealed class JobChangeFeed
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _nextChange = new();

    /// <summary>Raised after every published change, on the publisher's thread. Handlers must be quick.</summary>
    public event Action<JobRecord>? Changed;

    /// <summary>Announces that <paramref name="job"/> is now as given.</summary>
    public void Publish(JobRecord job)
    {
        if (_nextChange.TryRemove(job.Id, out var signal))
        {
            signal.TrySetResult();
        }

        Changed?.Invoke(job);
    }

    /// <summary>Announces that the job's history grew without the job changing (a note event).</summary>
    public void PublishNote(string id)
    {
        if (_nextChange.TryRemove(id, out var signal))
        {
            signal.TrySetResult();
        }
    }

    /// <summary>
    /// Re-reads the job with <paramref name="read"/> until <paramref name="isDone"/> holds, the job is gone, or
    /// <paramref name="cancellationToken"/> fires (then the last read is returned, not an exception). Subscribes
    /// before each read, so a change between the read and the wait is never missed.
    /// </summary>
    public Task<JobRecord?> WaitUntilAsync(
        string id, Func<JobRecord, bool> isDone, Func<CancellationToken, Task<JobRecord?>> read, CancellationToken cancellationToken) =>
        WaitUntilAsync<JobRecord?>(id, job => job is null || isDone(job), read, cancellationToken);

    /// <summary>
    /// The same wait over anything read about job <paramref name="id"/> (e.g. its events): re-reads with
    /// <paramref name="read"/> after each change or note of the job until <paramref name="isDone"/> holds or
    /// <paramref name="cancellationToken"/> fires, and returns the last read.
    /// </summary>
    public async Task<T> WaitUntilAsync<T>(string id, Func<T, bool> isDone, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isDone);
        ArgumentNullException.ThrowIfNull(read);
        while (true)
        {
            var changed = _nextChange.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            var job = await read(CancellationToken.None).ConfigureAwait(false);
            if (isDone(job) || cancellationToken.IsCancellationRequested)
            {
                return job;
            }

            try
            {
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return await read(CancellationToken.None).ConfigureAwait(false);
            }
        }
    }
}
