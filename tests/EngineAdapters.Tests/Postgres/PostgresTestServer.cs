using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;
using Npgsql;

namespace Hera.EngineAdapters.Tests.Postgres;

/// <summary>
/// The real PostgreSQL server these tests run against, named by <c>HERA_TEST_PG</c>. Without it every test here fails
/// with instructions, never skips: a green run must mean the adapter was exercised.
/// </summary>
internal static class PostgresTestServer
{
    public const string Variable = "HERA_TEST_PG";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests cannot run. Start the test services and export their " +
                "settings first: env_lines=\"$(scripts/test-services.sh start)\"; eval \"$env_lines\"");

    /// <summary>The server's connection string with <paramref name="change"/> applied (search path, pool size, port).</summary>
    public static string With(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        change(builder);
        return builder.ConnectionString;
    }
}

/// <summary>
/// A schema of its own on the test server (tests run concurrently with other classes and other people's runs), with
/// an adapter named <c>pg</c> whose search path starts there. Dropped with everything in it on dispose.
/// </summary>
internal sealed class PostgresTestSchema : IAsyncDisposable
{
    private PostgresTestSchema(string name, PostgresEngineAdapter adapter, NpgsqlDataSource admin)
    {
        Name = name;
        Adapter = adapter;
        Admin = admin;
    }

    public string Name { get; }

    public PostgresEngineAdapter Adapter { get; }

    /// <summary>A separate pool on the same schema, for setting up and observing from outside the adapter.</summary>
    public NpgsqlDataSource Admin { get; }

    public string ConnectionString => ConnectionStringWith(_ => { });

    public static async Task<PostgresTestSchema> CreateAsync(PostgresEngineOptions? options = null)
    {
        var name = $"hera_t_{Guid.NewGuid():N}";
        var admin = NpgsqlDataSource.Create(PostgresTestServer.With(builder => builder.SearchPath = name));
        await using (var command = admin.CreateCommand($"CREATE SCHEMA {name}"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var adapter = new PostgresEngineAdapter("pg", PostgresTestServer.With(builder => builder.SearchPath = name), options);
        return new PostgresTestSchema(name, adapter, admin);
    }

    public string ConnectionStringWith(Action<NpgsqlConnectionStringBuilder> change) =>
        PostgresTestServer.With(builder =>
        {
            builder.SearchPath = Name;
            change(builder);
        });

    public async Task ExecuteAsync(string sql)
    {
        await using var command = Admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = Admin.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Blocks, on the server, until the attempt's statement is active (or fails after 30 s).</summary>
    public Task WaitUntilActiveAsync(string attemptId) =>
        ExecuteAsync($"""
            DO $$
            BEGIN
              FOR i IN 1..3000 LOOP
                PERFORM pg_stat_clear_snapshot();
                IF EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '{attemptId}' AND state = 'active') THEN
                  RETURN;
                END IF;
                PERFORM pg_sleep(0.01);
              END LOOP;
              RAISE EXCEPTION 'attempt {attemptId} never became active';
            END $$
            """);

    /// <summary>Backends running the attempt's statement now, as the server lists them.</summary>
    public async Task<long> ActiveCountAsync(string attemptId) =>
        (long)(await ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE application_name = '{attemptId}' AND state = 'active'"))!;

    public async ValueTask DisposeAsync()
    {
        await Adapter.DisposeAsync();
        await ExecuteAsync($"DROP SCHEMA IF EXISTS {Name} CASCADE");
        await Admin.DisposeAsync();
    }
}

internal static class PostgresCommands
{
    /// <summary>A command with a unique attempt id, so concurrent tests never see each other in pg_stat_activity.</summary>
    public static EngineCommand Command(
        string sql,
        IReadOnlyDictionary<string, object?>? parameters = null,
        IReadOnlyDictionary<string, string>? settings = null) =>
        new(sql, $"test-{Guid.NewGuid():N}", settings, parameters);
}
