using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;

namespace Hera.EngineAdapters.Tests.Postgres;

public sealed class PostgresParameterAndSettingsTests : IAsyncLifetime
{
    private PostgresTestSchema _schema = null!;

    private PostgresEngineAdapter Adapter => _schema.Adapter;

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task Parameters_of_every_clr_type_are_bound_with_their_postgres_type()
    {
        var parameters = new Dictionary<string, object?>
        {
            ["l"] = 9007199254740993L,
            ["d"] = 0.1,
            ["m"] = 12345.67m,
            ["s"] = "é '中' 😀",
            ["b"] = true,
            ["day"] = new DateOnly(2026, 2, 28),
            ["ts"] = new DateTime(2026, 2, 28, 23, 59, 59, 123, DateTimeKind.Utc),
            ["n"] = null,
        };

        var values = await Adapter.RunAsync("SELECT @l, @d, @m, @s, @b, @day, @ts, @n::int", parameters);
        var types = await Adapter.RunAsync(
            "SELECT pg_typeof(@l)::text, pg_typeof(@d)::text, pg_typeof(@m)::text, pg_typeof(@s)::text, pg_typeof(@b)::text, pg_typeof(@day)::text, pg_typeof(@ts)::text",
            parameters);

        Assert.Equal(["bigint", "double", "decimal", "varchar", "boolean", "date", "timestamp", "integer"], values.Types);
        Assert.Equal(
            [9007199254740993L, 0.1, 12345.67m, "é '中' 😀", true, new DateOnly(2026, 2, 28), new DateTime(2026, 2, 28, 23, 59, 59, 123), null],
            Assert.Single(values.Rows));
        Assert.Equal(
            ["bigint", "double precision", "numeric", "text", "boolean", "date", "timestamp without time zone"],
            Assert.Single(types.Rows));
    }

    [Fact]
    public async Task An_injection_payload_in_a_string_parameter_is_compared_as_a_value()
    {
        await _schema.ExecuteAsync("CREATE TABLE people (name text); INSERT INTO people VALUES ('alice')");
        const string payload = "x' OR '1'='1'; DROP TABLE people; --";

        var matched = await Adapter.RunAsync("SELECT count(*) FROM people WHERE name = @name", new Dictionary<string, object?> { ["name"] = payload });
        var echoed = await Adapter.RunAsync("SELECT @name", new Dictionary<string, object?> { ["name"] = payload });

        Assert.Equal(0L, matched.Single());
        Assert.Equal(payload, echoed.Single());
        Assert.Equal(1L, await _schema.ScalarAsync("SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task A_parameter_of_an_unsupported_clr_type_is_the_callers_mistake()
    {
        var error = await Assert.ThrowsAsync<EngineException>(
            () => Adapter.RunAsync("SELECT @v", new Dictionary<string, object?> { ["v"] = 5 }));

        Assert.Equal((EngineFailureKind.CallerSql, "HERA_INVALID_PARAMETER"), (error.Kind, error.EngineCode));
        Assert.Contains("@v", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Settings_apply_to_their_own_statement_only_even_on_the_same_pooled_connection()
    {
        // One pooled connection, and no DISCARD ALL when it returns to the pool: only SET LOCAL keeps it clean.
        await using var adapter = new PostgresEngineAdapter(
            "pg", _schema.ConnectionStringWith(builder => (builder.MaxPoolSize, builder.NoResetOnClose) = (1, true)));
        var command = PostgresCommands.Command(
            "SELECT current_setting('work_mem'), current_setting('application_name'), pg_backend_pid()",
            settings: new Dictionary<string, string> { ["work_mem"] = "7MB" });

        var tuned = Assert.Single((await adapter.RunAsync(command)).Rows);
        var plain = Assert.Single((await adapter.RunAsync("SELECT current_setting('work_mem'), current_setting('application_name'), pg_backend_pid()")).Rows);

        Assert.Equal(["7MB", command.AttemptId], tuned.Take(2));
        Assert.Equal(tuned[2], plain[2]);
        Assert.NotEqual("7MB", plain[0]);
        Assert.NotEqual(command.AttemptId, plain[1]);
    }

    [Fact]
    public async Task Show_inside_the_statement_sees_the_setting()
    {
        var result = await Adapter.RunAsync("SHOW work_mem", settings: new Dictionary<string, string> { ["work_mem"] = "9MB" });

        Assert.Equal("9MB", result.Single());
    }

    [Theory]
    [InlineData("work_mem", "lots", "22023")]
    [InlineData("no_such_setting", "1", "42704")]
    public async Task An_invalid_setting_fails_as_the_callers_with_the_server_sqlstate(string key, string value, string sqlState)
    {
        var error = await Assert.ThrowsAsync<EngineException>(
            () => Adapter.RunAsync("SELECT 1", settings: new Dictionary<string, string> { [key] = value }));

        Assert.Equal((EngineFailureKind.CallerSql, sqlState), (error.Kind, error.EngineCode));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task Application_name_is_reserved_for_the_attempt_tag()
    {
        var error = await Assert.ThrowsAsync<EngineException>(
            () => Adapter.RunAsync("SELECT 1", settings: new Dictionary<string, string> { ["Application_Name"] = "mine" }));

        Assert.Equal((EngineFailureKind.CallerSql, "HERA_INVALID_SETTING"), (error.Kind, error.EngineCode));
    }

    [Fact]
    public async Task A_statement_timeout_set_by_the_caller_is_a_transient_cancel()
    {
        var error = await Assert.ThrowsAsync<EngineException>(
            () => Adapter.RunAsync("SELECT pg_sleep(30)", settings: new Dictionary<string, string> { ["statement_timeout"] = "50ms" }));

        Assert.Equal((EngineFailureKind.Transient, "57014"), (error.Kind, error.EngineCode));
    }

    [Fact]
    public async Task A_read_only_adapter_refuses_writes_and_a_completed_statement_commits()
    {
        await _schema.ExecuteAsync("CREATE TABLE t (v int)");
        await using var readOnly = new PostgresEngineAdapter("ro", _schema.ConnectionString, new PostgresEngineOptions { ReadOnly = true });

        var error = await Assert.ThrowsAsync<EngineException>(() => readOnly.RunAsync("INSERT INTO t VALUES (1) RETURNING v"));
        var written = await Adapter.RunAsync("INSERT INTO t VALUES (2) RETURNING v");

        Assert.Equal((EngineFailureKind.CallerSql, "25006"), (error.Kind, error.EngineCode));
        Assert.Equal(2L, written.Single());
        Assert.Equal(1L, await _schema.ScalarAsync("SELECT count(*) FROM t WHERE v = 2"));
    }
}
