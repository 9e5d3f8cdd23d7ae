using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;

namespace Hera.EngineAdapters.Tests.ClickHouse;

public sealed class ClickHouseTypeMappingTests : IAsyncLifetime
{
    private readonly ClickHouseEngineAdapter _adapter = ClickHouseTestServer.Adapter();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _adapter.DisposeAsync();

    [Fact]
    public async Task Integer_types_read_as_long_with_their_extremes()
    {
        var result = await _adapter.QueryAsync(
            "SELECT toInt8(-128), toInt16(32767), toInt32(-2147483648), toUInt8(255), toUInt16(65535), "
            + "toInt64(-9223372036854775808), toUInt32(4294967295)");

        Assert.Equal(["integer", "integer", "integer", "integer", "integer", "bigint", "bigint"], result.Types);
        Assert.Equal<object?>([-128L, 32767L, -2147483648L, 255L, 65535L, long.MinValue, 4294967295L], result.SingleRow());
    }

    [Fact]
    public async Task UInt64_max_reads_exactly_as_a_decimal()
    {
        var result = await _adapter.QueryAsync("SELECT toUInt64(18446744073709551615) AS u");

        Assert.Equal("decimal(20,0)", Assert.Single(result.Types));
        Assert.Equal(18446744073709551615m, result.Single());
    }

    [Fact]
    public async Task Decimals_read_exactly_with_their_scale()
    {
        var result = await _adapter.QueryAsync(
            "SELECT toDecimal64('12345678901234.5678', 4) AS d, toDecimal32('-0.05', 2) AS small, "
            + "toDecimal128('1234567890123456789012345.123', 3) AS big, CAST('19.90' AS Decimal(12, 2)) AS money");

        Assert.Equal(["decimal(18,4)", "decimal(9,2)", "decimal(38,3)", "decimal(12,2)"], result.Types);
        var row = result.SingleRow();
        Assert.Equal(12345678901234.5678m, row[0]);
        Assert.Equal(-0.05m, row[1]);
        Assert.Equal(1234567890123456789012345.123m, row[2]);
        Assert.Equal("19.90", ((decimal)row[3]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_decimal_beyond_dotnet_range_fails_as_the_callers_value_out_of_range()
    {
        var exception = await Assert.ThrowsAsync<EngineException>(
            () => _adapter.QueryAsync("SELECT toDecimal128('99999999999999999999999999999999999', 0) AS huge"));

        Assert.Equal(EngineFailureKind.CallerSql, exception.Kind);
        Assert.Equal("HERA_VALUE_OUT_OF_RANGE", exception.EngineCode);
        Assert.Contains("huge", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Floats_read_as_double_including_nan_and_infinities()
    {
        var result = await _adapter.QueryAsync("SELECT toFloat32(0.5), toFloat64(-1.25e100), nan, inf, -inf");

        Assert.All(result.Types, type => Assert.Equal("double", type));
        Assert.Equal<object?>([0.5, -1.25e100, double.NaN, double.PositiveInfinity, double.NegativeInfinity], result.SingleRow());
    }

    [Fact]
    public async Task Strings_round_trip_non_ascii_and_escaped_characters()
    {
        var result = await _adapter.QueryAsync(
            "SELECT 'é 中文 😀' AS unicode, 'tab\\there\\nnewline\\\\backslash\\'quote' AS escaped, '' AS empty, "
            + "'\\0nul' AS nul, 'a\\\\N' AS not_null");

        Assert.Equal<object?>(["é 中文 😀", "tab\there\nnewline\\backslash'quote", "", "\0nul", "a\\N"], result.SingleRow());
    }

    [Fact]
    public async Task FixedString_padding_is_trimmed_and_enum_uuid_low_cardinality_read_as_text()
    {
        var result = await _adapter.QueryAsync(
            "SELECT toFixedString('ab', 5) AS f, CAST('b' AS Enum8('a' = 1, 'b' = 2)) AS e, "
            + "toUUID('00000000-0000-0000-0000-000000000001') AS u, toLowCardinality('low') AS l");

        Assert.All(result.Types, type => Assert.Equal("varchar", type));
        Assert.Equal<object?>(["ab", "b", "00000000-0000-0000-0000-000000000001", "low"], result.SingleRow());
    }

    [Fact]
    public async Task Dates_and_timestamps_read_as_dateonly_and_unspecified_datetime()
    {
        var result = await _adapter.QueryAsync(
            "SELECT toDate('2026-01-02') AS d, toDateTime('2026-01-02 03:04:05') AS t, "
            + "toDateTime('2026-01-02 03:04:05', 'Asia/Tokyo') AS tokyo, toDate(0) AS zero");

        Assert.Equal(["date", "timestamp", "timestamp", "date"], result.Types);
        var row = result.SingleRow();
        Assert.Equal(new DateOnly(2026, 1, 2), row[0]);
        var timestamp = Assert.IsType<DateTime>(row[1]);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5), timestamp);
        Assert.Equal(DateTimeKind.Unspecified, timestamp.Kind);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5), row[2]);
        Assert.Equal(new DateOnly(1970, 1, 1), row[3]);
    }

    [Fact]
    public async Task Every_nullable_type_reads_null_as_null()
    {
        var result = await _adapter.QueryAsync(
            "SELECT CAST(NULL AS Nullable(Int32)), CAST(NULL AS Nullable(UInt64)), CAST(NULL AS Nullable(Float64)), "
            + "CAST(NULL AS Nullable(Decimal(12, 2))), CAST(NULL AS Nullable(String)), CAST(NULL AS Nullable(FixedString(3))), "
            + "CAST(NULL AS Nullable(Date)), CAST(NULL AS Nullable(DateTime)), toLowCardinality(CAST(NULL AS Nullable(String))), NULL");

        Assert.Equal(
            ["integer", "decimal(20,0)", "double", "decimal(12,2)", "varchar", "varchar", "date", "timestamp", "varchar", "unknown"],
            result.Types);
        Assert.All(result.SingleRow(), Assert.Null);
    }

    [Fact]
    public async Task Arrays_and_tuples_read_as_their_clickhouse_text()
    {
        var result = await _adapter.QueryAsync("SELECT ['a\\tb', 'c\\'d'] AS arr, (1, 'x') AS tup, [1, 2] AS nums");

        Assert.Equal(["varchar", "varchar", "varchar"], result.Types);
        Assert.Equal<object?>(["['a\\tb','c\\'d']", "(1,'x')", "[1,2]"], result.SingleRow());
    }

    [Fact]
    public async Task Column_names_with_quotes_and_tabs_are_unescaped()
    {
        var result = await _adapter.QueryAsync("SELECT 1 AS `it's`, 2 AS `a\tb`, 'x' = 'x'");

        Assert.Equal(["it's", "a\tb", "equals('x', 'x')"], result.Columns.Select(column => column.Name));
    }
}
