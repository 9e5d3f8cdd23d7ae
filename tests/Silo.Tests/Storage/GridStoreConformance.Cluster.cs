using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;

namespace Hera.Silo.Tests.Storage;

/// <summary>Cluster state: silo membership, leadership with its fencing epoch, a worker's jobs, and change delivery.</summary>
public abstract partial class GridStoreConformance
{
    /// <summary>A second store over the same database, as another silo process would open it.</summary>
    protected abstract Task<IGridStore> OpenSameDatabaseAsync();

    [Fact]
    public async Task Silos_round_trip_every_field_listed_by_id_and_upsert_replaces()
    {
        var b = Silo("b", T0.AddTicks(10)) with { Roles = ["gateway", "worker"], State = SiloState.Stopped };
        await Store.SiloUpsertAsync(b, default);
        await Store.SiloUpsertAsync(Silo("a", T0), default);
        await Store.SiloUpsertAsync(Silo("a", T0.AddSeconds(2).AddTicks(30)) with { Address = "http://10.0.0.2:5080" }, default);

        var silos = await Store.SiloListAsync(default);

        Assert.Equal(["a", "b"], silos.Select(s => s.Id));
        AssertSilo(Silo("a", T0.AddSeconds(2).AddTicks(30)) with { Address = "http://10.0.0.2:5080" }, silos[0]);
        AssertSilo(b, silos[1]);
    }

    [Fact]
    public async Task Silo_mark_dead_applies_only_at_the_heartbeat_seen_and_only_once()
    {
        await Store.SiloUpsertAsync(Silo("s", T0), default);

        Assert.False(await Store.SiloMarkDeadAsync("s", T0.AddTicks(10), default));
        Assert.True(await Store.SiloMarkDeadAsync("s", T0, default));
        Assert.False(await Store.SiloMarkDeadAsync("s", T0, default));
        Assert.Equal(SiloState.Dead, (await Store.SiloListAsync(default)).Single().State);
    }

    [Fact]
    public async Task No_leader_is_recorded_before_the_first_acquisition()
    {
        Assert.Null(await Store.LeaderGetAsync(default));
    }

    [Fact]
    public async Task Leadership_is_held_by_one_lease_at_a_time_and_each_acquisition_raises_the_epoch()
    {
        var first = await Store.LeaderAcquireAsync("a", T0, default);
        var second = Store.LeaderAcquireAsync("b", T0.AddSeconds(1), default);
        Assert.Equal(new LeaderRecord("a", first.Epoch, T0), await Store.LeaderGetAsync(default));
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await using var next = await second;

        Assert.Equal(first.Epoch + 1, next.Epoch);
        Assert.Equal("b", next.SiloId);
        Assert.Equal(new LeaderRecord("b", next.Epoch, T0.AddSeconds(1)), await Store.LeaderGetAsync(default));
    }

    [Fact]
    public async Task Waiting_for_leadership_can_be_given_up()
    {
        await using var held = await Store.LeaderAcquireAsync("a", T0, default);
        using var giveUp = new CancellationTokenSource();

        var waiting = Store.LeaderAcquireAsync("b", T0, giveUp.Token);
        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal("a", (await Store.LeaderGetAsync(default))!.SiloId);
    }

    [Fact]
    public async Task A_fenced_update_lands_only_under_the_current_leader_epoch()
    {
        var job = await InsertWaitingAsync("fenced", T0);
        var old = await Store.LeaderAcquireAsync("a", T0, default);
        var oldEpoch = old.Epoch;
        await old.DisposeAsync();
        await using var current = await Store.LeaderAcquireAsync("b", T0, default);
        var start = job with { State = JobState.Running, Attempts = 1, WorkerId = "w", StartedAt = T0 };

        var byOldLeader = await Store.JobUpdateIfVersionAsync(new JobUpdateParams(start, job.Version, new(JobState.Running, T0, "old"), LeaderEpoch: oldEpoch), default);
        var byLeader = await Store.JobUpdateIfVersionAsync(new JobUpdateParams(start, job.Version, new(JobState.Running, T0, "current"), LeaderEpoch: current.Epoch), default);

        Assert.Null(byOldLeader);
        Assert.NotNull(byLeader);
        Assert.Equal(["new", "waiting", "running"], (await Store.JobEventListAsync("fenced", default)).Select(e => e.State.ToWire()));
    }

    [Fact]
    public async Task Jobs_list_by_worker()
    {
        var a = await InsertWaitingAsync("on-a", T0);
        var b = await InsertWaitingAsync("on-b", T0);
        await Store.JobUpdateIfVersionAsync(new JobUpdateParams(a with { State = JobState.Running, Attempts = 1, WorkerId = "wa" }, a.Version, null), default);
        await Store.JobUpdateIfVersionAsync(new JobUpdateParams(b with { State = JobState.Running, Attempts = 1, WorkerId = "wb" }, b.Version, null), default);

        var onA = await Store.JobListAsync(new JobListParams(JobState.Running, WorkerId: "wa"), default);

        Assert.Equal(["on-a"], onA.Select(j => j.Id));
    }

    [Fact]
    public async Task Listening_delivers_what_other_processes_change_and_not_what_this_one_does()
    {
        await using var other = await OpenSameDatabaseAsync();
        var listener = new RecordingListener();
        using var stop = new CancellationTokenSource();
        var listening = Store.ListenAsync(listener, stop.Token);
        await listener.Resynced.Task.WaitAsync(TimeSpan.FromSeconds(30));

        if (!Store.SupportsListenNotify)
        {
            // One process per store: nothing to deliver, and listening ends with the caller.
            await stop.CancelAsync();
            await listening;
            return;
        }

        // This process's own write first: were it delivered, it would arrive before the other's.
        await InsertWaitingAsync("mine", T0);
        var theirs = await other.JobInsertAsync(new JobInsertParams("theirs", JobSpec.ForSql("SELECT 1"), T0, [new(JobState.Waiting, T0, null)]), default);
        await other.JobEventAppendAsync("theirs", new JobEventDraft(JobState.Waiting, T0, "note"), default);
        await other.QueueUpsertAsync(Hera.Grains.Interfaces.Queues.QueueDefinition.WithDefaults("etl"), T0, default);

        var changes = await listener.Take(3).WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await listening;

        Assert.Equal(
            [new GridChange(GridChangeKind.Job, "theirs", theirs.Version), new GridChange(GridChangeKind.JobNote, "theirs"), new GridChange(GridChangeKind.Queue, "etl")],
            changes.Select(c => c with { Job = null }));

        // A job change may carry the record as written, sparing the listener a read; if it does, it is that one.
        if (changes[0].Job is { } carried)
        {
            Assert.Equal((theirs.Id, theirs.Version, theirs.State, theirs.SubmittedAt, "SELECT 1"), (carried.Id, carried.Version, carried.State, carried.SubmittedAt, carried.Spec.Sql));
        }
    }

    private static SiloRecord Silo(string id, DateTimeOffset heartbeat) => new()
    {
        Id = id,
        Address = $"http://127.0.0.1:5080/{id}",
        Roles = ["gateway", "scheduler", "worker"],
        StartedAt = T0.AddTicks(-50),
        LastHeartbeat = heartbeat,
    };

    private static void AssertSilo(SiloRecord expected, SiloRecord actual)
    {
        Assert.Equal(expected with { Roles = [] }, actual with { Roles = [] });
        Assert.Equal(expected.Roles.Order(), actual.Roles);
    }

    /// <summary>Keeps what it is told, and signals when the first resync and when enough changes arrived.</summary>
    private sealed class RecordingListener : IGridChangeListener
    {
        private readonly Lock _gate = new();
        private readonly List<GridChange> _changes = [];
        private (int Count, TaskCompletionSource<IReadOnlyList<GridChange>> Done)? _want;

        public TaskCompletionSource Resynced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<IReadOnlyList<GridChange>> Take(int count)
        {
            lock (_gate)
            {
                _want = (count, new TaskCompletionSource<IReadOnlyList<GridChange>>(TaskCreationOptions.RunContinuationsAsynchronously));
                Check();
                return _want.Value.Done.Task;
            }
        }

        public ValueTask OnChangeAsync(GridChange change, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                _changes.Add(change);
                Check();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask OnResyncAsync(CancellationToken cancellationToken)
        {
            Resynced.TrySetResult();
            return ValueTask.CompletedTask;
        }

        private void Check()
        {
            if (_want is { } want && _changes.Count >= want.Count)
            {
                want.Done.TrySetResult([.. _changes.Take(want.Count)]);
            }
        }
    }
}
