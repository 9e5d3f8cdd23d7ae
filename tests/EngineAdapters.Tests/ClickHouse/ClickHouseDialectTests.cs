using System.Net;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;
using Hera.EngineAdapters.Demo;

namespace Hera.EngineAdapters.Tests.ClickHouse;

/// <summary>The adapter's tables and text rules, checked without a server.</summary>
public sealed class ClickHouseDialectTests
{
    private const string Engine = "warehouse";

    [Theory]
    [InlineData("Int8", "integer")]
    [InlineData("Int16", "integer")]
    [InlineData("Int32", "integer")]
    [InlineData("UInt8", "integer")]
    [InlineData("UInt16", "integer")]
    [InlineData("Int64", "bigint")]
    [InlineData("UInt32", "bigint")]
    [InlineData("UInt64", "decimal(20,0)")]
    [InlineData("Float32", "double")]
    [InlineData("Float64", "double")]
    [InlineData("Decimal(12, 2)", "decimal(12,2)")]
    [InlineData("Decimal32(4)", "decimal(9,4)")]
    [InlineData("Decimal64(3)", "decimal(18,3)")]
    [InlineData("Decimal128(2)", "decimal(38,2)")]
    [InlineData("String", "varchar")]
    [InlineData("FixedString(5)", "varchar")]
    [InlineData("UUID", "varchar")]
    [InlineData("Enum8('a' = 1, 'b' = 2)", "varchar")]
    [InlineData("Enum16('a' = 1)", "varchar")]
    [InlineData("Date", "date")]
    [InlineData("DateTime", "timestamp")]
    [InlineData("DateTime('Asia/Tokyo')", "timestamp")]
    [InlineData("Nullable(Int32)", "integer")]
    [InlineData("LowCardinality(Nullable(String))", "varchar")]
    [InlineData("Nullable(Decimal(10, 2))", "decimal(10,2)")]
    [InlineData("Array(Nullable(String))", "varchar")]
    [InlineData("Tuple(String, UInt8)", "varchar")]
    [InlineData("Nullable(Nothing)", "unknown")]
    [InlineData("AggregateFunction(uniq, UInt64)", "varchar")]
    public void Type_names_map_to_hera_types(string clickHouseType, string expected) =>
        Assert.Equal(expected, ClickHouseTypeMap.Map(clickHouseType).Type);

    [Theory]
    [InlineData(241, EngineFailureKind.Transient)]
    [InlineData(202, EngineFailureKind.Transient)]
    [InlineData(159, EngineFailureKind.Transient)]
    [InlineData(209, EngineFailureKind.Transient)]
    [InlineData(210, EngineFailureKind.Transient)]
    [InlineData(173, EngineFailureKind.Transient)]
    [InlineData(394, EngineFailureKind.Transient)]
    [InlineData(62, EngineFailureKind.CallerSql)]
    [InlineData(47, EngineFailureKind.CallerSql)]
    [InlineData(60, EngineFailureKind.CallerSql)]
    [InlineData(46, EngineFailureKind.CallerSql)]
    [InlineData(115, EngineFailureKind.CallerSql)]
    [InlineData(53, EngineFailureKind.CallerSql)]
    [InlineData(43, EngineFailureKind.CallerSql)]
    [InlineData(193, EngineFailureKind.Fatal)]
    [InlineData(49, EngineFailureKind.Fatal)]
    [InlineData(31337, EngineFailureKind.Fatal)]
    public void Codes_are_classified_by_the_table(int code, EngineFailureKind kind) =>
        Assert.Equal(kind, ClickHouseErrors.Classify(code).Kind);

    [Fact]
    public void A_limit_the_statement_set_itself_is_the_callers()
    {
        var settings = new Dictionary<string, string> { ["max_execution_time"] = "5" };

        Assert.Equal(EngineFailureKind.CallerSql, ClickHouseErrors.Classify(159, settings).Kind);
        Assert.Equal(EngineFailureKind.Transient, ClickHouseErrors.Classify(241, settings).Kind);
    }

    [Fact]
    public void Error_text_is_parsed_into_code_and_message()
    {
        var parsed = ClickHouseErrors.TryParse(
            "Code: 241, e.displayText() = DB::Exception: Memory limit (for query) exceeded, e.what() = DB::Exception\n",
            out var code,
            out var message);

        Assert.True(parsed);
        Assert.Equal(241, code);
        Assert.Equal("Memory limit (for query) exceeded", message);
    }

    [Theory]
    [InlineData("Code: 395, e.displayText() = DB::Exception: boom, e.what() = DB::Exception\n", true)]
    [InlineData("12\t3Code: 395, e.displayText() = DB::Exception: boom, e.what() = DB::Exception\n", true)]
    [InlineData("Code: 62, e.displayText() = DB::Exception: looks like one\nafter\n", false)]
    [InlineData("Code: 62, e.displayText() = no e.what at the end\n", false)]
    public void An_error_tail_must_run_to_the_end_of_the_body(string tail, bool isError) =>
        Assert.Equal(isError, ClickHouseErrors.TryParseTail(tail, out _, out _));

    [Fact]
    public void A_proxy_error_without_clickhouse_text_is_classified_by_status()
    {
        var gateway = ClickHouseErrors.FromResponse(Engine, HttpStatusCode.BadGateway, "<html>bad gateway</html>");
        var forbidden = ClickHouseErrors.FromResponse(Engine, HttpStatusCode.Forbidden, "denied");

        Assert.Equal(("HTTP_502", EngineFailureKind.Transient), (gateway.EngineCode, gateway.Kind));
        Assert.Equal(("HTTP_403", EngineFailureKind.Fatal), (forbidden.EngineCode, forbidden.Kind));
    }

    public static TheoryData<object?, string> Literals => new()
    {
        { null, "NULL" },
        { true, "1" },
        { 42L, "42" },
        { -5L, "(-5)" },
        { 1.5, "toFloat64(1.5)" },
        { -2.0, "toFloat64(-2)" },
        { double.NaN, "nan" },
        { double.NegativeInfinity, "(-inf)" },
        { 12.30m, "toDecimal128('12.30', 2)" },
        { "it's \\ \n\t\0", "'it\\'s \\\\ \\n\\t\\0'" },
        { new DateOnly(2026, 1, 2), "toDate('2026-01-02')" },
        { new DateTime(2026, 1, 2, 3, 4, 5), "toDateTime('2026-01-02 03:04:05')" },
    };

    [Theory]
    [MemberData(nameof(Literals))]
    public void Values_render_as_typed_escaped_literals(object? value, string literal) =>
        Assert.Equal(literal, ClickHouseLiterals.Render(value));

    [Theory]
    [InlineData("SELECT @a, '@a', \"@a\", `@a` -- @a\n/* @a */", "SELECT 7, '@a', \"@a\", `@a` -- @a\n/* @a */")]
    [InlineData("SELECT 'it''s', @a", "SELECT 'it''s', 7")]
    [InlineData("SELECT 'a\\'', @a", "SELECT 'a\\'', 7")]
    [InlineData("SELECT @a+@a", "SELECT 7+7")]
    [InlineData("SELECT 'unterminated @a", "SELECT 'unterminated @a")]
    public void Placeholders_are_replaced_only_outside_literals_identifiers_and_comments(string sql, string expected) =>
        Assert.Equal(expected, ClickHouseStatement.Prepare(Engine, sql, new Dictionary<string, object?> { ["a"] = 7L }));

    [Theory]
    [InlineData("SELECT k, count() FROM t GROUP BY k WITH TOTALS")]
    [InlineData("select 1 format JSONEachRow ;")]
    [InlineData("SELECT 1 FORMAT `TSV`")]
    public void Statements_the_stream_cannot_read_faithfully_are_refused(string sql)
    {
        var exception = Assert.Throws<EngineException>(() => ClickHouseStatement.Prepare(Engine, sql, null));

        Assert.Equal(("HERA_UNSUPPORTED", EngineFailureKind.CallerSql), (exception.EngineCode, exception.Kind));
    }

    [Theory]
    [InlineData("SELECT format FROM t")]
    [InlineData("INSERT INTO t FORMAT TabSeparated")]
    [InlineData("SELECT 'WITH TOTALS' -- WITH TOTALS")]
    [InlineData("SELECT * FROM (SELECT k FROM t GROUP BY k WITH TOTALS)")]
    public void Look_alikes_of_refused_constructs_pass(string sql) =>
        Assert.Equal(sql, ClickHouseStatement.Prepare(Engine, sql, null));

    [Fact]
    public void Settings_merge_defaults_command_and_pinned_values()
    {
        var merged = ClickHouseSettings.Merge(
            Engine,
            new Dictionary<string, string> { ["join_use_nulls"] = "1", ["max_threads"] = "8" },
            new Dictionary<string, string> { ["max_threads"] = "2", ["extremes"] = "0" });

        Assert.Equal([("extremes", "0"), ("join_use_nulls", "1"), ("max_threads", "2")], merged.Select(pair => (pair.Key, pair.Value)));
    }

    [Theory]
    [InlineData("ftp://host:8123")]
    [InlineData("127.0.0.1:8123")]
    [InlineData("http://host:8123/?databse=typo")]
    public void Unusable_urls_are_refused_at_construction(string url) =>
        Assert.Throws<ArgumentException>(() => new ClickHouseEngineAdapter(Engine, url));

    [Fact]
    public void Credentials_travel_as_basic_authentication_and_never_in_the_url()
    {
        var endpoint = ClickHouseEndpoint.Parse("http://hera:p%40ss@db.example:8123/?database=shop");

        Assert.Equal(("hera", "p@ss", "shop"), (endpoint.User, endpoint.Password, endpoint.Database));
        Assert.Equal("http://db.example:8123/?database=shop&query_id=x", endpoint.RequestUri([new("query_id", "x")]).ToString());
        Assert.Equal("Basic", endpoint.Authorization!.Scheme);
        Assert.DoesNotContain("p@ss", endpoint.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Options_out_of_range_are_refused_at_construction()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClickHouseEngineAdapter(
            Engine, "http://127.0.0.1:1", new ClickHouseEngineOptions { KillTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClickHouseEngineAdapter(
            Engine, "http://127.0.0.1:1", new ClickHouseEngineOptions { InsertBatchRows = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClickHouseEngineAdapter(
            Engine, "http://127.0.0.1:1", new ClickHouseEngineOptions { DefaultSettings = new Dictionary<string, string> { ["query_id"] = "x" } }));
    }

    [Fact]
    public void Create_table_statements_use_clickhouse_types_and_mergetree()
    {
        Assert.Equal(
            "CREATE TABLE users (user_id Int64, name String, city String, age Nullable(Int32), gender Nullable(String), registered_at Date) "
            + "ENGINE = MergeTree() ORDER BY (user_id)",
            ClickHouseShopLoader.CreateTableSql(ShopSchema.Users));
        Assert.Equal(
            "CREATE TABLE order_items (order_id Int64, line_no Int32, item_id Int64, quantity Int32, unit_price Decimal(12, 2), "
            + "discount Decimal(12, 2), dt Date) ENGINE = MergeTree() PARTITION BY toYYYYMM(dt) ORDER BY (dt, order_id, line_no)",
            ClickHouseShopLoader.CreateTableSql(ShopSchema.OrderItems));
    }

    [Fact]
    public void Tab_separated_input_escapes_text_and_writes_null_as_backslash_n()
    {
        var writer = new ClickHouseTsvWriter();

        writer.WriteRow([1, 2L, 12.30m, "a\tb\nc\\d", null, new DateOnly(2026, 1, 2), new DateTime(2026, 1, 2, 3, 4, 5)]);

        Assert.Equal(
            "1\t2\t12.30\ta\\tb\\nc\\\\d\t\\N\t2026-01-02\t2026-01-02 03:04:05\n",
            System.Text.Encoding.UTF8.GetString(writer.Written.Span));
        Assert.Equal(1, writer.Rows);
    }
}
