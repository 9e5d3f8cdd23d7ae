using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;

namespace Hera.EngineAdapters.Tests.ClickHouse;

public sealed class ClickHouseErrorTests : IAsyncLifetime
{
    private readonly ClickHouseEngineAdapter _adapter = ClickHouseTestServer.Adapter();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _adapter.DisposeAsync();

    [Theory]
    [InlineData("SELEC 1", "62", "Syntax error")]
    [InlineData("SELECT no_such_column", "47", "Unknown identifier")]
    [InlineData("SELECT * FROM no_such_table_hera", "60", "no_such_table_hera")]
    [InlineData("SELECT no_such_function(1)", "46", "Unknown function")]
    [InlineData("SELECT 1 + 'a'", "43", "Illegal types")]
    [InlineData("SELECT CAST('x' AS UInt8)", "6", "Cannot parse")]
    [InlineData("SELECT intDiv(1, 0)", "153", "Division by zero")]
    [InlineData("SELECT 1; SELECT 2", "62", "Multi-statements")]
    public async Task Caller_mistakes_fail_as_caller_sql_with_clickhouse_code_and_message(string sql, string code, string message)
    {
        var exception = await Assert.ThrowsAsync<EngineException>(() => _adapter.QueryAsync(sql));

        Assert.Equal(EngineFailureKind.CallerSql, exception.Kind);
        Assert.Equal(code, exception.EngineCode);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("e.what()", exception.Message, StringComparison.Ordinal);
        Assert.Equal("warehouse", exception.Engine);
        Assert.Equal(0, _adapter.Running);
    }

    [Fact]
    public async Task A_timeout_the_statement_asked_for_is_the_callers_and_the_servers_own_is_transient()
    {
        var asked = await Assert.ThrowsAsync<EngineException>(() => _adapter.QueryAsync(
            "SELECT count() FROM numbers(100000000000)", new Dictionary<string, string> { ["max_execution_time"] = "1" }));

        Assert.Equal(("159", EngineFailureKind.CallerSql), (asked.EngineCode, asked.Kind));
        Assert.Equal(EngineFailureKind.Transient, ClickHouseErrors.Classify(159).Kind);
    }

    [Fact]
    public async Task An_error_after_rows_began_is_detected_in_the_body_and_thrown()
    {
        await using var stream = await _adapter.ExecuteAsync(
            ClickHouseTestServer.Command("SELECT number, throwIf(number = 2000000) FROM system.numbers LIMIT 3000000"), CancellationToken.None)
            .WaitAsync(ClickHouseTestServer.Deadline);
        var rows = 0L;

        var exception = await Assert.ThrowsAsync<EngineException>(async () =>
        {
            while (await stream.ReadAsync(CancellationToken.None))
            {
                Assert.Equal((decimal)rows, stream.GetValue(0));
                rows++;
            }
        });

        Assert.InRange(rows, 1, 2_000_000);
        Assert.Equal(("395", EngineFailureKind.CallerSql), (exception.EngineCode, exception.Kind));
        Assert.Contains("throwIf", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, _adapter.Running);
    }

    [Fact]
    public async Task A_row_that_merely_looks_like_an_error_is_data()
    {
        var result = await _adapter.QueryAsync(
            "SELECT arrayJoin(['Code: 62, e.displayText() = DB::Exception: not really', 'after']) AS s");

        Assert.Equal(["Code: 62, e.displayText() = DB::Exception: not really", "after"], result.Rows.Select(row => row[0]));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1")]
    [InlineData("http://no-such-host.invalid:8123")]
    public async Task An_unreachable_server_is_a_transient_connection_failure(string url)
    {
        await using var adapter = new ClickHouseEngineAdapter("warehouse", url);

        var exception = await Assert.ThrowsAsync<EngineException>(() => adapter.QueryAsync("SELECT 1"));

        Assert.Equal(("HERA_CONNECTION", EngineFailureKind.Transient), (exception.EngineCode, exception.Kind));
        Assert.True(exception.IsTransient);
        Assert.Equal(0, adapter.Running);
    }
}
