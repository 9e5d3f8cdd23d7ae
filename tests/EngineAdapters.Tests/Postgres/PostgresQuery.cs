using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Tests.TestSupport;

namespace Hera.EngineAdapters.Tests.Postgres;

internal static class PostgresQuery
{
    /// <summary>Runs <paramref name="command"/> and reads every row, disposing the stream.</summary>
    public static async Task<QueryResult> RunAsync(this IEngineAdapter adapter, EngineCommand command)
    {
        await using var stream = await adapter.ExecuteAsync(command, CancellationToken.None);
        var rows = new List<object?[]>();
        while (await stream.ReadAsync(CancellationToken.None))
        {
            rows.Add([.. Enumerable.Range(0, stream.Columns.Count).Select(stream.GetValue)]);
        }

        return new QueryResult(stream.Columns, rows);
    }

    public static Task<QueryResult> RunAsync(
        this IEngineAdapter adapter,
        string sql,
        IReadOnlyDictionary<string, object?>? parameters = null,
        IReadOnlyDictionary<string, string>? settings = null) =>
        adapter.RunAsync(PostgresCommands.Command(sql, parameters, settings));
}
