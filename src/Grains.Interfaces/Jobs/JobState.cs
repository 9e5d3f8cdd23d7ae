namespace Hera.Grains.Interfaces.Jobs;

/// <summary>
/// The five states of a job, as the seed names them. Each state says who moves a job out of it;
/// the legal moves are listed once, in <c>Hera.Grains.Jobs.JobTransitions</c>.
/// </summary>
public enum JobState
{
    /// <summary>Accepted by a gateway and persisted, not yet admitted to a queue. The gateway moves it to
    /// <see cref="Waiting"/> in the same transaction, or to <see cref="Failed"/> (<c>rejected</c>).</summary>
    New,

    /// <summary>In its queue. The scheduler moves it to <see cref="Running"/> when a worker claims it; a cancel
    /// or a timeout moves it to <see cref="Failed"/>.</summary>
    Waiting,

    /// <summary>Claimed by a worker and executing on an engine. The worker moves it to <see cref="Succeed"/> or
    /// <see cref="Failed"/>; recovery moves it back to <see cref="Waiting"/> when its worker is lost.</summary>
    Running,

    /// <summary>Finished with a complete result file. Terminal.</summary>
    Succeed,

    /// <summary>Finished without a result; <see cref="JobRecord.Reason"/> says why. Terminal.</summary>
    Failed,
}

/// <summary>Wire names of <see cref="JobState"/> (lower case, as in the API).</summary>
public static class JobStateNames
{
    /// <summary>The wire name of a state: <c>new</c>, <c>waiting</c>, <c>running</c>, <c>succeed</c>, <c>failed</c>.</summary>
    public static string ToWire(this JobState state) => state switch
    {
        JobState.New => "new",
        JobState.Waiting => "waiting",
        JobState.Running => "running",
        JobState.Succeed => "succeed",
        JobState.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a wire name; false for anything else (case-sensitive, as the API is).</summary>
    public static bool TryParse(string? wire, out JobState state)
    {
        foreach (var candidate in Enum.GetValues<JobState>())
        {
            if (candidate.ToWire() == wire)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }

    /// <summary>True for <see cref="JobState.Succeed"/> and <see cref="JobState.Failed"/>.</summary>
    public static bool IsTerminal(this JobState state) => state is JobState.Succeed or JobState.Failed;
}
