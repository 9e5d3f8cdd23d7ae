using Hera.Grains.Interfaces.Jobs;

namespace Hera.Grains.Jobs;

/// <summary>
/// The job state machine as data: the only place that says which moves are legal. Every write of a job's state
/// goes through <see cref="JobGrain"/>, which asks <see cref="IsAllowed"/> first and then writes conditionally
/// on the row version, so a move is both legal and applied to the state it was decided on.
/// </summary>
public static class JobTransitions
{
    /// <summary>
    /// Legal moves, each with who makes it:
    /// <list type="bullet">
    /// <item>new → waiting: the gateway, on admission (same transaction as the insert).</item>
    /// <item>new → failed: the gateway, when admission refuses after persisting (<c>rejected</c>).</item>
    /// <item>waiting → running: a worker, when it claims the job for an attempt.</item>
    /// <item>waiting → failed: a cancel (<c>cancelled</c>) or the timeout reaper (<c>timeout</c>).</item>
    /// <item>running → succeed: the worker, after the result file is complete.</item>
    /// <item>running → failed: the worker (<c>sql_error</c>, <c>engine_error</c>, <c>timeout</c>), a cancel, or
    /// recovery past the attempt limit (<c>worker_lost</c>).</item>
    /// <item>running → waiting: recovery, when the job's worker died (attempt + 1).</item>
    /// </list>
    /// succeed and failed are terminal.
    /// </summary>
    public static IReadOnlyDictionary<JobState, IReadOnlySet<JobState>> Table { get; } =
        new Dictionary<JobState, IReadOnlySet<JobState>>
        {
            [JobState.New] = new HashSet<JobState> { JobState.Waiting, JobState.Failed },
            [JobState.Waiting] = new HashSet<JobState> { JobState.Running, JobState.Failed },
            [JobState.Running] = new HashSet<JobState> { JobState.Succeed, JobState.Failed, JobState.Waiting },
            [JobState.Succeed] = new HashSet<JobState>(),
            [JobState.Failed] = new HashSet<JobState>(),
        };

    /// <summary>True when a job in <paramref name="from"/> may move to <paramref name="to"/>.</summary>
    public static bool IsAllowed(JobState from, JobState to) => Table[from].Contains(to);
}
