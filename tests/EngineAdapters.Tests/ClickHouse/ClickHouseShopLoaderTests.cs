using System.Diagnostics;
using Hera.EngineAdapters.Demo;
using Hera.EngineAdapters.Sqlite;
using Hera.EngineAdapters.Tests.TestSupport;
using Xunit.Abstractions;

namespace Hera.EngineAdapters.Tests.ClickHouse;

public sealed class ClickHouseShopLoaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ClickHouseTestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await ClickHouseTestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Loading_scale_0_001_fills_every_table_with_the_generated_row_counts()
    {
        var generator = new ShopGenerator(0.001);
        var reports = new List<ShopLoadProgress>();

        var info = await _database.Adapter.LoadShopAsync(generator, new SynchronousProgress(reports.Add), CancellationToken.None);

        foreach (var table in ShopSchema.Tables)
        {
            var count = (await _database.Adapter.QueryAsync($"SELECT count() FROM {table.Name}")).Single();
            Assert.Equal((decimal)generator.CountRows(table), count);
            Assert.Equal(generator.CountRows(table), info.RowCounts[table.Name]);
            Assert.Contains(new ShopLoadProgress(table.Name, generator.CountRows(table), generator.CountRows(table), Completed: true), reports);
        }
    }

    [Fact]
    public async Task Loaded_values_equal_the_generated_values_and_map_back_to_the_shop_types()
    {
        var generator = new ShopGenerator(0.001);
        await ClickHouseShopLoader.LoadAsync(_database.Adapter, generator);

        foreach (var table in ShopSchema.Tables)
        {
            var loaded = await _database.Adapter.QueryAsync($"SELECT * FROM {table.Name} ORDER BY {string.Join(", ", table.PrimaryKey)}");
            var expectedTypes = table.Columns.Select(column => column.Type == ShopSchema.Int ? "integer" : column.Type);
            Assert.Equal(expectedTypes, loaded.Types);
            Assert.Equal(table.Columns.Select(column => column.Name), loaded.Columns.Select(column => column.Name));
            var generated = generator.Rows(table).Select(row => row.Select(value => value is int number ? (long)number : value).ToArray()).ToList();
            Assert.Equal(generated, loaded.Rows);
        }
    }

    [Fact]
    public async Task The_same_scale_gives_the_same_counts_sums_and_nulls_as_sqlite()
    {
        var generator = new ShopGenerator(0.001);
        using var directory = new TempDirectory();
        var sqlitePath = directory.File("shop.db");
        await SqliteShopLoader.LoadAsync(sqlitePath, generator);
        await ClickHouseShopLoader.LoadAsync(_database.Adapter, generator);
        await using var sqlite = new SqliteEngineAdapter("local", sqlitePath);

        foreach (var table in ShopSchema.Tables)
        {
            var sqliteCount = (await sqlite.QueryAsync($"SELECT count(*) FROM {table.Name}")).Single();
            var clickHouseCount = (await _database.Adapter.QueryAsync($"SELECT count() FROM {table.Name}")).Single();
            Assert.Equal(Convert.ToDecimal(sqliteCount), clickHouseCount);
        }

        // SQLite stores money as REAL: round its sum to cents before comparing with ClickHouse's exact sum.
        var sqliteMoney = (await sqlite.QueryAsync("SELECT round(sum(unit_price * quantity - discount), 2) FROM order_items")).Single();
        var clickHouseMoney = (await _database.Adapter.QueryAsync("SELECT sum(unit_price * quantity - discount) FROM order_items")).Single();
        Assert.Equal(Math.Round(Convert.ToDecimal(sqliteMoney), 2), clickHouseMoney);

        var sqliteNulls = (await sqlite.QueryAsync("SELECT count(*) - count(age), count(*) - count(gender) FROM users")).SingleRow();
        var clickHouseNulls = (await _database.Adapter.QueryAsync("SELECT countIf(isNull(age)), countIf(isNull(gender)) FROM users")).SingleRow();
        Assert.Equal(sqliteNulls.Select(Convert.ToDecimal), clickHouseNulls.Select(Convert.ToDecimal));
        Assert.True(Convert.ToDecimal(clickHouseNulls[0]) > 0, "The generator should produce users without an age.");
    }

    [Fact]
    public async Task Reloading_replaces_the_tables_instead_of_appending()
    {
        await ClickHouseShopLoader.LoadAsync(_database.Adapter, new ShopGenerator(0.001));
        var bigger = new ShopGenerator(0.002, seed: 42);

        await ClickHouseShopLoader.LoadAsync(_database.Adapter, bigger);

        foreach (var table in ShopSchema.Tables)
        {
            var count = (await _database.Adapter.QueryAsync($"SELECT count() FROM {table.Name}")).Single();
            Assert.Equal((decimal)bigger.CountRows(table), count);
        }

        var loaded = await ClickHouseShopLoader.GetLoadedAsync(_database.Adapter);
        Assert.Equal((0.002, 42UL), (loaded!.Scale, loaded.Seed));
        Assert.Equal(ShopSchema.Tables.Select(bigger.CountRows), ShopSchema.Tables.Select(table => loaded.RowCounts[table.Name]));
    }

    [Fact]
    public async Task A_load_cancelled_midway_leaves_the_database_marked_as_not_loaded()
    {
        Assert.False(await ClickHouseShopLoader.IsLoadedAsync(_database.Adapter));
        await ClickHouseShopLoader.LoadAsync(_database.Adapter, new ShopGenerator(0.001));
        Assert.True(await ClickHouseShopLoader.IsLoadedAsync(_database.Adapter));
        using var cancellation = new CancellationTokenSource();
        var cancelAfterFirstTable = new SynchronousProgress(report =>
        {
            if (report.Completed)
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ClickHouseShopLoader.LoadAsync(
            _database.Adapter, new ShopGenerator(0.001), cancelAfterFirstTable, cancellation.Token));

        Assert.False(await ClickHouseShopLoader.IsLoadedAsync(_database.Adapter));
    }

    [Fact]
    public async Task Loading_scale_0_01_completes_with_every_row()
    {
        var generator = new ShopGenerator(0.01);
        var started = Stopwatch.GetTimestamp();

        var info = await _database.Adapter.LoadShopAsync(generator, null, CancellationToken.None);

        output.WriteLine($"scale 0.01: {info.RowCounts.Values.Sum():N0} rows loaded in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:N0} ms");
        var total = (await _database.Adapter.QueryAsync(
            "SELECT " + string.Join(" + ", ShopSchema.Tables.Select(table => $"(SELECT count() FROM {table.Name})")))).Single();
        Assert.Equal((decimal)ShopSchema.Tables.Sum(generator.CountRows), total);
    }

    /// <summary>Reports on the caller's thread, so the list is complete when the load returns.</summary>
    private sealed class SynchronousProgress(Action<ShopLoadProgress> report) : IProgress<ShopLoadProgress>
    {
        public void Report(ShopLoadProgress value) => report(value);
    }
}
