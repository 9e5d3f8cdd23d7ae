using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;

namespace Hera.EngineAdapters.Tests.Postgres;

/// <summary>The adapter's tables, checked without a server.</summary>
public sealed class PostgresTableTests
{
    [Theory]
    [InlineData("42601", EngineFailureKind.CallerSql)]
    [InlineData("22012", EngineFailureKind.CallerSql)]
    [InlineData("22023", EngineFailureKind.CallerSql)]
    [InlineData("23505", EngineFailureKind.CallerSql)]
    [InlineData("08006", EngineFailureKind.Transient)]
    [InlineData("53300", EngineFailureKind.Transient)]
    [InlineData("40001", EngineFailureKind.Transient)]
    [InlineData("40P01", EngineFailureKind.Transient)]
    [InlineData("55P03", EngineFailureKind.Transient)]
    [InlineData("57014", EngineFailureKind.Transient)]
    [InlineData("57P01", EngineFailureKind.Transient)]
    [InlineData("57P03", EngineFailureKind.Transient)]
    [InlineData("55000", EngineFailureKind.Fatal)]
    [InlineData("57P04", EngineFailureKind.Fatal)]
    [InlineData("28000", EngineFailureKind.Fatal)]
    [InlineData("3D000", EngineFailureKind.Fatal)]
    [InlineData("XX001", EngineFailureKind.Fatal)]
    [InlineData("HV000", EngineFailureKind.Fatal)]
    public void Sqlstates_are_blamed_by_code_then_by_class(string sqlState, EngineFailureKind expected) =>
        Assert.Equal(expected, PostgresErrors.Classify(sqlState));

    [Theory]
    [InlineData("numeric(12, 2)", "decimal(12,2)")]
    [InlineData("numeric(5)", "decimal(5,0)")]
    [InlineData("numeric", "decimal")]
    [InlineData("numeric(5, -2)", "decimal")]
    public void Numeric_display_names_become_decimal_types(string displayName, string expected) =>
        Assert.Equal(expected, PostgresTypeMap.DecimalType(displayName));
}
