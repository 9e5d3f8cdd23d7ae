using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;
using Hera.Grains.Interfaces.Results;

namespace Hera.EngineAdapters.Tests.ClickHouse;

/// <summary>
/// The real ClickHouse server the tests run against, from <c>HERA_TEST_CH</c> (set by
/// <c>scripts/test-services.sh start</c>). Unset fails the test with instructions: a silently skipped engine test
/// is a test that never runs. Other suites use the same server concurrently, so every test works in its own
/// database or with its own query ids.
/// </summary>
internal static class ClickHouseTestServer
{
    public const string Variable = "HERA_TEST_CH";

    /// <summary>A generous bound on "promptly": a test that waits this long has found a statement that did not stop.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static string Url =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the ClickHouse tests cannot reach a server. Run: "
                + "env_lines=\"$(scripts/test-services.sh start)\"; eval \"$env_lines\" and run the tests from that shell.");

    /// <summary>An adapter on the default database.</summary>
    public static ClickHouseEngineAdapter Adapter(ClickHouseEngineOptions? options = null) => new("warehouse", Url, options);

    /// <summary>An attempt id no other test uses.</summary>
    public static string AttemptId() => $"hera-test-{Guid.NewGuid():N}";

    public static EngineCommand Command(
        string sql, IReadOnlyDictionary<string, string>? settings = null, IReadOnlyDictionary<string, object?>? parameters = null) =>
        new(sql, AttemptId(), settings, parameters);

    /// <summary>Runs <paramref name="sql"/> and reads every row.</summary>
    public static async Task<ClickHouseResult> QueryAsync(
        this IEngineAdapter adapter,
        string sql,
        IReadOnlyDictionary<string, string>? settings = null,
        IReadOnlyDictionary<string, object?>? parameters = null)
    {
        await using var stream = await adapter.ExecuteAsync(Command(sql, settings, parameters), CancellationToken.None).WaitAsync(Deadline);
        var rows = new List<object?[]>();
        while (await stream.ReadAsync(CancellationToken.None))
        {
            rows.Add([.. Enumerable.Range(0, stream.Columns.Count).Select(stream.GetValue)]);
        }

        return new ClickHouseResult(stream.Columns, rows);
    }

    /// <summary>Runs a statement without a result (DDL, INSERT).</summary>
    public static async Task ExecuteAsync(this IEngineAdapter adapter, string sql)
    {
        await using var stream = await adapter.ExecuteAsync(Command(sql), CancellationToken.None).WaitAsync(Deadline);
        while (await stream.ReadAsync(CancellationToken.None))
        {
        }
    }

    /// <summary>True while <c>system.processes</c> lists <paramref name="queryId"/>, asked through a separate adapter.</summary>
    public static async Task<bool> IsRunningAsync(string queryId)
    {
        await using var adapter = Adapter();
        var count = (await adapter.QueryAsync($"SELECT count() FROM system.processes WHERE query_id = '{queryId}'")).Single();
        return (decimal)count! != 0;
    }

    /// <summary>Returns once <c>system.processes</c> lists <paramref name="queryId"/> (asking as fast as the server answers), or fails after <see cref="Deadline"/>.</summary>
    public static async Task WaitUntilRunningAsync(string queryId)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await IsRunningAsync(queryId))
        {
            Assert.False(deadline.IsCancellationRequested, $"Query {queryId} never appeared in system.processes.");
        }
    }
}

/// <summary>A database of its own on the test server, dropped with everything in it on dispose.</summary>
internal sealed class ClickHouseTestDatabase : IAsyncDisposable
{
    private ClickHouseTestDatabase(string name, ClickHouseEngineAdapter adapter)
    {
        Name = name;
        Adapter = adapter;
    }

    public string Name { get; }

    /// <summary>An adapter whose unqualified names resolve in this database.</summary>
    public ClickHouseEngineAdapter Adapter { get; }

    public static async Task<ClickHouseTestDatabase> CreateAsync(ClickHouseEngineOptions? options = null)
    {
        var name = $"hera_test_{Guid.NewGuid():N}";
        await using (var admin = ClickHouseTestServer.Adapter())
        {
            await admin.ExecuteAsync($"CREATE DATABASE {name}");
        }

        return new ClickHouseTestDatabase(name, new ClickHouseEngineAdapter("warehouse", $"{ClickHouseTestServer.Url.TrimEnd('/')}/?database={name}", options));
    }

    public async ValueTask DisposeAsync()
    {
        await Adapter.DisposeAsync();
        await using var admin = ClickHouseTestServer.Adapter();
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {Name}");
    }
}

internal sealed record ClickHouseResult(IReadOnlyList<ResultColumn> Columns, List<object?[]> Rows)
{
    public object? Single() => Assert.Single(Assert.Single(Rows));

    public object?[] SingleRow() => Assert.Single(Rows);

    public string[] Types => [.. Columns.Select(column => column.Type)];
}
