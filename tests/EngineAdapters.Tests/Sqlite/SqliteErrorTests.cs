using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Sqlite;
using Hera.EngineAdapters.Tests.TestSupport;
using SQLitePCL;

namespace Hera.EngineAdapters.Tests.Sqlite;

public sealed class SqliteErrorTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task Syntax_error_is_caller_sql_with_sqlite_error_and_sqlite_message()
    {
        var error = await FailAsync("SELEC 1");

        Assert.Equal("local", error.Engine);
        Assert.Equal(EngineFailureKind.CallerSql, error.Kind);
        Assert.Equal("SQLITE_ERROR", error.EngineCode);
        Assert.Equal("near \"SELEC\": syntax error", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Unknown_table_is_caller_sql()
    {
        var error = await FailAsync("SELECT * FROM nope");

        Assert.Equal((EngineFailureKind.CallerSql, "SQLITE_ERROR"), (error.Kind, error.EngineCode));
        Assert.Equal("no such table: nope", error.Message);
    }

    [Fact]
    public async Task Unknown_column_is_caller_sql()
    {
        var error = await FailAsync("CREATE TABLE t (a INT); SELECT b FROM t");

        Assert.Equal((EngineFailureKind.CallerSql, "SQLITE_ERROR"), (error.Kind, error.EngineCode));
        Assert.Equal("no such column: b", error.Message);
    }

    [Fact]
    public async Task Constraint_violation_is_caller_sql()
    {
        var error = await FailAsync("CREATE TABLE t (a INT PRIMARY KEY); INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)");

        Assert.Equal((EngineFailureKind.CallerSql, "SQLITE_CONSTRAINT"), (error.Kind, error.EngineCode));
        Assert.Contains("UNIQUE constraint failed: t.a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Datatype_mismatch_is_caller_sql()
    {
        var error = await FailAsync("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES ('x')");

        Assert.Equal((EngineFailureKind.CallerSql, "SQLITE_MISMATCH"), (error.Kind, error.EngineCode));
    }

    [Fact]
    public async Task A_statement_failing_after_some_rows_fails_the_read()
    {
        await using var stream = await _database.Adapter.ExecuteAsync(
            EngineAdapterTestExtensions.Command("SELECT 1 UNION ALL SELECT abs(-9223372036854775807 - 1)"), CancellationToken.None);
        Assert.True(await stream.ReadAsync(CancellationToken.None));

        var error = await Assert.ThrowsAsync<EngineException>(async () => await stream.ReadAsync(CancellationToken.None));

        Assert.Equal("integer overflow", error.Message);
    }

    [Fact]
    public async Task An_unopenable_path_is_transient_cantopen()
    {
        await using var adapter = new SqliteEngineAdapter("far", Path.Combine(_database.Directory, "missing-dir", "x.db"));

        var error = await Assert.ThrowsAsync<EngineException>(() => adapter.QueryAsync("SELECT 1"));

        Assert.Equal(("far", EngineFailureKind.Transient, "SQLITE_CANTOPEN"), (error.Engine, error.Kind, error.EngineCode));
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_missing_file_is_not_created_unless_asked()
    {
        var path = Path.Combine(_database.Directory, "absent.db");
        await using var adapter = new SqliteEngineAdapter("local", path);

        var error = await Assert.ThrowsAsync<EngineException>(() => adapter.QueryAsync("SELECT 1"));

        Assert.Equal("SQLITE_CANTOPEN", error.EngineCode);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task A_database_locked_by_another_writer_is_transient_busy()
    {
        _database.Execute("CREATE TABLE t (v INT)");
        await _database.QueryAsync("SELECT 1");
        using var writer = _database.OpenDirect();
        Assert.Equal(raw.SQLITE_OK, raw.sqlite3_exec(writer.Handle, "BEGIN IMMEDIATE"));
        await using var impatient = new SqliteEngineAdapter(
            "local", _database.Path, SqliteEngineOptions.Default with { BusyTimeout = TimeSpan.FromMilliseconds(50) });

        var error = await Assert.ThrowsAsync<EngineException>(() => impatient.QueryAsync("INSERT INTO t VALUES (1)"));

        Assert.Equal((EngineFailureKind.Transient, "SQLITE_BUSY"), (error.Kind, error.EngineCode));
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_is_fatal()
    {
        var path = Path.Combine(_database.Directory, "garbage.db");
        await File.WriteAllTextAsync(path, new string('x', 4096));
        await using var adapter = new SqliteEngineAdapter("local", path, SqliteEngineOptions.Default with { UseWriteAheadLog = false });

        var error = await Assert.ThrowsAsync<EngineException>(() => adapter.QueryAsync("SELECT * FROM sqlite_master"));

        Assert.Equal((EngineFailureKind.Fatal, "SQLITE_NOTADB"), (error.Kind, error.EngineCode));
    }

    [Theory]
    [InlineData(raw.SQLITE_ERROR, "SQLITE_ERROR", EngineFailureKind.CallerSql)]
    [InlineData(raw.SQLITE_CONSTRAINT, "SQLITE_CONSTRAINT", EngineFailureKind.CallerSql)]
    [InlineData(raw.SQLITE_MISMATCH, "SQLITE_MISMATCH", EngineFailureKind.CallerSql)]
    [InlineData(raw.SQLITE_BUSY, "SQLITE_BUSY", EngineFailureKind.Transient)]
    [InlineData(raw.SQLITE_LOCKED, "SQLITE_LOCKED", EngineFailureKind.Transient)]
    [InlineData(raw.SQLITE_IOERR, "SQLITE_IOERR", EngineFailureKind.Transient)]
    [InlineData(raw.SQLITE_FULL, "SQLITE_FULL", EngineFailureKind.Transient)]
    [InlineData(raw.SQLITE_CANTOPEN, "SQLITE_CANTOPEN", EngineFailureKind.Transient)]
    [InlineData(raw.SQLITE_CORRUPT, "SQLITE_CORRUPT", EngineFailureKind.Fatal)]
    [InlineData(raw.SQLITE_READONLY, "SQLITE_READONLY", EngineFailureKind.Fatal)]
    [InlineData(2067, "SQLITE_CONSTRAINT", EngineFailureKind.CallerSql)]
    [InlineData(266, "SQLITE_IOERR", EngineFailureKind.Transient)]
    [InlineData(99, "SQLITE_UNKNOWN_99", EngineFailureKind.Fatal)]
    public void Result_codes_classify_by_their_primary_code(int resultCode, string symbol, EngineFailureKind kind)
    {
        Assert.Equal(new SqliteErrorClass(symbol, kind), SqliteErrors.Classify(resultCode));
    }

    [Fact]
    public void Every_primary_result_code_up_to_notadb_is_classified()
    {
        Assert.All(Enumerable.Range(raw.SQLITE_ERROR, raw.SQLITE_NOTADB), code => Assert.Contains(code, SqliteErrors.Codes.Keys));
    }

    private async Task<EngineException> FailAsync(string sql) =>
        await Assert.ThrowsAsync<EngineException>(() => _database.QueryAsync(sql));

    public void Dispose() => _database.Dispose();
}
