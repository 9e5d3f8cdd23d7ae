using Npgsql;

namespace Hera.Silo.Tests.Storage;

/// <summary>
/// A schema of its own on the test PostgreSQL server (<c>HERA_TEST_PG</c>), created empty and dropped with
/// everything in it. Without the variable it throws: CI always sets it, and a skipped store suite would pass silently.
/// </summary>
internal sealed class PostgresTestSchema : IDisposable
{
    private const string Variable = "HERA_TEST_PG";

    private PostgresTestSchema(string server, string name)
    {
        Server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = name }.ConnectionString;
    }

    /// <summary>The server's connection string, without a search path.</summary>
    public string Server { get; }

    /// <summary>The schema's name, <c>hera_t_&lt;guid&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>The server's connection string routed to this schema.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a fresh schema.</summary>
    public static PostgresTestSchema Create()
    {
        var server = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: the PostgreSQL grid store tests need a server. Run env_lines=\"$(scripts/test-services.sh start)\"; eval \"$env_lines\" first.");
        var schema = new PostgresTestSchema(server, $"hera_t_{Guid.NewGuid():N}");
        schema.Execute($"CREATE SCHEMA {schema.Name}");
        return schema;
    }

    /// <summary>Runs one statement on a connection of its own (outside the schema's search path).</summary>
    public void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(Server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Ends the server sessions matching <paramref name="where"/> (a condition on <c>pg_stat_activity</c>
    /// or <c>pg_locks</c> columns, as given by <paramref name="from"/>); returns how many it ended.</summary>
    public async Task<int> TerminateAsync(string from, string where, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(pg_terminate_backend(pid)) FROM {from} WHERE {where} AND pid <> pg_backend_pid()", connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Drops the schema and everything in it.</summary>
    public void Dispose()
    {
        Execute($"DROP SCHEMA IF EXISTS {Name} CASCADE");
    }
}
