using Hera.EngineAdapters.Demo;
using Hera.EngineAdapters.Sqlite;
using Hera.EngineAdapters.Tests.TestSupport;

namespace Hera.EngineAdapters.Tests.Demo;

public sealed class SqliteShopLoaderTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string DatabasePath => _directory.File("shop.db");

    [Fact]
    public async Task Loading_scale_0_001_fills_every_table_with_the_generated_rows()
    {
        var generator = new ShopGenerator(0.001);

        var info = await SqliteShopLoader.LoadAsync(DatabasePath, generator);

        await using var adapter = new SqliteEngineAdapter("local", DatabasePath);
        foreach (var table in ShopSchema.Tables)
        {
            var count = (await adapter.QueryAsync($"SELECT count(*) FROM {table.Name}")).Single();
            Assert.Equal(generator.CountRows(table), count);
            Assert.Equal(generator.CountRows(table), info.RowCounts[table.Name]);
        }
    }

    [Fact]
    public async Task Loaded_columns_map_back_to_the_shop_types()
    {
        await SqliteShopLoader.LoadAsync(DatabasePath, new ShopGenerator(0.001));
        await using var adapter = new SqliteEngineAdapter("local", DatabasePath);

        foreach (var table in ShopSchema.Tables)
        {
            var result = await adapter.QueryAsync($"SELECT * FROM {table.Name} LIMIT 1");
            var expected = table.Columns.Select(column => column.Type == ShopSchema.Int ? "integer" : column.Type);
            Assert.Equal(expected, result.Types);
            Assert.Equal(table.Columns.Select(column => column.Name), result.Columns.Select(column => column.Name));
        }
    }

    [Fact]
    public async Task Loaded_values_equal_the_generated_values()
    {
        var generator = new ShopGenerator(0.001);
        await SqliteShopLoader.LoadAsync(DatabasePath, generator);
        await using var adapter = new SqliteEngineAdapter("local", DatabasePath);

        foreach (var table in ShopSchema.Tables)
        {
            var loaded = await adapter.QueryAsync($"SELECT * FROM {table.Name} ORDER BY {string.Join(", ", table.PrimaryKey)}");
            var generated = generator.Rows(table).Select(row => row.Select(Widen).ToArray()).ToList();
            Assert.Equal(generated, loaded.Rows);
        }
    }

    [Fact]
    public async Task Reloading_replaces_the_tables_instead_of_appending()
    {
        await SqliteShopLoader.LoadAsync(DatabasePath, new ShopGenerator(0.001));
        await SqliteShopLoader.LoadAsync(DatabasePath, new ShopGenerator(0.001));
        var first = await CountsAsync();

        var bigger = new ShopGenerator(0.002);
        await SqliteShopLoader.LoadAsync(DatabasePath, bigger);

        Assert.Equal(ShopSchema.Tables.Select(table => new ShopGenerator(0.001).CountRows(table)), first);
        Assert.Equal(ShopSchema.Tables.Select(bigger.CountRows), await CountsAsync());
        var loaded = await SqliteShopLoader.GetLoadedAsync(DatabasePath);
        Assert.Equal((0.002, ShopGenerator.DefaultSeed), (loaded!.Scale, loaded.Seed));
    }

    [Fact]
    public async Task A_loaded_database_reports_its_scale_and_indexes()
    {
        Assert.False(await SqliteShopLoader.IsLoadedAsync(DatabasePath));

        await SqliteShopLoader.LoadAsync(DatabasePath, new ShopGenerator(0.001, seed: 42));

        Assert.True(await SqliteShopLoader.IsLoadedAsync(DatabasePath));
        var loaded = await SqliteShopLoader.GetLoadedAsync(DatabasePath);
        Assert.Equal((0.001, 42UL), (loaded!.Scale, loaded.Seed));
        await using var adapter = new SqliteEngineAdapter("local", DatabasePath);
        var indexes = await adapter.QueryAsync("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%' ORDER BY name");
        Assert.Superset(
            new HashSet<object?> { "ix_orders_dt", "ix_orders_user_id", "ix_order_items_dt", "ix_order_items_item_id", "ix_page_views_dt", "ix_page_views_item_id", "ix_items_seller_id" },
            indexes.Rows.Select(row => row[0]).ToHashSet());
    }

    [Fact]
    public async Task A_database_without_a_completed_load_is_not_loaded()
    {
        var empty = new SqliteTestDatabase();
        using var _ = empty;
        empty.Execute("CREATE TABLE unrelated (v INT)");

        Assert.False(await SqliteShopLoader.IsLoadedAsync(empty.Path));
        Assert.Null(await SqliteShopLoader.GetLoadedAsync(_directory.File("absent.db")));
    }

    [Fact]
    public async Task Progress_is_reported_for_every_table()
    {
        var reports = new List<ShopLoadProgress>();

        await SqliteShopLoader.LoadAsync(DatabasePath, new ShopGenerator(0.006), new SynchronousProgress(reports.Add));

        var completed = reports.Where(report => report.Completed).ToList();
        Assert.Equal(ShopSchema.Tables.Select(table => table.Name), completed.Select(report => report.Table));
        Assert.All(completed, report => Assert.Equal(report.RowsTotal, report.RowsLoaded));
        Assert.Contains(reports, report => !report.Completed && report.RowsLoaded == 10_000);
    }

    [Fact]
    public async Task A_cancelled_reload_leaves_the_database_marked_not_loaded()
    {
        await SqliteShopLoader.LoadAsync(DatabasePath, new ShopGenerator(0.001));
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(report =>
        {
            if (report is { Table: "items", Completed: true })
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => SqliteShopLoader.LoadAsync(DatabasePath, new ShopGenerator(0.001), progress, cancellation.Token));

        Assert.False(await SqliteShopLoader.IsLoadedAsync(DatabasePath));
    }

    public void Dispose() => _directory.Dispose();

    private async Task<long[]> CountsAsync()
    {
        await using var adapter = new SqliteEngineAdapter("local", DatabasePath);
        var counts = new List<long>();
        foreach (var table in ShopSchema.Tables)
        {
            counts.Add((long)(await adapter.QueryAsync($"SELECT count(*) FROM {table.Name}")).Single()!);
        }

        return [.. counts];
    }

    /// <summary>The adapter returns every integer as long.</summary>
    private static object? Widen(object? value) => value is int number ? (long)number : value;

    private sealed class SynchronousProgress(Action<ShopLoadProgress> report) : IProgress<ShopLoadProgress>
    {
        public void Report(ShopLoadProgress value) => report(value);
    }
}
