using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Hera.ClientGateway.Results;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;
using Hera.Grains.Interfaces.Results;
using Hera.Grains.Results;

namespace Hera.ClientGateway.Tests.Engines;

/// <summary>
/// ClickHouse's rows written as result lines straight from its TSV (<see cref="IResultLineSource"/>) must be the
/// bytes the value-by-value writer makes of the same rows, in every output format: over a table holding every type
/// Hera maps (extremes, negative numbers, NULLs, escapes, control bytes, invalid UTF-8, non-ASCII, zero dates), over
/// a generated scan long enough to cross every buffer, and in the failure a value too large for a decimal causes.
/// The value-by-value side is the same stream seen through a wrapper that hides the capability.
/// </summary>
public sealed class ClickHouseResultLinesTests : IAsyncLifetime
{
    private readonly string _database = $"hera_lines_{Guid.NewGuid():N}";
    private ClickHouseEngineAdapter _adapter = null!;

    private static string ChUrl => Environment.GetEnvironmentVariable("HERA_TEST_CH") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException("HERA_TEST_CH is not set: run env_lines=\"$(scripts/test-services.sh start)\"; eval \"$env_lines\" first");

    public async Task InitializeAsync()
    {
        _adapter = new ClickHouseEngineAdapter("ch", ChUrl);
        await ExecuteAsync($"CREATE DATABASE {_database}");
        await ExecuteAsync($"""
            CREATE TABLE {_database}.every_type (
                i8 Int8, i16 Int16, i32 Int32, i64 Int64, u8 UInt8, u16 UInt16, u32 UInt32, u64 UInt64,
                f32 Float32, f64 Float64, d9 Decimal(9, 2), d18 Decimal(18, 4), d38 Decimal(38, 10),
                s String, fs FixedString(6), ns Nullable(String), ni Nullable(Int64), nd Nullable(Decimal(12, 2)),
                dt Date, ts DateTime, ndt Nullable(Date), nts Nullable(DateTime),
                id UUID, e Enum8('a' = 1, 'b''c' = 2), arr Array(String), tup Tuple(Int32, String)
            ) ENGINE = Memory
            """);
        await ExecuteAsync($"""
            INSERT INTO {_database}.every_type VALUES
            (-128, -32768, -2147483648, -9223372036854775808, 0, 0, 0, 0,
             -1.5, -0.1, -1234567.89, -12345678901234.5678, -123.45,
             'tab\there\nnew\\back"quote''single\r\x01\x7f\x08\x0c\x1b', 'ab', NULL, NULL, NULL,
             '1970-01-01', '1970-01-01 00:00:00', NULL, NULL,
             '00000000-0000-0000-0000-000000000000', 'b''c', ['x\ty', 'q''z', 'ä'], (1, 'a\tb')),
            (127, 32767, 2147483647, 9223372036854775807, 255, 65535, 4294967295, 18446744073709551615,
             inf, nan, 0.00, 0.0001, 0.0000000001,
             'äöü 日本 😀 \xE2\x80\xA8 end', 'xyz', 'ä', -42, -0.50,
             '2026-12-07', '2026-12-07 13:45:59', '2000-02-29', '1999-12-31 23:59:59',
             '61f0c404-5cb3-11e7-907b-a6006ad3dba0', 'a', [], (-5, 'ü')),
            (0, -1, 1, -1, 1, 1, 1, 1,
             -inf, 1e300, 9999999.99, 0, 1234567890123456.1234567891,
             '', '\0\0\0\0\0\0', '', 0, 0,
             '2106-02-07', '2038-01-19 03:14:07', '1970-01-02', '1970-01-01 00:00:01',
             '61f0c404-5cb3-11e7-907b-a6006ad3dba0', 'b''c', ['\\N'], (0, '')),
            (1, 2, 3, 4, 5, 6, 7, 8,
             1e-7, 5e-324, 0.01, -0.0001, -0.0000000001,
             '\xff\xfe invalid \xc3', 'ü\t\n', '\\N', 9223372036854775807, 1234567890.12,
             '2026-01-31', '2026-12-31 23:59:59', '2026-12-07', '2026-12-07 00:00:00',
             '61f0c404-5cb3-11e7-907b-a6006ad3dba0', 'a', ['"', '\\'], (2147483647, '"\\'))
            """);
    }

    public async Task DisposeAsync()
    {
        await ExecuteAsync($"DROP DATABASE IF EXISTS {_database}");
        await _adapter.DisposeAsync();
    }

    [Fact]
    public async Task Every_type_is_written_byte_for_byte_as_the_value_writer_writes_it_in_every_format()
    {
        await AssertSameInEveryFormatAsync($"SELECT * FROM {_database}.every_type ORDER BY i8");
    }

    [Fact]
    public async Task A_generated_scan_across_buffer_boundaries_is_written_byte_for_byte_as_the_value_writer_writes_it()
    {
        // 200,000 rows: several flushes of the result buffer and many refills of the TSV reader's.
        await AssertSameInEveryFormatAsync("""
            SELECT number AS id, toInt64(number) - 100000 AS signed, number * 2 AS twice,
                   toDecimal64(number, 3) / 7 AS ratio, toFloat64(number) / 3 AS third,
                   concat('row\t', toString(number), if(number % 3 = 0, ' ä', '"q"')) AS label,
                   if(number % 7 = 0, NULL, number) AS sometimes, toDate(number % 40000) AS day,
                   toDateTime(number * 997) AS at
            FROM system.numbers LIMIT 200000
            """);
    }

    [Fact]
    public async Task A_decimal_beyond_a_dotnet_decimal_fails_the_same_way_on_both_paths()
    {
        const string Sql = "SELECT number AS n, toDecimal128('99999999999999999999999999999999999', 0) AS huge FROM system.numbers LIMIT 3";
        var slow = await Assert.ThrowsAsync<EngineException>(() => WriteLinesAsync(Sql, valuesOnly: true));
        var fast = await Assert.ThrowsAsync<EngineException>(() => WriteLinesAsync(Sql, valuesOnly: false));
        Assert.Equal(slow.EngineCode, fast.EngineCode);
        Assert.Equal(slow.Message, fast.Message);
        Assert.Equal(slow.Kind, fast.Kind);
    }

    private async Task AssertSameInEveryFormatAsync(string sql)
    {
        var slow = await WriteLinesAsync(sql, valuesOnly: true);
        var fast = await WriteLinesAsync(sql, valuesOnly: false);

        // Text first, for a readable difference; then the bytes, which is the claim.
        Assert.Equal(Encoding.UTF8.GetString(slow), Encoding.UTF8.GetString(fast));
        Assert.Equal(slow, fast);
        foreach (var format in new[] { ResultFormat.Json, ResultFormat.Csv })
        {
            Assert.Equal(await TransformAsync(slow, format), await TransformAsync(fast, format));
        }
    }

    /// <summary>The rows of <paramref name="sql"/> as ResultFileWriter writes them (NDJSON, columns first).</summary>
    private async Task<byte[]> WriteLinesAsync(string sql, bool valuesOnly)
    {
        await using var rows = await _adapter.ExecuteAsync(new EngineCommand(sql, $"hera-test-{Guid.NewGuid():N}"), CancellationToken.None);
        Assert.True(rows is IResultLineSource, "the ClickHouse stream offers result lines, or this test compares the slow path with itself");
        using var output = new MemoryStream();
        await ResultFileWriter.WriteAsync(valuesOnly ? new ValuesOnly(rows) : rows, output, CancellationToken.None);
        return output.ToArray();
    }

    /// <summary>The NDJSON lines as the gateway serves them in <paramref name="format"/>.</summary>
    private static async Task<byte[]> TransformAsync(byte[] ndjson, ResultFormat format)
    {
        using var output = new MemoryStream();
        var writer = PipeWriter.Create(output);
        var transform = ResultLineTransform.For(format)!;
        var lines = ndjson.AsMemory();
        var number = 0L;
        for (var end = lines.Span.IndexOf((byte)'\n'); end >= 0; end = lines.Span.IndexOf((byte)'\n'))
        {
            transform.WriteLine(writer, new ReadOnlySequence<byte>(lines[..end]), number++);
            lines = lines[(end + 1)..];
        }

        transform.WriteEnd(writer, number);
        await writer.CompleteAsync();
        return output.ToArray();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var rows = await _adapter.ExecuteAsync(new EngineCommand(sql, $"hera-test-{Guid.NewGuid():N}"), CancellationToken.None);
        while (await rows.ReadAsync(CancellationToken.None))
        {
        }
    }

    /// <summary>The stream as a plain <see cref="IRowStream"/>: the writer cannot see its result lines, so it reads values.</summary>
    private sealed class ValuesOnly(IRowStream inner) : IRowStream
    {
        public IReadOnlyList<ResultColumn> Columns => inner.Columns;

        public ValueTask<bool> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);

        public object? GetValue(int ordinal) => inner.GetValue(ordinal);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
