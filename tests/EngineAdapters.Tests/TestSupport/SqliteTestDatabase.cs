using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Sqlite;
using Hera.Grains.Interfaces.Results;
using Microsoft.Data.Sqlite;

namespace Hera.EngineAdapters.Tests.TestSupport;

/// <summary>A database file in its own temp directory, with an adapter named <c>local</c> over it.</summary>
internal sealed class SqliteTestDatabase : IDisposable
{
    private readonly TempDirectory _directory = new();

    public SqliteTestDatabase(SqliteEngineOptions? options = null)
    {
        Path = _directory.File("test.db");
        Adapter = new SqliteEngineAdapter("local", Path, (options ?? SqliteEngineOptions.Default) with { CreateIfMissing = true });
    }

    public string Path { get; }

    public SqliteEngineAdapter Adapter { get; }

    public string Directory => _directory.FullPath;

    /// <summary>A plain Microsoft.Data.Sqlite connection to the same file, outside the adapter.</summary>
    public SqliteConnection OpenDirect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public void Execute(string sql)
    {
        using var connection = OpenDirect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public Task<QueryResult> QueryAsync(string sql, IReadOnlyDictionary<string, string>? settings = null) =>
        Adapter.QueryAsync(sql, settings);

    public void Dispose() => _directory.Dispose();
}

internal sealed record QueryResult(IReadOnlyList<ResultColumn> Columns, List<object?[]> Rows)
{
    public object? Single() => Assert.Single(Assert.Single(Rows));

    public string[] Types => [.. Columns.Select(column => column.Type)];
}

internal static class EngineAdapterTestExtensions
{
    public static async Task<QueryResult> QueryAsync(
        this IEngineAdapter adapter, string sql, IReadOnlyDictionary<string, string>? settings = null)
    {
        await using var stream = await adapter.ExecuteAsync(new EngineCommand(sql, "attempt-1", settings), CancellationToken.None);
        var rows = new List<object?[]>();
        while (await stream.ReadAsync(CancellationToken.None))
        {
            rows.Add([.. Enumerable.Range(0, stream.Columns.Count).Select(stream.GetValue)]);
        }

        return new QueryResult(stream.Columns, rows);
    }

    public static EngineCommand Command(string sql) => new(sql, "attempt-1");
}
