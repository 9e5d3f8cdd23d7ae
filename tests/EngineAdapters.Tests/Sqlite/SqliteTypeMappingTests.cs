using System.Globalization;
using Hera.EngineAdapters.Sqlite;
using Hera.EngineAdapters.Tests.TestSupport;
using SQLitePCL;

namespace Hera.EngineAdapters.Tests.Sqlite;

public sealed class SqliteTypeMappingTests : IDisposable
{
    private readonly SqliteTestDatabase _database = new();

    public static TheoryData<string, string, string, object?> DeclaredColumns => new()
    {
        { "INTEGER", "42", "bigint", 42L },
        { "BIGINT", "9007199254740993", "bigint", 9007199254740993L },
        { "INT", "7", "integer", 7L },
        { "SMALLINT", "-3", "integer", -3L },
        { "REAL", "1.5", "double", 1.5 },
        { "DOUBLE", "2", "double", 2.0 },
        { "FLOAT", "0.25", "double", 0.25 },
        { "DECIMAL(12,2)", "19.99", "decimal(12,2)", 19.99m },
        { "DECIMAL(12, 2)", "20", "decimal(12,2)", 20.00m },
        { "NUMERIC(10)", "5", "decimal(10,0)", 5m },
        { "NUMERIC", "'3.25'", "decimal", 3.25m },
        { "TEXT", "'Café Ünïcode 中文'", "varchar", "Café Ünïcode 中文" },
        { "VARCHAR(20)", "'abc'", "varchar", "abc" },
        { "DATE", "'2026-01-31'", "date", new DateOnly(2026, 1, 31) },
        { "TIMESTAMP", "'2026-01-31 23:59:58'", "timestamp", new DateTime(2026, 1, 31, 23, 59, 58) },
        { "DATETIME", "'2026-01-31 23:59:58.125'", "timestamp", new DateTime(2026, 1, 31, 23, 59, 58, 125) },
        { "TIMESTAMP", "'2026-02-01T08:00:00'", "timestamp", new DateTime(2026, 2, 1, 8, 0, 0) },
        { "BOOLEAN", "1", "boolean", true },
        { "BOOLEAN", "0", "boolean", false },
        { "BOOL", "'true'", "boolean", true },
        { "BLOB", "x'00ff10'", "varbinary", new byte[] { 0x00, 0xff, 0x10 } },
        { "JSON", "'{\"a\":1}'", "varchar", "{\"a\":1}" },
        { "POINT", "3", "bigint", 3L },
        { "INTEGER", "NULL", "bigint", null },
        { "DATE", "NULL", "date", null },
    };

    [Theory]
    [MemberData(nameof(DeclaredColumns))]
    public async Task Declared_columns_map_to_neutral_types_and_values(string declared, string literal, string type, object? value)
    {
        var result = await _database.QueryAsync($"CREATE TABLE t (v {declared}); INSERT INTO t VALUES ({literal}); SELECT v FROM t");

        Assert.Equal([type], result.Types);
        var actual = result.Single();
        Assert.Equal(value, actual);
        Assert.Equal(value?.GetType(), actual?.GetType());
        if (actual is DateTime timestamp)
        {
            Assert.Equal(DateTimeKind.Unspecified, timestamp.Kind);
        }
    }

    [Fact]
    public async Task Expression_columns_take_the_type_of_the_first_row()
    {
        var result = await _database.QueryAsync("SELECT 1 + 1 AS i, 1.5 * 2 AS d, 'x' || 'y' AS s, x'01' AS b, NULL AS n");

        Assert.Equal(["i", "d", "s", "b", "n"], result.Columns.Select(column => column.Name));
        Assert.Equal(["bigint", "double", "varchar", "varbinary", "unknown"], result.Types);
        Assert.Equal([2L, 3.0, "xy", new byte[] { 1 }, null], Assert.Single(result.Rows));
    }

    [Fact]
    public async Task Expression_values_after_the_first_row_keep_their_stored_type()
    {
        var result = await _database.QueryAsync("SELECT 1 AS v UNION ALL SELECT 'two' UNION ALL SELECT 2.5 UNION ALL SELECT NULL");

        Assert.Equal(["bigint"], result.Types);
        Assert.Equal([1L, "two", 2.5, null], result.Rows.Select(row => row[0]));
    }

    [Fact]
    public async Task Values_that_do_not_fit_the_declared_type_come_back_as_stored()
    {
        var result = await _database.QueryAsync(
            "CREATE TABLE t (c INT, d DATE, ts TIMESTAMP, m DECIMAL(12,2), b BOOLEAN, x BLOB);" +
            "INSERT INTO t VALUES ('abc', 20260101, 'yesterday', 'n/a', 2, 'text');" +
            "SELECT * FROM t");

        Assert.Equal(["integer", "date", "timestamp", "decimal(12,2)", "boolean", "varbinary"], result.Types);
        Assert.Equal(["abc", 20260101L, "yesterday", "n/a", 2L, "text"], Assert.Single(result.Rows));
    }

    [Fact]
    public async Task Numbers_stored_in_a_varchar_column_are_read_as_sqlite_renders_them()
    {
        // STRING has numeric affinity in SQLite, so the numbers stay numbers on disk.
        var result = await _database.QueryAsync("CREATE TABLE t (s STRING); INSERT INTO t VALUES (12), (1.5), ('x'); SELECT s FROM t");

        Assert.Equal(["varchar"], result.Types);
        Assert.Equal(["12", "1.5", "x"], result.Rows.Select(row => row[0]));
    }

    [Fact]
    public async Task Decimal_values_carry_the_declared_scale()
    {
        var result = await _database.QueryAsync(
            "CREATE TABLE t (m DECIMAL(12,2)); INSERT INTO t VALUES (20), (12.5), (0.1), (-3.456); SELECT m FROM t");

        var texts = result.Rows.Select(row => ((decimal)row[0]!).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(["20.00", "12.50", "0.10", "-3.46"], texts);
    }

    [Fact]
    public async Task Non_ascii_strings_round_trip()
    {
        string[] values = ["Café Ünïcode", "中文字符 测试", "emoji 🙂 ok", "  spaced  out  ", "MiXeD CaSe"];
        var inserts = string.Join(", ", values.Select(value => $"('{value}')"));

        var result = await _database.QueryAsync($"CREATE TABLE t (s TEXT); INSERT INTO t VALUES {inserts}; SELECT s FROM t");

        Assert.Equal(values, result.Rows.Select(row => row[0]));
    }

    [Fact]
    public async Task An_empty_result_still_reports_declared_columns()
    {
        var result = await _database.QueryAsync(
            "CREATE TABLE t (id BIGINT, d DATE); SELECT id, d, id + 1 AS e FROM t WHERE 0");

        Assert.Empty(result.Rows);
        Assert.Equal(["bigint", "date", "unknown"], result.Types);
    }

    [Fact]
    public async Task A_script_returns_the_rows_of_its_last_statement()
    {
        var result = await _database.QueryAsync(
            "CREATE TABLE t (v INT); INSERT INTO t VALUES (1), (2); SELECT 99; -- ignored rows above\n SELECT sum(v) AS total FROM t; /* trailing */ ;");

        Assert.Equal(3L, result.Single());
        Assert.Equal("total", Assert.Single(result.Columns).Name);
    }

    [Fact]
    public async Task A_statement_without_rows_gives_no_columns_and_no_rows()
    {
        var result = await _database.QueryAsync("CREATE TABLE t (v INT)");

        Assert.Empty(result.Columns);
        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData("UNSIGNED BIG INT", "bigint")]
    [InlineData("  varchar ( 10 ) ", "varchar")]
    [InlineData("decimal(38,10)", "decimal(38,10)")]
    [InlineData("DECIMAL(2,5)", "decimal")]
    [InlineData("NATIVE CHARACTER(70)", "varchar")]
    [InlineData("DOUBLE PRECISION", "double")]
    [InlineData("FLOATING POINT", "bigint")]
    public void Declared_type_names_follow_the_table_then_sqlite_affinity(string declared, string type)
    {
        Assert.Equal(type, SqliteTypeMap.Map(declared, raw.SQLITE_NULL).Type);
    }

    [Fact]
    public void Integers_convert_to_double_only_while_exact()
    {
        var column = new SqliteColumnType("double", SqliteValueKind.Double);

        Assert.Equal(9007199254740992.0, SqliteValues.FromInteger(1L << 53, column));
        Assert.Equal((1L << 53) + 1, SqliteValues.FromInteger((1L << 53) + 1, column));
        Assert.Equal(long.MinValue, SqliteValues.FromInteger(long.MinValue, column));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("  ;; \n", false)]
    [InlineData("-- only a comment", false)]
    [InlineData("/* block */ ; -- line\n", false)]
    [InlineData("/* unterminated", false)]
    [InlineData("; SELECT 1", true)]
    [InlineData("-- c\nSELECT 1", true)]
    public void Script_tail_detection_skips_whitespace_semicolons_and_comments(string tail, bool more)
    {
        Assert.Equal(more, SqliteScript.HasMoreStatements(System.Text.Encoding.UTF8.GetBytes(tail)));
    }

    public void Dispose() => _database.Dispose();
}
