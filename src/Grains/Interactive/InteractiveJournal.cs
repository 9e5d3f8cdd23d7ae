using System.Collections.Concurrent;
using System.Threading.Channels;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Hera.Grains.Interactive;

/// <summary>
/// Records finished interactive queries in the grid store, off the caller's path: records are queued here and a
/// background loop writes whatever has gathered in one transaction (<see cref="IGridStore.JobImportAsync"/>), so a
/// burst of a thousand point queries costs a handful of commits instead of three each. Until written, a record is
/// still found through <see cref="Find"/>, so <c>GET /v1/jobs/{id}</c> sees it at once.
/// </summary>
/// <remarks>
/// The queue is bounded: when the store falls behind by <see cref="Capacity"/> records, <see cref="AddAsync"/>
/// waits, which slows interactive callers down rather than growing memory. Records still queued when the silo
/// stops are written before it goes; a crash loses at most the records of the last moments, never a caller's
/// rows (those were streamed already).
/// </remarks>
public sealed partial class InteractiveJournal(IGridStore store, JobChangeFeed feed, ILogger<InteractiveJournal> logger) : BackgroundService
{
    /// <summary>Records queued at most before <see cref="AddAsync"/> waits for the store.</summary>
    public const int Capacity = 10_000;

    private const int MaxBatch = 512;

    private readonly Channel<Entry> _queue = Channel.CreateBounded<Entry>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ConcurrentDictionary<string, JobImportParams> _pending = new(StringComparer.Ordinal);

    // A store that does not answer is waited for, with backoff, for as long as the silo runs: records are not
    // dropped, and the bounded queue holds callers back meanwhile.
    private readonly ResiliencePipeline _retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(50),
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not (OperationCanceledException or DuplicateKeyException)),
            OnRetry = args =>
            {
                Log.BatchRetry(logger, args.Outcome.Exception, args.AttemptNumber + 1);
                return default;
            },
        })
        .Build();

    /// <summary>Queues a finished interactive query's record.</summary>
    public async ValueTask AddAsync(JobImportParams record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _pending[record.Job.Id] = record;
        await _queue.Writer.WriteAsync(new Entry(record, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Queues a note on a job recorded through <see cref="AddAsync"/> (before or after it was written): it
    /// is appended after the record, in order. For what happens after an interactive query ended (a race loser's stop).</summary>
    public async ValueTask AddNoteAsync(string jobId, JobEventDraft note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(note);
        await _queue.Writer.WriteAsync(new Entry(null, (jobId, note)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The record of job <paramref name="id"/> while it waits to be written, else null.</summary>
    public JobImportParams? Find(string id) => _pending.GetValueOrDefault(id);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<JobImportParams>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await WriteAvailableAsync(batch, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: write what is left below.
        }

        _queue.Writer.TryComplete();
        await WriteAvailableAsync(batch, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task WriteAvailableAsync(List<JobImportParams> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            (string JobId, JobEventDraft Draft)? note = null;
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry))
            {
                if (entry.Note is { } n)
                {
                    // A note goes after the records queued before it; stop the batch here to keep that order.
                    note = n;
                    break;
                }

                batch.Add(entry.Record!);
            }

            if (batch.Count == 0 && note is null)
            {
                return;
            }

            if (batch.Count > 0)
            {
                await WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
                foreach (var record in batch)
                {
                    _pending.TryRemove(new KeyValuePair<string, JobImportParams>(record.Job.Id, record));
                    feed.PublishNote(record.Job.Id);
                }
            }

            if (note is { } written)
            {
                await _retry.ExecuteAsync(
                    async (n, token) => await store.JobEventAppendAsync(n.JobId, n.Draft, token).ConfigureAwait(false),
                    written,
                    cancellationToken).ConfigureAwait(false);
                feed.PublishNote(written.JobId);
            }
        }
    }

    private async Task WriteBatchAsync(List<JobImportParams> batch, CancellationToken cancellationToken)
    {
        try
        {
            await _retry.ExecuteAsync(
                async (records, token) => await store.JobImportAsync(records, token).ConfigureAwait(false),
                batch,
                cancellationToken).ConfigureAwait(false);
        }
        catch (DuplicateKeyException e)
        {
            // Ids are fresh v7 GUIDs, so this means the batch was written by an earlier try that reported failure.
            Log.AlreadyWritten(logger, e, batch.Count);
        }
    }

    /// <summary>One queued write: a finished query's record, or a note on one.</summary>
    private sealed record Entry(JobImportParams? Record, (string JobId, JobEventDraft Draft)? Note);

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Writing interactive query records failed (try {Try}); retrying")]
        public static partial void BatchRetry(ILogger logger, Exception? exception, int @try);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "{Count} interactive query records were already written")]
        public static partial void AlreadyWritten(ILogger logger, Exception exception, int count);
    }
}
