using Hera.Grains.Interfaces.Workers;

namespace Hera.Silo.Tests.Storage;

/// <summary>Worker heartbeats: upsert, list and the conditional mark-dead.</summary>
public abstract partial class GridStoreConformance
{
    [Fact]
    public async Task Workers_round_trip_every_field_at_microsecond_precision_listed_by_id()
    {
        var w2 = Worker("w2", T0.AddTicks(10)) with { Silo = "silo-b", Pool = "non-core", Slots = 8, MemoryMb = 16384, Running = 3, MemoryUsedMb = 900, State = WorkerState.Stopped };
        var w1 = Worker("w1", T0.AddSeconds(3).AddTicks(4560)) with { StartedAt = T0.AddTicks(-30) };
        await Store.WorkerUpsertAsync(w2, default);
        await Store.WorkerUpsertAsync(w1, default);

        var workers = await Store.WorkerListAsync(default);

        Assert.Equal([w1, w2], workers);
    }

    [Fact]
    public async Task Worker_upsert_replaces_every_field_of_the_stored_worker()
    {
        await Store.WorkerUpsertAsync(Worker("w", T0) with { State = WorkerState.Dead }, default);
        var next = new WorkerRecord
        {
            Id = "w",
            Silo = "silo-2",
            Pool = "batch",
            Slots = 1,
            MemoryMb = 512,
            Running = 1,
            MemoryUsedMb = 600,
            StartedAt = T0.AddMinutes(1).AddTicks(10),
            LastHeartbeat = T0.AddMinutes(2).AddTicks(20),
            State = WorkerState.Alive,
        };

        await Store.WorkerUpsertAsync(next, default);

        Assert.Equal([next], await Store.WorkerListAsync(default));
    }

    [Fact]
    public async Task Mark_dead_applies_only_at_the_heartbeat_seen_and_only_once()
    {
        var heartbeat = T0.AddTicks(10);
        await Store.WorkerUpsertAsync(Worker("w", heartbeat), default);

        var atOtherHeartbeat = await Store.WorkerMarkDeadAsync("w", heartbeat.AddTicks(10), default);
        var atSeenHeartbeat = await Store.WorkerMarkDeadAsync("w", heartbeat, default);
        var again = await Store.WorkerMarkDeadAsync("w", heartbeat, default);

        Assert.False(atOtherHeartbeat);
        Assert.True(atSeenHeartbeat);
        Assert.False(again);
        Assert.Equal(Worker("w", heartbeat) with { State = WorkerState.Dead }, (await Store.WorkerListAsync(default)).Single());
    }

    [Fact]
    public async Task A_newer_heartbeat_wins_over_a_mark_dead_taken_on_the_older_one()
    {
        await Store.WorkerUpsertAsync(Worker("w", T0), default);
        await Store.WorkerUpsertAsync(Worker("w", T0.AddSeconds(1)), default);

        var marked = await Store.WorkerMarkDeadAsync("w", T0, default);

        Assert.False(marked);
        Assert.Equal(Worker("w", T0.AddSeconds(1)), (await Store.WorkerListAsync(default)).Single());
    }

    [Fact]
    public async Task A_heartbeat_after_death_makes_the_worker_alive_again()
    {
        await Store.WorkerUpsertAsync(Worker("w", T0), default);
        await Store.WorkerMarkDeadAsync("w", T0, default);

        await Store.WorkerUpsertAsync(Worker("w", T0.AddSeconds(1)), default);

        Assert.Equal(WorkerState.Alive, (await Store.WorkerListAsync(default)).Single().State);
    }

    [Fact]
    public async Task Mark_dead_leaves_stopped_and_unknown_workers_alone()
    {
        await Store.WorkerUpsertAsync(Worker("stopped", T0) with { State = WorkerState.Stopped }, default);

        Assert.False(await Store.WorkerMarkDeadAsync("stopped", T0, default));
        Assert.False(await Store.WorkerMarkDeadAsync("unknown", T0, default));
        Assert.Equal(WorkerState.Stopped, (await Store.WorkerListAsync(default)).Single().State);
    }

    private static WorkerRecord Worker(string id, DateTimeOffset heartbeat) => new()
    {
        Id = id,
        Silo = "silo-a",
        Pool = "core",
        Slots = 4,
        MemoryMb = 2048,
        Running = 0,
        MemoryUsedMb = 0,
        StartedAt = T0,
        LastHeartbeat = heartbeat,
    };
}
