using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Jobs;

namespace Hera.Grains.Tests.Jobs;

/// <summary>The state machine, state by state: every pair of states is either a listed move or refused.</summary>
public sealed class JobTransitionsTests
{
    // The specification, written out independently of the implementation's table.
    private static readonly HashSet<(JobState From, JobState To)> Legal =
    [
        (JobState.New, JobState.Waiting),
        (JobState.New, JobState.Failed),
        (JobState.Waiting, JobState.Running),
        (JobState.Waiting, JobState.Failed),
        (JobState.Running, JobState.Succeed),
        (JobState.Running, JobState.Failed),
        (JobState.Running, JobState.Waiting),
    ];

    public static TheoryData<JobState, JobState> EveryPair()
    {
        var data = new TheoryData<JobState, JobState>();
        foreach (var from in Enum.GetValues<JobState>())
        {
            foreach (var to in Enum.GetValues<JobState>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Each_pair_of_states_is_allowed_exactly_when_the_specification_lists_it(JobState from, JobState to) =>
        Assert.Equal(Legal.Contains((from, to)), JobTransitions.IsAllowed(from, to));

    [Fact]
    public void Terminal_states_have_no_way_out()
    {
        Assert.Empty(JobTransitions.Table[JobState.Succeed]);
        Assert.Empty(JobTransitions.Table[JobState.Failed]);
        Assert.True(JobState.Succeed.IsTerminal());
        Assert.True(JobState.Failed.IsTerminal());
    }

    [Fact]
    public void Every_state_has_a_row_in_the_table() =>
        Assert.Equal(Enum.GetValues<JobState>().Order(), JobTransitions.Table.Keys.Order());

    [Fact]
    public void Wire_names_round_trip_and_unknown_names_are_refused()
    {
        foreach (var state in Enum.GetValues<JobState>())
        {
            Assert.True(JobStateNames.TryParse(state.ToWire(), out var parsed));
            Assert.Equal(state, parsed);
        }

        Assert.False(JobStateNames.TryParse("Running", out _));
        Assert.False(JobStateNames.TryParse("done", out _));
    }
}
