using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;

namespace Hera.EngineAdapters.Tests.Postgres;

public sealed class PostgresTypeMappingTests : IAsyncLifetime
{
    private PostgresTestSchema _schema = null!;

    private PostgresEngineAdapter Adapter => _schema.Adapter;

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [Fact]
    public async Task Every_mapped_type_arrives_with_its_hera_type_name_and_clr_value()
    {
        var result = await Adapter.RunAsync("""
            SELECT 1::int2 AS i2, 2::int4 AS i4, 9007199254740993::int8 AS i8,
                   123456789.123::numeric(12,3) AS n, 1.50::numeric(12,2) AS money, 0.1::numeric AS plain,
                   1.5::float8 AS f8, 0.1::float4 AS f4,
                   'é 中文 😀'::text AS t, 'v'::varchar(3) AS v, 'c'::char(3) AS c, 'nm'::name AS nm,
                   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS u, '{"a": 1}'::json AS j, '{"b": 2}'::jsonb AS jb,
                   true AS b, date '2026-01-31' AS d, timestamp '2026-01-31 12:34:56.789' AS ts,
                   timestamptz '2026-01-31 12:34:56+02' AS tz, '\x00ff10'::bytea AS bin
            """);

        Assert.Equal(
            ["i2", "i4", "i8", "n", "money", "plain", "f8", "f4", "t", "v", "c", "nm", "u", "j", "jb", "b", "d", "ts", "tz", "bin"],
            result.Columns.Select(column => column.Name));
        Assert.Equal(
            [
                "integer", "integer", "bigint", "decimal(12,3)", "decimal(12,2)", "decimal", "double", "double",
                "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "boolean", "date", "timestamp",
                "timestamp", "varbinary",
            ],
            result.Types);
        var row = Assert.Single(result.Rows);
        Assert.Equal(
            [
                1L, 2L, 9007199254740993L, 123456789.123m, 1.50m, 0.1m, 1.5, 0.1, "é 中文 😀", "v", "c  ", "nm",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{\"a\": 1}", "{\"b\": 2}", true, new DateOnly(2026, 1, 31),
                new DateTime(2026, 1, 31, 12, 34, 56, 789), new DateTime(2026, 1, 31, 10, 34, 56), new byte[] { 0x00, 0xff, 0x10 },
            ],
            row);
        // Exactness: the declared scale survives, and timestamps carry no kind (timestamptz is converted to UTC).
        Assert.Equal("1.50", ((decimal)row[4]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Unspecified, ((DateTime)row[17]!).Kind);
        Assert.Equal(DateTimeKind.Unspecified, ((DateTime)row[18]!).Kind);
    }

    [Fact]
    public async Task Nulls_of_every_type_are_null_and_keep_the_column_type()
    {
        var result = await Adapter.RunAsync("""
            SELECT NULL::int2, NULL::int4, NULL::int8, NULL::numeric(5,2), NULL::float8, NULL::text, NULL::bool,
                   NULL::date, NULL::timestamp, NULL::timestamptz, NULL::bytea, NULL::interval
            """);

        Assert.Equal(
            ["integer", "integer", "bigint", "decimal(5,2)", "double", "varchar", "boolean", "date", "timestamp", "timestamp", "varbinary", "varchar"],
            result.Types);
        Assert.All(Assert.Single(result.Rows), Assert.Null);
    }

    [Fact]
    public async Task Unmapped_types_are_varchar_in_postgres_own_text_output()
    {
        var result = await Adapter.RunAsync("""
            SELECT interval '1 day 2 hours' AS iv, ARRAY[1, 2, 3] AS arr, 'pg_class'::regclass AS rel,
                   '10.0.0.1'::inet AS ip, time '12:34' AS tm, '[1,5)'::int4range AS r, 7::oid AS o
            """);

        Assert.All(result.Types, type => Assert.Equal("varchar", type));
        Assert.Equal(["1 day 02:00:00", "{1,2,3}", "pg_class", "10.0.0.1", "12:34:00", "[1,5)", "7"], Assert.Single(result.Rows));
    }

    [Fact]
    public async Task A_column_from_a_table_maps_by_its_declared_type()
    {
        await _schema.ExecuteAsync("CREATE TABLE prices (id bigint, amount numeric(12,2), note varchar(20), at timestamp)");
        await _schema.ExecuteAsync("INSERT INTO prices VALUES (1, 12.30, NULL, '2026-01-01 00:00:01'), (2, NULL, 'x', NULL)");

        var result = await Adapter.RunAsync("SELECT * FROM prices ORDER BY id");

        Assert.Equal(["bigint", "decimal(12,2)", "varchar", "timestamp"], result.Types);
        Assert.Equal([1L, 12.30m, null, new DateTime(2026, 1, 1, 0, 0, 1)], result.Rows[0]);
        Assert.Equal([2L, null, "x", null], result.Rows[1]);
    }

    [Fact]
    public async Task In_a_script_the_first_statement_with_columns_is_the_result_and_later_ones_still_run()
    {
        await _schema.ExecuteAsync("CREATE TABLE log (v int)");

        var result = await Adapter.RunAsync("SELECT 41 + 1 AS answer; INSERT INTO log VALUES (1)");

        Assert.Equal(42L, result.Single());
        Assert.Equal(1L, await _schema.ScalarAsync("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task A_script_that_creates_what_it_reads_runs_even_though_it_cannot_be_described_first()
    {
        var result = await Adapter.RunAsync("CREATE TEMP TABLE t AS SELECT 5 AS v; SELECT v * 2 AS doubled FROM t");

        Assert.Equal("doubled", Assert.Single(result.Columns).Name);
        Assert.Equal(10L, result.Single());
    }

    [Fact]
    public async Task An_unmapped_type_outside_the_first_statement_is_refused_with_a_hint_to_cast()
    {
        var error = await Assert.ThrowsAsync<EngineException>(
            () => Adapter.RunAsync("SET LOCAL work_mem = '8MB'; SELECT interval '1 day' AS iv"));

        Assert.Equal((EngineFailureKind.CallerSql, "HERA_UNSUPPORTED"), (error.Kind, error.EngineCode));
        Assert.Contains("::text", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Adapter.Running);
    }

    [Fact]
    public async Task A_numeric_that_does_not_fit_a_decimal_fails_as_the_callers_value()
    {
        var error = await Assert.ThrowsAsync<EngineException>(() => Adapter.RunAsync("SELECT 'NaN'::numeric AS n"));

        Assert.Equal((EngineFailureKind.CallerSql, "HERA_VALUE_OUT_OF_RANGE"), (error.Kind, error.EngineCode));
        Assert.Contains("'n'", error.Message, StringComparison.Ordinal);
    }
}
