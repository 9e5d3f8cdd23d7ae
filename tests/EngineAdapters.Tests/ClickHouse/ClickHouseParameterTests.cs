using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;

namespace Hera.EngineAdapters.Tests.ClickHouse;

public sealed class ClickHouseParameterTests : IAsyncLifetime
{
    private ClickHouseTestDatabase _database = null!;

    private ClickHouseEngineAdapter Adapter => _database.Adapter;

    public async Task InitializeAsync() => _database = await ClickHouseTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    public static TheoryData<string, object?, string, object?> Values => new()
    {
        { "long", 42L, "UInt8", 42L },
        { "negative long", -5L, "Int8", -5L },
        { "long min", long.MinValue, "Int64", long.MinValue },
        { "int", 7, "UInt8", 7L },
        { "double", 1.5, "Float64", 1.5 },
        { "whole double", 3.0, "Float64", 3.0 },
        { "nan", double.NaN, "Float64", double.NaN },
        { "infinity", double.PositiveInfinity, "Float64", double.PositiveInfinity },
        { "minus infinity", double.NegativeInfinity, "Float64", double.NegativeInfinity },
        { "decimal", 12.345m, "Decimal(38, 3)", 12.345m },
        { "negative decimal", -0.5m, "Decimal(38, 1)", -0.5m },
        { "bool", true, "UInt8", 1L },
        { "string", "it's a \\ \"test\"\twith\nlines é 中文 😀", "String", "it's a \\ \"test\"\twith\nlines é 中文 😀" },
        { "date", new DateOnly(2026, 2, 28), "Date", new DateOnly(2026, 2, 28) },
        { "timestamp", new DateTime(2026, 2, 28, 23, 59, 58), "DateTime", new DateTime(2026, 2, 28, 23, 59, 58) },
        { "null", null, "Nullable(Nothing)", null },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Each_clr_type_binds_as_a_typed_literal(string label, object? value, string clickHouseType, object? expected)
    {
        var result = await Adapter.QueryAsync("SELECT @p AS v, toTypeName(@p) AS t", parameters: new Dictionary<string, object?> { ["p"] = value });

        Assert.True(expected is null ? result.SingleRow()[0] is null : expected.Equals(result.SingleRow()[0]), $"{label}: read {result.SingleRow()[0]}");
        Assert.Equal(clickHouseType, result.SingleRow()[1]);
    }

    [Fact]
    public async Task A_negative_value_after_a_minus_is_not_a_comment()
    {
        var result = await Adapter.QueryAsync("SELECT 1-@n, 1-@d", parameters: new Dictionary<string, object?> { ["n"] = -5L, ["d"] = -0.5 });

        Assert.Equal<object?>([6L, 1.5], result.SingleRow());
    }

    [Fact]
    public async Task Placeholders_inside_literals_quoted_identifiers_and_comments_are_left_alone()
    {
        var result = await Adapter.QueryAsync(
            "SELECT '@p' AS s, 'it''s @p' AS doubled, 'a\\'@p' AS escaped, @p AS \"@p\" /* @p */ -- @p",
            parameters: new Dictionary<string, object?> { ["p"] = 1L });

        Assert.Equal<object?>(["@p", "it's @p", "a'@p", 1L], result.SingleRow());
        Assert.Equal(["s", "doubled", "escaped", "@p"], result.Columns.Select(column => column.Name));
    }

    [Fact]
    public async Task An_injection_payload_is_compared_as_a_value()
    {
        const string Payload = "x' OR 1 = 1 OR name = '\\";
        await Adapter.ExecuteAsync("CREATE TABLE users (name String) ENGINE = Memory");
        await Adapter.ExecuteAsync($"INSERT INTO users VALUES ('alice'), ('bob'), ({ClickHouseLiterals.Quote(Payload)})");

        var matches = await Adapter.QueryAsync(
            "SELECT name FROM users WHERE name = @name", parameters: new Dictionary<string, object?> { ["name"] = Payload });
        var none = await Adapter.QueryAsync(
            "SELECT count() FROM users WHERE name = @name", parameters: new Dictionary<string, object?> { ["name"] = "x' OR '1' = '1" });

        Assert.Equal(Payload, matches.Single());
        Assert.Equal(0m, none.Single());
    }

    [Fact]
    public async Task A_placeholder_without_a_value_fails_as_the_callers()
    {
        var exception = await Assert.ThrowsAsync<EngineException>(
            () => Adapter.QueryAsync("SELECT @missing", parameters: new Dictionary<string, object?> { ["other"] = 1L }));

        Assert.Equal(EngineFailureKind.CallerSql, exception.Kind);
        Assert.Equal("HERA_MISSING_PARAMETER", exception.EngineCode);
        Assert.Contains("@missing", exception.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, object> Unrepresentable => new()
    {
        { "a Guid", Guid.Empty },
        { "a date before 1970", new DateOnly(1969, 12, 31) },
        { "a date after 2105", new DateOnly(2106, 1, 1) },
        { "fractional seconds", new DateTime(2026, 1, 1, 0, 0, 0, 500) },
    };

    [Theory]
    [MemberData(nameof(Unrepresentable))]
    public async Task A_value_clickhouse_cannot_hold_exactly_is_refused_not_changed(string label, object value)
    {
        var exception = await Assert.ThrowsAsync<EngineException>(
            () => Adapter.QueryAsync("SELECT @p", parameters: new Dictionary<string, object?> { ["p"] = value }));

        Assert.Equal(EngineFailureKind.CallerSql, exception.Kind);
        Assert.True("HERA_INVALID_PARAMETER" == exception.EngineCode, label);
        Assert.Equal(0, Adapter.Running);
    }
}
