using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Scheduling;

namespace Hera.ClientGateway.Jobs;

/// <summary>A job on the wire (<c>GET /v1/jobs/{id}</c>): the contract's members first, Hera's extensions after.</summary>
public sealed record JobResponse(
    string Id,
    string Queue,
    string Type,
    string State,
    string? Reason,
    string? Engine,
    int Attempts,
    double? Score,
    DateTime SubmittedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    long? RowCount,
    JobError? Error,
    IReadOnlyList<JobEventResponse>? Events,
    string Sql,
    string Mode,
    IReadOnlyList<string> Engines,
    int TimeoutSeconds,
    int? MemoryMb,
    IReadOnlyDictionary<string, string> Labels,
    string? WorkerId,
    DateTime? EnqueuedAt,
    string? WaitReason,
    string Dialect,
    string? Template)
{
    /// <summary>
    /// The wire form of <paramref name="job"/> with its <paramref name="events"/> (null to omit them). A waiting
    /// job's score and wait reason come from the scheduler, <paramref name="scheduler"/>; a started job's score is
    /// the one it started with.
    /// </summary>
    public static JobResponse From(JobRecord job, IReadOnlyList<JobEvent>? events, JobScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(scheduler);
        return From(job, events, job.State == JobState.Waiting ? scheduler.DescribeWaiting(job.Id) : null);
    }

    private static JobResponse From(JobRecord job, IReadOnlyList<JobEvent>? events, WaitingInfo? waiting) => new(
        job.Id,
        job.Spec.Queue,
        job.Spec.Type,
        job.State.ToWire(),
        job.Reason,
        job.Engine,
        job.Attempts,
        waiting?.Score ?? job.Score,
        job.SubmittedAt.UtcDateTime,
        job.StartedAt?.UtcDateTime,
        job.FinishedAt?.UtcDateTime,
        job.RowCount,
        job.Error,
        events?.Select(JobEventResponse.From).ToList(),
        job.Spec.Sql,
        job.Spec.Mode,
        job.Spec.Engines,
        job.Spec.TimeoutSeconds,
        job.Spec.MemoryMb,
        job.Spec.Labels,
        job.WorkerId,
        job.EnqueuedAt?.UtcDateTime,
        waiting?.Reason,
        job.Spec.Dialect,
        job.Spec.Template);
}

/// <summary>One history entry on the wire; <paramref name="Seq"/> numbers a job's events from 1, oldest first.</summary>
public sealed record JobEventResponse(string State, DateTime At, string? Detail, int Seq)
{
    /// <summary>The wire form of <paramref name="e"/>.</summary>
    public static JobEventResponse From(JobEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.State.ToWire(), e.At.UtcDateTime, e.Detail, e.Sequence);
    }
}

/// <summary>The answer to <c>DELETE /v1/jobs/{id}</c>.</summary>
/// <param name="Cancelled">True when this request cancelled the job; false when it had already finished.</param>
/// <param name="Detail">What happened, in words.</param>
/// <param name="Job">The job after the request.</param>
public sealed record CancelResponse(bool Cancelled, string Detail, JobResponse Job);
