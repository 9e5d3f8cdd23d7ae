using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;

namespace Hera.EngineAdapters.Tests.Postgres;

/// <summary>
/// A statement text that ran before with a result Hera reads in binary starts the short way: no describe, its
/// settings sent with it in one round trip. It must be indistinguishable from the long way, and a result whose types
/// changed since must still come back right, and a write still happen once.
/// </summary>
public sealed class PostgresShortStartTests : IAsyncLifetime
{
    private PostgresTestSchema _schema = null!;

    private PostgresEngineAdapter Adapter => _schema.Adapter;

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task A_statement_run_before_skips_the_describe_and_returns_the_same_columns_types_and_values()
    {
        const string Sql = """
            SELECT 2::int4 AS i4, 9007199254740993::int8 AS i8, 1.50::numeric(12,2) AS money, 0.1::float4 AS f4,
                   'é 中文 😀'::text AS t, NULL::date AS nothing, timestamptz '2026-01-31 12:34:56+02' AS tz, '\x00ff'::bytea AS bin
            """;

        var first = await Adapter.RunAsync(Sql);
        var second = await Adapter.RunAsync(Sql);

        Assert.Equal(1, Adapter.ShortStarts);
        Assert.Equal(first.Columns, second.Columns);
        Assert.Equal(first.Rows, second.Rows);
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Parameters_settings_and_the_attempt_tag_apply_on_the_short_way()
    {
        const string Sql = "SELECT @v::int8 + 1 AS next, current_setting('work_mem') AS work_mem, current_setting('application_name') AS tag";
        var settings = new Dictionary<string, string> { ["work_mem"] = "7MB" };
        var first = PostgresCommands.Command(Sql, new Dictionary<string, object?> { ["v"] = 1L }, settings);
        var second = PostgresCommands.Command(Sql, new Dictionary<string, object?> { ["v"] = 41L }, new Dictionary<string, string> { ["work_mem"] = "9MB" });

        var one = Assert.Single((await Adapter.RunAsync(first)).Rows);
        var two = Assert.Single((await Adapter.RunAsync(second)).Rows);

        Assert.Equal(1, Adapter.ShortStarts);
        Assert.Equal([2L, "7MB", first.AttemptId], one);
        Assert.Equal([42L, "9MB", second.AttemptId], two);
    }

    [Fact]
    public async Task A_read_only_adapter_stays_read_only_on_the_short_way()
    {
        await using var readOnly = new PostgresEngineAdapter("ro", _schema.ConnectionString, new PostgresEngineOptions { ReadOnly = true });

        await readOnly.RunAsync("SELECT current_setting('transaction_read_only') AS ro");
        var again = await readOnly.RunAsync("SELECT current_setting('transaction_read_only') AS ro");

        Assert.Equal(1, readOnly.ShortStarts);
        Assert.Equal("on", again.Single());
    }

    [Fact]
    public async Task A_result_whose_types_changed_since_its_last_run_is_read_again_the_long_way()
    {
        await _schema.ExecuteAsync("CREATE TABLE t (v int); INSERT INTO t VALUES (1)");
        Assert.Equal(1L, (await Adapter.RunAsync("SELECT v FROM t")).Single());
        await _schema.ExecuteAsync("DROP TABLE t; CREATE TABLE t (v interval); INSERT INTO t VALUES ('1 day')");

        var changed = await Adapter.RunAsync("SELECT v FROM t");

        Assert.Equal(1, Adapter.ShortStarts);
        Assert.Equal("1 day", changed.Single());
        Assert.Equal(["varchar"], changed.Types);
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task A_write_whose_result_types_changed_is_applied_once()
    {
        await _schema.ExecuteAsync("CREATE TABLE t (v int DEFAULT 1)");
        Assert.Equal(1L, (await Adapter.RunAsync("INSERT INTO t DEFAULT VALUES RETURNING v")).Single());
        await _schema.ExecuteAsync("DROP TABLE t; CREATE TABLE t (v interval DEFAULT '1 day')");

        var written = await Adapter.RunAsync("INSERT INTO t DEFAULT VALUES RETURNING v");

        Assert.Equal(1, Adapter.ShortStarts);
        Assert.Equal("1 day", written.Single());
        Assert.Equal(1L, await _schema.ScalarAsync("SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task A_statement_that_fails_on_the_short_way_fails_as_the_callers_with_the_server_sqlstate()
    {
        await _schema.ExecuteAsync("CREATE TABLE t (v int)");
        await Adapter.RunAsync("SELECT v FROM t");
        await _schema.ExecuteAsync("DROP TABLE t");

        var error = await Assert.ThrowsAsync<EngineException>(() => Adapter.RunAsync("SELECT v FROM t"));

        Assert.Equal((EngineFailureKind.CallerSql, "42P01"), (error.Kind, error.EngineCode));
        Assert.Equal(1, Adapter.ShortStarts);
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task A_script_runs_every_statement_on_the_short_way_and_answers_with_its_first_result()
    {
        await _schema.ExecuteAsync("CREATE TABLE log (v int)");
        const string Script = "SELECT 41 + 1 AS answer; INSERT INTO log VALUES (1)";

        await Adapter.RunAsync(Script);
        var again = await Adapter.RunAsync(Script);

        Assert.Equal(1, Adapter.ShortStarts);
        Assert.Equal(42L, again.Single());
        Assert.Equal(2L, await _schema.ScalarAsync("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task A_statement_without_columns_runs_the_short_way_and_commits()
    {
        await _schema.ExecuteAsync("CREATE TABLE log (v int)");

        await Adapter.RunAsync("INSERT INTO log VALUES (1)");
        var again = await Adapter.RunAsync("INSERT INTO log VALUES (1)");

        Assert.Equal(1, Adapter.ShortStarts);
        Assert.Empty(again.Columns);
        Assert.Equal(2L, await _schema.ScalarAsync("SELECT count(*) FROM log"));
    }
}
