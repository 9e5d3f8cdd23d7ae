using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Sqlite;
using Hera.EngineAdapters.Tests.TestSupport;
using SQLitePCL;

namespace Hera.EngineAdapters.Tests.Sqlite;

/// <summary>Runs alone: the memory assertion must not see other tests' allocations.</summary>
[CollectionDefinition(nameof(MemorySensitive), DisableParallelization = true)]
public sealed class MemorySensitive;

[Collection(nameof(MemorySensitive))]
public sealed class SqliteStreamingTests : IDisposable
{
    // Endless unless stopped: materialising it before the first row would never finish.
    private const string Endless = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) ";

    // A generous bound on "promptly": a test that waits this long has found a statement that did not stop.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly SqliteTestDatabase _database = new();

    private IEngineAdapter Adapter => _database.Adapter;

    [Fact]
    public async Task A_million_rows_of_an_endless_statement_stream_in_bounded_memory()
    {
        await using var stream = await Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command(Endless + "SELECT x FROM n"), CancellationToken.None)
            .WaitAsync(Deadline);
        Assert.Equal("bigint", Assert.Single(stream.Columns).Type);
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var expected = 1L;
        for (; expected <= 1_000_000; expected++)
        {
            Assert.Equal(expected, stream.GetValue(0));
            Assert.True(await stream.ReadAsync(CancellationToken.None));
        }

        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        // A buffered million boxed longs alone would be 24 MB; streaming retains next to nothing.
        Assert.True(heapGrowth < 8 * 1024 * 1024, $"Managed heap grew by {heapGrowth:N0} bytes while streaming.");
        Assert.Equal(expected, stream.GetValue(0));
    }

    [Fact]
    public async Task Cancelling_the_token_stops_a_running_statement_and_throws_operation_cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        var execute = Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command(Endless + "SELECT count(*) FROM n"), cancellation.Token);

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execute.WaitAsync(Deadline));
        Assert.Equal(cancellation.Token, exception.CancellationToken);
    }

    [Fact]
    public async Task Cancelling_the_read_token_stops_a_long_step()
    {
        await using var stream = await Adapter.ExecuteAsync(
            EngineAdapterTestExtensions.Command(Endless + "SELECT x FROM n WHERE x = 1 OR x > 1000000000000000"), CancellationToken.None);
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        using var cancellation = new CancellationTokenSource();
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        var read = Task.Run(async () => await stream.ReadAsync(cancellation.Token));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Deadline));
    }

    [Fact]
    public async Task Cancelling_the_execute_token_also_stops_reading()
    {
        using var cancellation = new CancellationTokenSource();
        await using var stream = await Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command(Endless + "SELECT x FROM n"), cancellation.Token);
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        Assert.True(await stream.ReadAsync(CancellationToken.None));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_token_cancelled_before_execution_throws_without_running()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command("CREATE TABLE never (v INT)"), cancellation.Token));

        var tables = await _database.QueryAsync("SELECT count(*) FROM sqlite_master WHERE name = 'never'");
        Assert.Equal(0L, tables.Single());
    }

    [Fact]
    public async Task Disposing_mid_stream_releases_the_connection()
    {
        var database = new SqliteTestDatabase(SqliteEngineOptions.Default with { UseWriteAheadLog = false });
        using var _ = database;
        database.Execute("CREATE TABLE t (v INT); INSERT INTO t " + Endless + "SELECT x FROM n LIMIT 1000");
        using var other = database.OpenDirect();
        var stream = await database.Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command("SELECT v FROM t"), CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(await stream.ReadAsync(CancellationToken.None));
        }

        // The open statement holds a shared lock, so an exclusive lock is refused at once (no busy timeout here).
        Assert.Equal(raw.SQLITE_BUSY, raw.sqlite3_exec(other.Handle, "BEGIN EXCLUSIVE"));

        await stream.DisposeAsync().AsTask().WaitAsync(Deadline);

        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_exec(other.Handle, "BEGIN EXCLUSIVE"));
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_exec(other.Handle, "ROLLBACK"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_while_another_thread_steps_ends_the_step()
    {
        var stream = await Adapter.ExecuteAsync(
            EngineAdapterTestExtensions.Command(Endless + "SELECT x FROM n WHERE x = 1 OR x > 1000000000000000"), CancellationToken.None);
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        var readerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var read = Task.Run(async () =>
        {
            readerStarted.SetResult();
            return await stream.ReadAsync(CancellationToken.None);
        });
        await readerStarted.Task;
        await Task.Run(async () => await stream.DisposeAsync()).WaitAsync(Deadline);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => read.WaitAsync(Deadline));
    }

    [Fact]
    public async Task After_the_last_row_reads_return_false_and_values_are_refused()
    {
        await using var stream = await Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command("SELECT 1 AS one"), CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => stream.GetValue(0));
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        Assert.Equal(1L, stream.GetValue(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.GetValue(1));
        Assert.False(await stream.ReadAsync(CancellationToken.None));
        Assert.False(await stream.ReadAsync(CancellationToken.None));
        Assert.Throws<InvalidOperationException>(() => stream.GetValue(0));
    }

    [Fact]
    public async Task Concurrent_statements_each_use_their_own_connection()
    {
        await using var first = await Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command(Endless + "SELECT x FROM n"), CancellationToken.None);
        await using var second = await Adapter.ExecuteAsync(EngineAdapterTestExtensions.Command(Endless + "SELECT x * 10 FROM n"), CancellationToken.None);

        for (var i = 1L; i <= 3; i++)
        {
            Assert.True(await first.ReadAsync(CancellationToken.None));
            Assert.True(await second.ReadAsync(CancellationToken.None));
            Assert.Equal(i, first.GetValue(0));
            Assert.Equal(i * 10, second.GetValue(0));
        }
    }

    public void Dispose() => _database.Dispose();
}
