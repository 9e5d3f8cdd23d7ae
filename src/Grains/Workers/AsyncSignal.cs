namespace Hera.Grains.Workers;

/// <summary>
/// A coalescing wake-up: any number of <see cref="Set"/> calls before a <see cref="WaitAsync"/> wake it once.
/// Used by loops that re-check their whole state on every wake-up, so lost duplicates do not matter.
/// </summary>
public sealed class AsyncSignal
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Wakes the waiter (now, or the next one to wait).</summary>
    public void Set()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already set: the pending wake-up covers this one too.
        }
    }

    /// <summary>Waits for a <see cref="Set"/> or <paramref name="timeout"/>; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);
}
