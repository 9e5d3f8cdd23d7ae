using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Silo.Storage.Postgres;
using Npgsql;

namespace Hera.Silo.Tests.Storage;

/// <summary>
/// The PostgreSQL store against the conformance suite, each test in a schema of its own on the server named by
/// <c>HERA_TEST_PG</c>; then what only a shared server can show: silos migrating at once, a lease lost with its
/// session, listening that survives its session.
/// </summary>
public sealed class PostgresGridStoreTests : GridStoreConformance, IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private PostgresTestSchema? _schema;

    private PostgresTestSchema Schema => _schema ??= PostgresTestSchema.Create();

    protected override async Task<IGridStore> CreateStoreAsync()
    {
        var store = new PostgresGridStore(Schema.ConnectionString);
        await store.MigrateAsync(default);
        return store;
    }

    protected override Task<IGridStore> OpenSameDatabaseAsync() => CreateStoreAsync();

    public void Dispose() => _schema?.Dispose();

    [Fact]
    public async Task Silos_migrating_one_fresh_schema_at_once_all_succeed_at_the_same_version()
    {
        using var fresh = PostgresTestSchema.Create();
        var stores = Enumerable.Range(0, 4).Select(_ => new PostgresGridStore(fresh.ConnectionString)).ToArray();
        try
        {
            var versions = await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(default))));

            Assert.All(versions, v => Assert.Equal(PostgresMigrator.Migrations[^1].Version, v));
            Assert.Equal(PostgresMigrator.Migrations.Count, await CountAsync(fresh, "SELECT count(*) FROM schema_migrations"));
            Assert.Equal(1, await CountAsync(fresh, "SELECT count(*) FROM queues WHERE name = 'default'"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_store_whose_search_path_names_no_schema_says_so_when_migrating()
    {
        var missing = new NpgsqlConnectionStringBuilder(Schema.Server) { SearchPath = $"hera_t_missing_{Guid.NewGuid():N}" };
        await using var store = new PostgresGridStore(missing.ConnectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync(default));

        Assert.Contains("Search Path", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appends_and_updates_from_two_silos_at_once_number_one_history_without_gaps()
    {
        await using var other = await OpenSameDatabaseAsync();
        var job = await Store.JobInsertAsync(new JobInsertParams("busy", JobSpec.ForSql("SELECT 1"), At, [new(JobState.Waiting, At, null)]), default);

        var appends = Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).JobEventAppendAsync("busy", new JobEventDraft(JobState.Waiting, At, $"note {i}"), default)));
        var updates = Enumerable.Range(0, 5).Select(i => Task.Run(async () =>
        {
            // Each update retries at the version it reads until it lands, so all five land, each with two events.
            while (true)
            {
                var current = (await other.JobGetAsync("busy", default))!;
                var notes = new[] { new JobEventDraft(JobState.Waiting, At, $"update {i} note") };
                if (await Store.JobUpdateIfVersionAsync(new JobUpdateParams(current, current.Version, new(JobState.Waiting, At, $"update {i}"), notes), default) is not null)
                {
                    return true;
                }
            }
        }));
        await Task.WhenAll([.. appends, .. updates]);

        var events = await Store.JobEventListAsync("busy", default);
        Assert.Equal(Enumerable.Range(1, 1 + 20 + 10), events.Select(e => e.Sequence));
        Assert.Equal(job.Version + 5, (await Store.JobGetAsync("busy", default))!.Version);
        foreach (var i in Enumerable.Range(0, 5))
        {
            var note = events.Single(e => e.Detail == $"update {i} note");
            Assert.Equal($"update {i}", events.Single(e => e.Sequence == note.Sequence + 1).Detail);
        }
    }

    [Fact]
    public async Task A_lease_whose_session_is_terminated_is_lost_and_another_silo_leads_with_a_higher_epoch()
    {
        await using var other = await OpenSameDatabaseAsync();
        var lease = await Store.LeaderAcquireAsync("a", At, default);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lease.Lost.Register(() => lost.TrySetResult());
        var key = PostgresScope.KeyFor("leader", Schema.Name);

        // A bigint advisory key shows in pg_locks as classid (high half) and objid (low half), objsubid 1.
        var ended = await Schema.TerminateAsync(
            "pg_locks",
            "locktype = 'advisory' AND granted AND objsubid = 1 AND classid = @high::oid AND objid = @low::oid",
            ("high", (long)(uint)(key >> 32)),
            ("low", (long)(uint)key));
        await lost.Task.WaitAsync(Patience);
        await using var next = await other.LeaderAcquireAsync("b", At.AddSeconds(1), default).WaitAsync(Patience);
        await lease.DisposeAsync();

        Assert.Equal(1, ended);
        Assert.Equal(lease.Epoch + 1, next.Epoch);
        Assert.Equal("b", (await Store.LeaderGetAsync(default))!.SiloId);
    }

    [Fact]
    public async Task A_released_lease_is_not_reported_lost_and_its_lock_is_free_at_once()
    {
        var lease = await Store.LeaderAcquireAsync("a", At, default);

        await lease.DisposeAsync();

        Assert.False(lease.Lost.IsCancellationRequested);
        Assert.Equal(0, await CountAsync(Schema, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
            + $" AND classid = {(uint)(PostgresScope.KeyFor("leader", Schema.Name) >> 32)}::oid"));
    }

    [Fact]
    public async Task Given_up_waiting_for_leadership_leaves_no_lock_behind()
    {
        await using var other = await OpenSameDatabaseAsync();
        var held = await Store.LeaderAcquireAsync("a", At, default);
        using (var giveUp = new CancellationTokenSource())
        {
            var waiting = other.LeaderAcquireAsync("b", At, giveUp.Token);
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }

        await held.DisposeAsync();
        await using var again = await other.LeaderAcquireAsync("c", At, default).WaitAsync(Patience);

        Assert.Equal(held.Epoch + 1, again.Epoch);
        Assert.Equal(1, await CountAsync(Schema, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            + $" AND classid = {(uint)(PostgresScope.KeyFor("leader", Schema.Name) >> 32)}::oid"));
    }

    [Fact]
    public async Task A_wait_for_leadership_outlasting_several_lock_timeouts_acquires_when_the_holder_leaves()
    {
        await using var standby = new PostgresGridStore(Schema.ConnectionString) { LockWaitSlice = TimeSpan.FromMilliseconds(100) };
        var held = await Store.LeaderAcquireAsync("a", At, default);

        var waiting = standby.LeaderAcquireAsync("b", At, default);
        await WaitForLockWaitsAsync(distinctStatements: 3);
        Assert.False(waiting.IsCompleted);
        await held.DisposeAsync();
        await using var next = await waiting.WaitAsync(Patience);

        Assert.Equal(held.Epoch + 1, next.Epoch);
        Assert.Equal("b", next.SiloId);
    }

    [Fact]
    public async Task Listening_resumes_after_its_session_is_terminated_with_a_resync_first()
    {
        await using var other = await OpenSameDatabaseAsync();
        var listener = new CountingListener();
        using var stop = new CancellationTokenSource();
        var listening = Store.ListenAsync(listener, stop.Token);
        await listener.Resyncs(1).WaitAsync(Patience);
        var channel = new PostgresScope(Schema.Name).Channel;

        var ended = await Schema.TerminateAsync("pg_stat_activity", "query = @listen", ("listen", $"LISTEN \"{channel}\""));
        await listener.Resyncs(2).WaitAsync(Patience);
        await other.JobInsertAsync(new JobInsertParams("after", JobSpec.ForSql("SELECT 1"), At, [new(JobState.Waiting, At, null)]), default);
        var change = await listener.FirstChange.WaitAsync(Patience);
        await stop.CancelAsync();
        await listening.WaitAsync(Patience);

        Assert.Equal(1, ended);
        Assert.Equal(new GridChange(GridChangeKind.Job, "after", 1), change with { Job = null });
        Assert.Equal("after", change.Job?.Id);
    }

    [Fact]
    public async Task Every_cached_kind_of_change_is_delivered_with_its_key()
    {
        await using var other = await OpenSameDatabaseAsync();
        var listener = new CountingListener();
        using var stop = new CancellationTokenSource();
        var listening = Store.ListenAsync(listener, stop.Token);
        await listener.Resyncs(1).WaitAsync(Patience);

        await other.EngineUpsertAsync(new("pg", "postgres", "Host=x", 2, new Dictionary<string, string>()), At, default);
        await other.EngineDeleteAsync("pg", default);
        await other.EngineDeleteAsync("never", default); // deletes nothing, so tells nobody
        await other.ParameterLayerUpsertAsync("business", "ads", new Dictionary<string, IReadOnlyDictionary<string, string>>(), At, default);
        await other.ParameterLayerDeleteAsync("business", "ads", default);
        await using (await other.LeaderAcquireAsync("s2", At, default))
        {
        }

        var changes = await listener.Take(5).WaitAsync(Patience);
        await stop.CancelAsync();
        await listening.WaitAsync(Patience);

        Assert.Equal(
            [
                new GridChange(GridChangeKind.Engine, "pg"), new GridChange(GridChangeKind.Engine, "pg"),
                new GridChange(GridChangeKind.Parameters, "business/ads"), new GridChange(GridChangeKind.Parameters, "business/ads"),
                new GridChange(GridChangeKind.Leader, "s2"),
            ],
            changes);
    }

    /// <summary>Returns once that many distinct statements (by start time) were seen waiting for the leader's lock:
    /// each slice of the wait is a statement of its own.</summary>
    private async Task WaitForLockWaitsAsync(int distinctStatements)
    {
        var key = PostgresScope.KeyFor("leader", Schema.Name);
        await using var connection = new NpgsqlConnection(Schema.Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT a.query_start FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objsubid = 1 AND l.classid = @high::oid AND l.objid = @low::oid
            """, connection);
        command.Parameters.AddWithValue("high", (long)(uint)(key >> 32));
        command.Parameters.AddWithValue("low", (long)(uint)key);
        var seen = new HashSet<DateTime>();
        using var patience = new CancellationTokenSource(Patience);
        while (seen.Count < distinctStatements)
        {
            if (await command.ExecuteScalarAsync(patience.Token) is DateTime started)
            {
                seen.Add(started);
            }
        }
    }

    private static async Task<long> CountAsync(PostgresTestSchema schema, string sql)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Counts resyncs and keeps changes, signalling when a count is reached.</summary>
    private sealed class CountingListener : IGridChangeListener
    {
        private readonly Lock _gate = new();
        private readonly List<GridChange> _changes = [];
        private readonly List<(Func<bool> Reached, TaskCompletionSource Signal)> _waits = [];
        private int _resyncs;

        public Task<GridChange> FirstChange => Take(1).ContinueWith(t => t.Result[0], TaskScheduler.Default);

        public Task Resyncs(int count) => When(() => _resyncs >= count);

        public async Task<IReadOnlyList<GridChange>> Take(int count)
        {
            await When(() => _changes.Count >= count);
            lock (_gate)
            {
                return [.. _changes.Take(count)];
            }
        }

        public ValueTask OnChangeAsync(GridChange change, CancellationToken cancellationToken)
        {
            Update(() => _changes.Add(change));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnResyncAsync(CancellationToken cancellationToken)
        {
            Update(() => _resyncs++);
            return ValueTask.CompletedTask;
        }

        private Task When(Func<bool> reached)
        {
            lock (_gate)
            {
                var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((reached, signal));
                Check();
                return signal.Task;
            }
        }

        private void Update(Action change)
        {
            lock (_gate)
            {
                change();
                Check();
            }
        }

        private void Check()
        {
            foreach (var (reached, signal) in _waits.Where(w => w.Reached()).ToList())
            {
                signal.TrySetResult();
                _waits.RemoveAll(w => w.Signal == signal);
            }
        }
    }
}
