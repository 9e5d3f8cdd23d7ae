using Hera.Grains.Interfaces.Storage;

namespace Hera.Grains.Interfaces.Jobs;

/// <summary>
/// The job grain: the single writer of one job's state, keyed by job id. Every method reads the stored job,
/// checks the move against the transition table and writes conditionally on the row version, retrying on a
/// lost race, so concurrent callers (a cancel racing a completion) settle on one legal outcome.
/// Methods that may find the job in another state return null instead of throwing.
/// </summary>
public interface IJobGrain
{
    /// <summary>The job id this grain owns.</summary>
    string Id { get; }

    /// <summary>The job and nothing else, or null when it does not exist.</summary>
    Task<JobRecord?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Persists a new, already admitted job and enqueues it: <c>new → waiting</c> in one transaction.</summary>
    Task<JobRecord> SubmitAsync(JobSpec spec, string admissionDetail, CancellationToken cancellationToken);

    /// <summary>Cancels a waiting or running job (<c>failed</c>, <c>cancelled</c>); a finished one is left alone.</summary>
    Task<CancelOutcome> CancelAsync(string detail, CancellationToken cancellationToken);

    /// <summary>Claims a waiting job for a new attempt on <paramref name="workerId"/>: <c>waiting → running</c>,
    /// attempts + 1, recording the scheduler's <paramref name="score"/> (null when none was computed). Null when
    /// the job is no longer waiting (someone else claimed or cancelled it). <paramref name="known"/>, when given, is
    /// the caller's latest copy of the job: the claim is written against it without reading first (one round trip
    /// fewer), and falls back to reading when it is stale.</summary>
    Task<JobRecord?> TryStartAsync(string workerId, string engine, double? score, string detail, CancellationToken cancellationToken, JobRecord? known = null);

    /// <summary>Marks the attempt <paramref name="attempt"/> successful. Null when that attempt no longer owns the
    /// job (cancelled, timed out, or re-queued after its worker was presumed lost).</summary>
    /// <remarks><paramref name="engine"/>, when given, is the engine whose rows are the result (the winner of a
    /// race, the engine a failover ended on); it replaces the engine the attempt started on. <paramref name="notes"/>
    /// are appended before the <c>succeed</c> event in the same write: the engine tries that led here, kept off the
    /// attempt's path (one commit, not one per note).</remarks>
    Task<JobRecord?> CompleteAsync(
        int attempt, long rowCount, string resultPath, CancellationToken cancellationToken, string? engine = null, IReadOnlyList<JobEventDraft>? notes = null);

    /// <summary>Fails the job. With an <paramref name="attempt"/>, only if that attempt still owns the running job;
    /// without, from waiting or running. Null when the job was not in a state this applies to.</summary>
    Task<JobRecord?> FailAsync(int? attempt, string reason, JobError error, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a note to the job's history without changing it (an engine attempt, a failover, why it waits),
    /// as an event in <paramref name="state"/>. False when the job does not exist.
    /// </summary>
    Task<bool> NoteAsync(JobState state, string detail, CancellationToken cancellationToken);

    /// <summary>
    /// After its worker was lost: a running job goes back to waiting, or fails with <c>worker_lost</c> when it has
    /// already used <paramref name="maxAttempts"/> attempts. Null when the job was not running, or when
    /// <paramref name="attempt"/> is given and the running attempt is another (a later attempt, placed since,
    /// must not be handed back for an earlier one's loss).
    /// </summary>
    Task<JobRecord?> RecoverAsync(int maxAttempts, string detail, CancellationToken cancellationToken, int? attempt = null);
}

/// <summary>What a cancel did.</summary>
/// <param name="Cancelled">True when this call moved the job to <c>failed</c>/<c>cancelled</c>.</param>
/// <param name="Job">The job after the call; null when it does not exist.</param>
/// <param name="Detail">What happened, for the caller (e.g. <c>job already succeed; nothing to cancel</c>).</param>
/// <remarks>A running job's engine statement is stopped by its worker, which watches the job's changes.</remarks>
public sealed record CancelOutcome(bool Cancelled, JobRecord? Job, string Detail);
