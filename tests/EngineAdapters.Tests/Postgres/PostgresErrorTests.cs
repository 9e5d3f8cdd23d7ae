using System.Net;
using System.Net.Sockets;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;

namespace Hera.EngineAdapters.Tests.Postgres;

public sealed class PostgresErrorTests : IAsyncLifetime
{
    // A generous bound on "promptly": a test that waits this long has found a read that never ends.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private PostgresTestSchema _schema = null!;

    private PostgresEngineAdapter Adapter => _schema.Adapter;

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Theory]
    [InlineData("SELEC 1", "42601", "syntax error")]
    [InlineData("SELECT nope FROM (SELECT 1 AS a) t", "42703", "nope")]
    [InlineData("SELECT * FROM no_such_table", "42P01", "no_such_table")]
    [InlineData("SELECT no_such_function(1)", "42883", "no_such_function")]
    [InlineData("SELECT 1 / (x - 3) FROM generate_series(1, 5) x", "22012", "division by zero")]
    [InlineData("SELECT 'abc'::int", "22P02", "abc")]
    public async Task Caller_sql_errors_keep_the_sqlstate_and_the_server_message(string sql, string sqlState, string inMessage)
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => Adapter.RunAsync(sql));

        Assert.Equal((EngineFailureKind.CallerSql, sqlState, "pg"), (error.Kind, error.EngineCode, error.Engine));
        Assert.Contains(inMessage, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task An_error_after_rows_were_read_fails_the_read_and_ends_the_stream()
    {
        // A thousand rows of 100 bytes leave the server before the division by zero does.
        await using var stream = await Adapter.ExecuteAsync(
            PostgresCommands.Command("SELECT x, repeat('y', 100), 1 / (x - 1000) FROM generate_series(1, 2000) x"), CancellationToken.None);
        Assert.True(await stream.ReadAsync(CancellationToken.None));

        var error = await Assert.ThrowsAsync<EngineException>(() => ReadToEndAsync(stream).WaitAsync(Deadline));

        Assert.Equal((EngineFailureKind.CallerSql, "22012"), (error.Kind, error.EngineCode));
        Assert.False(await stream.ReadAsync(CancellationToken.None));
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task A_failed_statement_gives_its_connection_back_to_the_pool()
    {
        await using var adapter = new PostgresEngineAdapter(
            "pg", _schema.ConnectionStringWith(builder => (builder.MaxPoolSize, builder.Timeout) = (1, 5)));

        await Assert.ThrowsAsync<EngineException>(() => adapter.RunAsync("SELECT 1 / 0"));
        await Assert.ThrowsAsync<EngineException>(() => adapter.RunAsync("SELEC"));

        Assert.Equal(1L, (await adapter.RunAsync("SELECT 1")).Single());
    }

    [Fact]
    public async Task A_connection_to_a_closed_port_is_transient()
    {
        await using var adapter = new PostgresEngineAdapter(
            "down", PostgresTestServer.With(builder => (builder.Host, builder.Port, builder.Timeout) = ("127.0.0.1", ClosedPort(), 5)));

        var error = await Assert.ThrowsAsync<EngineException>(() => adapter.RunAsync("SELECT 1"));

        Assert.Equal((EngineFailureKind.Transient, "HERA_CONNECTION", "down"), (error.Kind, error.EngineCode, error.Engine));
        Assert.Equal(0, adapter.Running);
    }

    [Fact]
    public async Task Wrong_credentials_and_an_unknown_database_are_fatal()
    {
        await using var badPassword = new PostgresEngineAdapter("pg", PostgresTestServer.With(builder => builder.Password = "not-the-password"));
        await using var noDatabase = new PostgresEngineAdapter("pg", PostgresTestServer.With(builder => builder.Database = "hera_no_such_database"));

        var password = await Assert.ThrowsAsync<EngineException>(() => badPassword.RunAsync("SELECT 1"));
        var database = await Assert.ThrowsAsync<EngineException>(() => noDatabase.RunAsync("SELECT 1"));

        Assert.Equal((EngineFailureKind.Fatal, "28P01"), (password.Kind, password.EngineCode));
        Assert.Equal((EngineFailureKind.Fatal, "3D000"), (database.Kind, database.EngineCode));
    }

    [Fact]
    public async Task A_backend_terminated_mid_read_is_transient()
    {
        var command = PostgresCommands.Command("SELECT generate_series(1, 1000000000000) AS n");
        await using var stream = await Adapter.ExecuteAsync(command, CancellationToken.None);
        Assert.True(await stream.ReadAsync(CancellationToken.None));

        Assert.Equal(true, await _schema.ScalarAsync(
            $"SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{command.AttemptId}'"));
        var error = await Assert.ThrowsAsync<EngineException>(() => ReadToEndAsync(stream).WaitAsync(Deadline));

        Assert.Equal(EngineFailureKind.Transient, error.Kind);
        Assert.Contains(error.EngineCode, new[] { "57P01", "HERA_CONNECTION" });
        Assert.Equal(0, Adapter.Running);
    }

    private static async Task ReadToEndAsync(IRowStream stream)
    {
        while (await stream.ReadAsync(CancellationToken.None))
        {
        }
    }

    /// <summary>A port nothing listens on: bound once by the OS for us, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
