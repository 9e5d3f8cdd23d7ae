using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;

namespace Hera.EngineAdapters.Tests.ClickHouse;

/// <summary>Runs alone: the memory assertion must not see other tests' allocations.</summary>
[CollectionDefinition(nameof(ClickHouseMemorySensitive), DisableParallelization = true)]
public sealed class ClickHouseMemorySensitive;

[Collection(nameof(ClickHouseMemorySensitive))]
public sealed class ClickHouseStreamingTests : IAsyncLifetime
{
    // Runs for minutes unless stopped, and sends nothing before it ends: only a KILL ends it early.
    private const string LongAggregate = "SELECT count() FROM numbers(1000000000000)";

    // Streams rows without end, as fast as they are read.
    private const string Endless = "SELECT number FROM system.numbers";

    // Sends its first MiB of rows at once, then computes for minutes without writing: closing the connection does
    // not stop it (the server notices only at its next write), so only a KILL ends it early.
    private const string StreamsThenStalls =
        "SELECT toString(number) AS v FROM numbers(300000) UNION ALL SELECT toString(count()) FROM numbers(1000000000000)";

    private readonly ClickHouseEngineAdapter _adapter = ClickHouseTestServer.Adapter();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _adapter.DisposeAsync();

    [Fact]
    public async Task A_million_wide_rows_stream_in_bounded_memory()
    {
        // About 130 MB of text: buffering the body, or the rows, would pass the bound several times over.
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        await using var stream = await _adapter.ExecuteAsync(
            ClickHouseTestServer.Command($"SELECT number, toString(number) AS s, '{new string('x', 100)}' AS pad FROM system.numbers LIMIT 1000000"),
            CancellationToken.None).WaitAsync(ClickHouseTestServer.Deadline);
        // Sampled after a full collection: without one, the uncollected garbage of parsed rows alone reached about
        // 50 MB on the development machine (its gen0 budget), which says nothing about what the stream retains.
        var maxGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;

        var rows = 0L;
        while (await stream.ReadAsync(CancellationToken.None))
        {
            Assert.Equal((decimal)rows, stream.GetValue(0));
            if (rows % 100_000 == 0)
            {
                Assert.Equal(rows.ToString(System.Globalization.CultureInfo.InvariantCulture), stream.GetValue(1));
                maxGrowth = Math.Max(maxGrowth, GC.GetTotalMemory(forceFullCollection: true) - heapBefore);
            }

            rows++;
        }

        Assert.Equal(1_000_000, rows);
        Assert.True(maxGrowth < 64 * 1024 * 1024, $"Managed heap grew by {maxGrowth:N0} bytes while streaming.");
        Assert.Equal(0, _adapter.Running);
    }

    [Fact]
    public async Task Cancelling_while_the_statement_runs_kills_it_on_the_server()
    {
        using var cancellation = new CancellationTokenSource();
        var command = ClickHouseTestServer.Command(LongAggregate);
        var execute = _adapter.ExecuteAsync(command, cancellation.Token);
        await ClickHouseTestServer.WaitUntilRunningAsync(command.AttemptId);
        Assert.Equal(1, _adapter.Running);

        await cancellation.CancelAsync();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => execute.WaitAsync(ClickHouseTestServer.Deadline));
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.False(await ClickHouseTestServer.IsRunningAsync(command.AttemptId));
        Assert.True(await _adapter.EnsureStoppedAsync(command.AttemptId, CancellationToken.None));
        Assert.Equal(0, _adapter.Running);
    }

    [Fact]
    public async Task Cancelling_the_read_token_kills_a_statement_that_closing_would_not_stop()
    {
        var command = ClickHouseTestServer.Command(StreamsThenStalls);
        await using var stream = await _adapter.ExecuteAsync(command, CancellationToken.None).WaitAsync(ClickHouseTestServer.Deadline);
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await stream.ReadAsync(cancellation.Token).AsTask().WaitAsync(ClickHouseTestServer.Deadline));

        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.False(await ClickHouseTestServer.IsRunningAsync(command.AttemptId));
        Assert.Equal(0, _adapter.Running);
    }

    [Fact]
    public async Task Cancelling_the_execute_token_between_reads_kills_the_statement()
    {
        using var cancellation = new CancellationTokenSource();
        var command = ClickHouseTestServer.Command(StreamsThenStalls);
        await using var stream = await _adapter.ExecuteAsync(command, cancellation.Token).WaitAsync(ClickHouseTestServer.Deadline);
        Assert.True(await stream.ReadAsync(CancellationToken.None));

        await cancellation.CancelAsync();

        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await stream.ReadAsync(CancellationToken.None).AsTask().WaitAsync(ClickHouseTestServer.Deadline));
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.False(await ClickHouseTestServer.IsRunningAsync(command.AttemptId));
    }

    [Fact]
    public async Task Disposing_a_stream_early_kills_the_statement()
    {
        var command = ClickHouseTestServer.Command(StreamsThenStalls);
        var stream = await _adapter.ExecuteAsync(command, CancellationToken.None).WaitAsync(ClickHouseTestServer.Deadline);
        Assert.True(await stream.ReadAsync(CancellationToken.None));
        Assert.Equal(1, _adapter.Running);

        await stream.DisposeAsync().AsTask().WaitAsync(ClickHouseTestServer.Deadline);

        Assert.Equal(0, _adapter.Running);
        Assert.False(await ClickHouseTestServer.IsRunningAsync(command.AttemptId));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await stream.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Ensure_stopped_kills_a_statement_whose_stream_nobody_reads()
    {
        var command = ClickHouseTestServer.Command(Endless);
        await using var stream = await _adapter.ExecuteAsync(command, CancellationToken.None).WaitAsync(ClickHouseTestServer.Deadline);
        Assert.True(await ClickHouseTestServer.IsRunningAsync(command.AttemptId));

        var stopped = await _adapter.EnsureStoppedAsync(command.AttemptId, CancellationToken.None).WaitAsync(ClickHouseTestServer.Deadline);

        Assert.True(stopped);
        Assert.False(await ClickHouseTestServer.IsRunningAsync(command.AttemptId));
        var exception = await Assert.ThrowsAsync<EngineException>(async () =>
        {
            while (await stream.ReadAsync(CancellationToken.None))
            {
            }
        });
        Assert.Equal(EngineFailureKind.Transient, exception.Kind);
        Assert.Equal(0, _adapter.Running);
    }

    [Fact]
    public async Task Ensure_stopped_kills_a_statement_sent_by_another_client()
    {
        await using var other = ClickHouseTestServer.Adapter();
        var command = ClickHouseTestServer.Command(LongAggregate);
        var execute = other.ExecuteAsync(command, CancellationToken.None);
        await ClickHouseTestServer.WaitUntilRunningAsync(command.AttemptId);

        Assert.True(await _adapter.EnsureStoppedAsync(command.AttemptId, CancellationToken.None));

        Assert.False(await ClickHouseTestServer.IsRunningAsync(command.AttemptId));
        var exception = await Assert.ThrowsAsync<EngineException>(() => execute.WaitAsync(ClickHouseTestServer.Deadline));
        Assert.Equal(("394", EngineFailureKind.Transient), (exception.EngineCode, exception.Kind));
        Assert.Equal(0, other.Running);
    }

    [Fact]
    public async Task Ensure_stopped_is_true_for_an_attempt_the_server_never_saw()
    {
        Assert.True(await _adapter.EnsureStoppedAsync(ClickHouseTestServer.AttemptId(), CancellationToken.None));
    }

    [Fact]
    public async Task Running_counts_statements_from_sending_until_their_rows_are_read()
    {
        Assert.Equal(0, _adapter.Running);
        await using var first = await _adapter.ExecuteAsync(ClickHouseTestServer.Command("SELECT number FROM numbers(3)"), CancellationToken.None);
        await using var second = await _adapter.ExecuteAsync(ClickHouseTestServer.Command(Endless), CancellationToken.None);
        Assert.Equal(2, _adapter.Running);

        while (await first.ReadAsync(CancellationToken.None))
        {
        }

        Assert.Equal(1, _adapter.Running);
        await second.DisposeAsync();
        Assert.Equal(0, _adapter.Running);
    }
}
