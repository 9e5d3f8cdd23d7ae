using Hera.Grains.Clock;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;

namespace Hera.Grains.Jobs;

/// <summary>
/// <see cref="IJobGrain"/> over the grid store. Stateless between calls: the store's row is the grain's state
/// and its version column stands in for Orleans' ETag, so any number of instances for the same id stay correct.
/// </summary>
internal sealed class JobGrain(string id, IGridStore store, TimeProvider time, JobChangeFeed feed, long? leaderEpoch) : IJobGrain
{
    // A conflict means another writer changed the job between our read and write; re-deciding on the fresh row
    // is always correct. Writers are few per job (worker, cancel, recovery), so a handful of tries suffice.
    private const int MaxConflictRetries = 16;

    /// <inheritdoc />
    public string Id { get; } = id;

    /// <inheritdoc />
    public Task<JobRecord?> GetAsync(CancellationToken cancellationToken) => store.JobGetAsync(Id, cancellationToken);

    /// <inheritdoc />
    public async Task<JobRecord> SubmitAsync(JobSpec spec, string admissionDetail, CancellationToken cancellationToken)
    {
        var now = time.UtcNowMicros();
        var job = await store.JobInsertAsync(
            new JobInsertParams(Id, spec, now, [new(JobState.New, now, null), new(JobState.Waiting, now, admissionDetail)]),
            cancellationToken).ConfigureAwait(false);
        feed.Publish(job);
        return job;
    }

    /// <inheritdoc />
    public async Task<CancelOutcome> CancelAsync(string detail, CancellationToken cancellationToken)
    {
        var moved = await TransitionAsync(
            job => job.State.IsTerminal() ? null : Fail(job, JobFailureReasons.Cancelled, new JobError(JobFailureReasons.Cancelled, detail)),
            cancellationToken).ConfigureAwait(false);

        if (moved is not null)
        {
            return new CancelOutcome(true, moved, detail);
        }

        var current = await GetAsync(cancellationToken).ConfigureAwait(false);
        var why = current is null ? "no such job" : $"job already {current.State.ToWire()}; nothing to cancel";
        return new CancelOutcome(false, current, why);
    }

    /// <inheritdoc />
    public Task<JobRecord?> TryStartAsync(string workerId, string engine, double? score, string detail, CancellationToken cancellationToken, JobRecord? known = null) =>
        TransitionAsync(
            job => job.State != JobState.Waiting
                ? null
                : new Move(
                    job with
                    {
                        State = JobState.Running,
                        Attempts = job.Attempts + 1,
                        WorkerId = workerId,
                        Engine = engine,
                        Score = score,
                        StartedAt = time.UtcNowMicros(),
                    },
                    detail),
            cancellationToken,
            known);

    /// <inheritdoc />
    public Task<JobRecord?> CompleteAsync(
        int attempt, long rowCount, string resultPath, CancellationToken cancellationToken, string? engine = null, IReadOnlyList<JobEventDraft>? notes = null) =>
        TransitionAsync(
            job => !OwnsRunningJob(job, attempt)
                ? null
                : new Move(
                    job with
                    {
                        State = JobState.Succeed,
                        Engine = engine ?? job.Engine,
                        RowCount = rowCount,
                        ResultPath = resultPath,
                        FinishedAt = time.UtcNowMicros(),
                    },
                    $"{rowCount} rows",
                    notes),
            cancellationToken);

    /// <inheritdoc />
    public Task<JobRecord?> FailAsync(int? attempt, string reason, JobError error, CancellationToken cancellationToken) =>
        TransitionAsync(
            job =>
            {
                var applies = attempt is { } a ? OwnsRunningJob(job, a) : job.State is JobState.Waiting or JobState.Running;
                return applies ? Fail(job, reason, error) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task<bool> NoteAsync(JobState state, string detail, CancellationToken cancellationToken)
    {
        var appended = await store.JobEventAppendAsync(Id, new JobEventDraft(state, time.UtcNowMicros(), detail), cancellationToken).ConfigureAwait(false);
        feed.PublishNote(Id);
        return appended;
    }

    /// <inheritdoc />
    public Task<JobRecord?> RecoverAsync(int maxAttempts, string detail, CancellationToken cancellationToken, int? attempt = null) =>
        TransitionAsync(
            job =>
            {
                if (job.State != JobState.Running || (attempt is { } a && job.Attempts != a))
                {
                    return null;
                }

                if (job.Attempts >= maxAttempts)
                {
                    return Fail(job, JobFailureReasons.WorkerLost, new JobError(
                        JobFailureReasons.WorkerLost, $"{detail}; {job.Attempts} of {maxAttempts} attempts used"));
                }

                return new Move(job with { State = JobState.Waiting, EnqueuedAt = time.UtcNowMicros(), WorkerId = null }, detail);
            },
            cancellationToken);

    private static bool OwnsRunningJob(JobRecord job, int attempt) => job.State == JobState.Running && job.Attempts == attempt;

    private Move Fail(JobRecord job, string reason, JobError error) => new(
        job with { State = JobState.Failed, Reason = reason, Error = error, FinishedAt = time.UtcNowMicros() },
        $"{reason}: {error.Message}");

    /// <summary>
    /// Read, decide, write-if-unchanged, until the write lands or the decision is "nothing to do".
    /// <paramref name="decide"/> sees the freshly read job and returns the move to make, or null.
    /// </summary>
    private async Task<JobRecord?> TransitionAsync(Func<JobRecord, Move?> decide, CancellationToken cancellationToken, JobRecord? known = null)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            // The caller's copy stands in for the first read; a stale one fails the version check and is re-read.
            var job = attempt == 0 && known is not null ? known : await store.JobGetAsync(Id, cancellationToken).ConfigureAwait(false);
            if (job is null || decide(job) is not { } move)
            {
                return null;
            }

            if (!JobTransitions.IsAllowed(job.State, move.Next.State))
            {
                throw new InvalidOperationException(
                    $"job {Id}: {job.State.ToWire()} -> {move.Next.State.ToWire()} is not in the transition table");
            }

            var written = await store.JobUpdateIfVersionAsync(
                new JobUpdateParams(move.Next, job.Version, new JobEventDraft(move.Next.State, time.UtcNowMicros(), move.Detail), move.Notes, leaderEpoch),
                cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                feed.Publish(written);
                return written;
            }

            if (leaderEpoch is { } epoch && (await store.JobGetAsync(Id, cancellationToken).ConfigureAwait(false))?.Version == job.Version)
            {
                // Nobody else wrote the job, so the fence refused the write: this silo no longer leads.
                throw new LeadershipLostException(epoch);
            }
        }

        throw new InvalidOperationException($"job {Id}: gave up after {MaxConflictRetries} concurrent-update conflicts");
    }

    private sealed record Move(JobRecord Next, string? Detail, IReadOnlyList<JobEventDraft>? Notes = null);
}
