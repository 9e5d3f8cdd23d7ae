using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;

namespace Hera.EngineAdapters.Tests.Postgres;

/// <summary>Runs alone: the memory assertion must not see other tests' allocations.</summary>
[CollectionDefinition(nameof(PostgresMemorySensitive), DisableParallelization = true)]
public sealed class PostgresMemorySensitive;

[Collection(nameof(PostgresMemorySensitive))]
public sealed class PostgresStreamingTests : IAsyncLifetime
{
    // Rows that never end unless stopped: a set-returning function in the select list streams row by row.
    private const string Endless = "SELECT generate_series(1, 1000000000000) AS n";

    // Longer than any test here should take, shorter than the 30 s sleeps: reaching it means nothing stopped them.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private PostgresTestSchema _schema = null!;

    private PostgresEngineAdapter Adapter => _schema.Adapter;

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task A_million_wide_rows_stream_in_bounded_memory()
    {
        // About 250 bytes a row: buffering the result would hold some 250 MB.
        await using var stream = await Adapter.ExecuteAsync(
            PostgresCommands.Command("SELECT x, repeat(md5(x::text), 6) AS filler FROM generate_series(1, 1000000) x"), CancellationToken.None);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peakGrowth = 0L;

        var count = 0L;
        while (await stream.ReadAsync(CancellationToken.None))
        {
            count++;
            Assert.Equal(count, stream.GetValue(0));
            if (count % 100_000 == 0)
            {
                peakGrowth = Math.Max(peakGrowth, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        Assert.Equal(1_000_000L, count);
        Assert.True(peakGrowth < 64L * 1024 * 1024, $"Live managed heap grew by {peakGrowth:N0} bytes while streaming.");
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Cancelling_a_running_statement_by_token_stops_it_on_the_server()
    {
        var command = PostgresCommands.Command("SELECT pg_sleep(30)");
        using var cancellation = new CancellationTokenSource();

        var execute = Adapter.ExecuteAsync(command, cancellation.Token);
        await _schema.WaitUntilActiveAsync(command.AttemptId);
        await cancellation.CancelAsync();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execute.WaitAsync(Deadline));
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.Equal(0L, await _schema.ActiveCountAsync(command.AttemptId));
        Assert.True(await Adapter.EnsureStoppedAsync(command.AttemptId, CancellationToken.None));
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Cancelling_the_read_token_stops_the_statement_on_the_server()
    {
        var command = PostgresCommands.Command(Endless);
        await using var stream = await Adapter.ExecuteAsync(command, CancellationToken.None);
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        using var cancellation = new CancellationTokenSource();

        var read = Task.Run(async () =>
        {
            while (await stream.ReadAsync(cancellation.Token))
            {
            }
        });
        await cancellation.CancelAsync();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Deadline));
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.Equal(0L, await _schema.ActiveCountAsync(command.AttemptId));
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Cancelling_the_execute_token_also_stops_reading()
    {
        using var cancellation = new CancellationTokenSource();
        var command = PostgresCommands.Command(Endless);
        await using var stream = await Adapter.ExecuteAsync(command, cancellation.Token);
        Assert.True(await stream.ReadAsync(CancellationToken.None));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadAsync(CancellationToken.None));
        Assert.Equal(0L, await _schema.ActiveCountAsync(command.AttemptId));
    }

    [Fact]
    public async Task A_token_cancelled_before_execution_throws_without_running()
    {
        await _schema.ExecuteAsync("CREATE TABLE t (v int)");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Adapter.ExecuteAsync(PostgresCommands.Command("INSERT INTO t VALUES (1)"), cancellation.Token));

        Assert.Equal(0L, await _schema.ScalarAsync("SELECT count(*) FROM t"));
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Ensure_stopped_cancels_a_statement_nobody_cancelled_and_confirms_it()
    {
        var command = PostgresCommands.Command("SELECT pg_sleep(30)");
        var execute = Adapter.ExecuteAsync(command, CancellationToken.None);
        await _schema.WaitUntilActiveAsync(command.AttemptId);

        Assert.True(await Adapter.EnsureStoppedAsync(command.AttemptId, CancellationToken.None).WaitAsync(Deadline));

        Assert.Equal(0L, await _schema.ActiveCountAsync(command.AttemptId));
        // Stopped by someone else's cancel, not by its own token: an engine-side interruption worth retrying.
        var error = await Assert.ThrowsAsync<EngineException>(() => execute.WaitAsync(Deadline));
        Assert.Equal((EngineFailureKind.Transient, "57014"), (error.Kind, error.EngineCode));
    }

    [Fact]
    public async Task Ensure_stopped_of_an_attempt_that_never_ran_is_true()
    {
        Assert.True(await Adapter.EnsureStoppedAsync("never-ran-" + Guid.NewGuid().ToString("N"), CancellationToken.None));
    }

    [Fact]
    public async Task Ensure_stopped_of_an_unreachable_server_is_false()
    {
        await using var adapter = new PostgresEngineAdapter(
            "down", PostgresTestServer.With(builder => (builder.Port, builder.Timeout) = (1, 5)));

        Assert.False(await adapter.EnsureStoppedAsync("attempt-1", CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_mid_stream_stops_the_statement_and_returns_the_connection()
    {
        await using var adapter = new PostgresEngineAdapter(
            "pg", _schema.ConnectionStringWith(builder => (builder.MaxPoolSize, builder.Timeout) = (1, 5)));
        var command = PostgresCommands.Command(Endless);
        var stream = await adapter.ExecuteAsync(command, CancellationToken.None);
        for (var i = 1L; i <= 10; i++)
        {
            Assert.True(await stream.ReadAsync(CancellationToken.None));
            Assert.Equal(i, stream.GetValue(0));
        }

        await stream.DisposeAsync().AsTask().WaitAsync(Deadline);

        Assert.Equal(0L, await _schema.ActiveCountAsync(command.AttemptId));
        Assert.Equal(0, adapter.Running);
        Assert.Equal(1L, (await adapter.RunAsync("SELECT 1")).Single());
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Disposing_while_another_thread_reads_ends_the_read()
    {
        // The rows before the sleep fill the server's send buffer and arrive; the read after them waits on the sleep.
        var stream = await Adapter.ExecuteAsync(
            PostgresCommands.Command("SELECT repeat('x', 1000) FROM generate_series(1, 100) UNION ALL SELECT pg_sleep(30)::text"),
            CancellationToken.None);
        Assert.True(await stream.ReadAsync(CancellationToken.None));

        var read = Task.Run(async () =>
        {
            while (await stream.ReadAsync(CancellationToken.None))
            {
            }
        });
        await Task.Run(async () => await stream.DisposeAsync()).WaitAsync(Deadline);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => read.WaitAsync(Deadline));
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Running_counts_open_streams_and_drops_when_they_end()
    {
        Assert.Equal(0, Adapter.Running);
        var first = await Adapter.ExecuteAsync(PostgresCommands.Command(Endless), CancellationToken.None);
        await using var second = await Adapter.ExecuteAsync(PostgresCommands.Command("SELECT 1"), CancellationToken.None);
        Assert.Equal(2, Adapter.Running);

        await first.DisposeAsync();
        Assert.Equal(1, Adapter.Running);
        Assert.True(await second.ReadAsync(CancellationToken.None));
        Assert.False(await second.ReadAsync(CancellationToken.None));

        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task After_the_last_row_reads_return_false_and_values_are_refused()
    {
        await using var stream = await Adapter.ExecuteAsync(PostgresCommands.Command("SELECT 1 AS one, 'two' AS two"), CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => stream.GetValue(0));
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        Assert.Equal("two", stream.GetValue(1));
        Assert.Equal(1L, stream.GetValue(0));
        Assert.Equal("two", stream.GetValue(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.GetValue(2));
        Assert.False(await stream.ReadAsync(CancellationToken.None));
        Assert.False(await stream.ReadAsync(CancellationToken.None));
        Assert.Throws<InvalidOperationException>(() => stream.GetValue(0));
    }

    [Fact]
    public async Task A_statement_without_rows_has_no_columns_and_releases_at_once()
    {
        await using var stream = await Adapter.ExecuteAsync(PostgresCommands.Command("CREATE TABLE made (v int)"), CancellationToken.None);

        Assert.Empty(stream.Columns);
        Assert.Equal(0, Adapter.Running);
        Assert.False(await stream.ReadAsync(CancellationToken.None));
        Assert.Equal(1L, await _schema.ScalarAsync("SELECT count(*) FROM pg_tables WHERE tablename = 'made' AND schemaname = current_schema()"));
    }

    [Fact]
    public async Task Health_reports_the_server_version_and_a_bad_server_is_unhealthy()
    {
        await using var down = new PostgresEngineAdapter("down", PostgresTestServer.With(builder => (builder.Port, builder.Timeout) = (1, 5)));
        await using var badPassword = new PostgresEngineAdapter("pg", PostgresTestServer.With(builder => builder.Password = "wrong"));

        var healthy = await Adapter.CheckHealthAsync(CancellationToken.None);
        var unreachable = await down.CheckHealthAsync(CancellationToken.None);
        var refused = await badPassword.CheckHealthAsync(CancellationToken.None);

        Assert.True(healthy.Healthy);
        Assert.StartsWith("PostgreSQL 15", healthy.Detail, StringComparison.Ordinal);
        Assert.True(healthy.LatencyMs > 0);
        Assert.False(unreachable.Healthy);
        Assert.StartsWith("HERA_CONNECTION: ", unreachable.Detail, StringComparison.Ordinal);
        Assert.False(refused.Healthy);
        Assert.StartsWith("28P01: ", refused.Detail, StringComparison.Ordinal);
    }
}
