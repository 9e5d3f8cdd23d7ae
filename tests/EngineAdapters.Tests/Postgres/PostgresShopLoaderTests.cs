using System.Diagnostics;
using Hera.EngineAdapters.Demo;
using Hera.EngineAdapters.Postgres;
using Hera.EngineAdapters.Sqlite;
using Hera.EngineAdapters.Tests.TestSupport;
using Npgsql;
using Xunit.Abstractions;

namespace Hera.EngineAdapters.Tests.Postgres;

public sealed class PostgresShopLoaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private PostgresTestSchema _schema = null!;

    private PostgresEngineAdapter Adapter => _schema.Adapter;

    public async Task InitializeAsync() => _schema = await PostgresTestSchema.CreateAsync();

    public async Task DisposeAsync()
    {
        await _schema.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Loading_scale_0_001_gives_the_generated_row_counts_and_the_same_data_as_sqlite()
    {
        var generator = new ShopGenerator(0.001);
        var sqlitePath = _directory.File("shop.db");
        await SqliteShopLoader.LoadAsync(sqlitePath, generator);
        await using var sqlite = new SqliteEngineAdapter("local", sqlitePath);

        var info = await Adapter.LoadShopAsync(generator, null, CancellationToken.None);

        foreach (var table in ShopSchema.Tables)
        {
            var count = await ScalarAsync($"SELECT count(*) FROM {table.Name}");
            Assert.Equal(generator.CountRows(table), count);
            Assert.Equal(generator.CountRows(table), info.RowCounts[table.Name]);
            Assert.Equal((await sqlite.QueryAsync($"SELECT count(*) FROM {table.Name}")).Single(), count);
        }

        // Spot checks both engines must agree on: money totals in cents, and where the nulls are.
        const string SpotChecks = """
            SELECT (SELECT CAST(round(sum(unit_price * quantity - discount) * 100) AS BIGINT) FROM order_items),
                   (SELECT CAST(round(sum(price) * 100) AS BIGINT) FROM items),
                   (SELECT count(*) FROM users WHERE age IS NULL),
                   (SELECT count(*) FROM users WHERE gender IS NULL),
                   (SELECT count(*) FROM categories WHERE parent_id IS NULL),
                   (SELECT count(DISTINCT dt) FROM orders)
            """;
        var postgres = Assert.Single((await Adapter.RunAsync(SpotChecks)).Rows);
        var lite = Assert.Single((await sqlite.QueryAsync(SpotChecks)).Rows);
        Assert.Equal(lite, postgres);
        Assert.All(postgres.Skip(2).Take(3), nulls => Assert.True((long)nulls! > 0));
        Assert.Equal((long)ShopGenerator.Days, postgres[5]);
    }

    [Fact]
    public async Task Loaded_columns_map_back_to_the_shop_types_and_values()
    {
        var generator = new ShopGenerator(0.001);
        await Adapter.LoadShopAsync(generator, null, CancellationToken.None);

        foreach (var table in ShopSchema.Tables)
        {
            var loaded = await Adapter.RunAsync($"SELECT * FROM {table.Name} ORDER BY {string.Join(", ", table.PrimaryKey)}");
            var expectedTypes = table.Columns.Select(column => column.Type == ShopSchema.Int ? "integer" : column.Type);
            Assert.Equal(expectedTypes, loaded.Types);
            Assert.Equal(table.Columns.Select(column => column.Name), loaded.Columns.Select(column => column.Name));
            Assert.Equal(generator.Rows(table).Select(row => row.Select(Widen).ToArray()).ToList(), loaded.Rows);
        }
    }

    [Fact]
    public async Task Reloading_replaces_the_tables_instead_of_appending()
    {
        await Adapter.LoadShopAsync(new ShopGenerator(0.001), null, CancellationToken.None);
        await Adapter.LoadShopAsync(new ShopGenerator(0.001), null, CancellationToken.None);
        var first = await CountsAsync();

        var bigger = new ShopGenerator(0.002, seed: 7);
        await Adapter.LoadShopAsync(bigger, null, CancellationToken.None);

        Assert.Equal(ShopSchema.Tables.Select(new ShopGenerator(0.001).CountRows), first);
        Assert.Equal(ShopSchema.Tables.Select(bigger.CountRows), await CountsAsync());
        var loaded = await LoadedAsync();
        Assert.Equal((0.002, 7UL), (loaded!.Scale, loaded.Seed));
        Assert.Equal(ShopSchema.Tables.Select(bigger.CountRows), ShopSchema.Tables.Select(table => loaded.RowCounts[table.Name]));
    }

    [Fact]
    public async Task A_loaded_schema_has_keys_and_indexes_and_an_empty_one_reports_nothing_loaded()
    {
        Assert.Null(await LoadedAsync());

        await Adapter.LoadShopAsync(new ShopGenerator(0.001), null, CancellationToken.None);

        var indexes = await Adapter.RunAsync("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()");
        Assert.Superset(
            new HashSet<object?>
            {
                "orders_pkey", "order_items_pkey", "ix_orders_dt", "ix_orders_user_id", "ix_order_items_dt",
                "ix_order_items_item_id", "ix_page_views_dt", "ix_page_views_item_id", "ix_items_seller_id",
            },
            indexes.Rows.Select(row => row[0]).ToHashSet());
    }

    [Fact]
    public async Task Progress_is_reported_for_every_table()
    {
        var reports = new List<ShopLoadProgress>();

        await Adapter.LoadShopAsync(new ShopGenerator(0.006), new SynchronousProgress(reports.Add), CancellationToken.None);

        var completed = reports.Where(report => report.Completed).ToList();
        Assert.Equal(ShopSchema.Tables.Select(table => table.Name), completed.Select(report => report.Table));
        Assert.All(completed, report => Assert.Equal(report.RowsTotal, report.RowsLoaded));
        Assert.Contains(reports, report => !report.Completed && report.RowsLoaded == 10_000);
    }

    [Fact]
    public async Task A_cancelled_reload_leaves_the_previous_load_in_place()
    {
        var previous = new ShopGenerator(0.001);
        await Adapter.LoadShopAsync(previous, null, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(report =>
        {
            if (report is { Table: "items", Completed: true })
            {
                cancellation.Cancel();
            }
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Adapter.LoadShopAsync(new ShopGenerator(0.002), progress, cancellation.Token));

        Assert.Equal(0.001, (await LoadedAsync())!.Scale);
        Assert.Equal(ShopSchema.Tables.Select(previous.CountRows), await CountsAsync());
    }

    [Fact]
    public async Task Loading_scale_0_01_completes_and_reports_its_time()
    {
        var generator = new ShopGenerator(0.01);
        var started = Stopwatch.GetTimestamp();

        var info = await Adapter.LoadShopAsync(generator, null, CancellationToken.None);

        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"scale 0.01: {info.RowCounts.Values.Sum():N0} rows loaded in {elapsed.TotalMilliseconds:N0} ms");
        Assert.Equal(ShopSchema.Tables.Select(generator.CountRows), await CountsAsync());
    }

    private async Task<long[]> CountsAsync()
    {
        var counts = new List<long>();
        foreach (var table in ShopSchema.Tables)
        {
            counts.Add(await ScalarAsync($"SELECT count(*) FROM {table.Name}"));
        }

        return [.. counts];
    }

    private async Task<long> ScalarAsync(string sql) => (long)(await _schema.ScalarAsync(sql))!;

    private async Task<ShopLoadInfo?> LoadedAsync()
    {
        await using var dataSource = NpgsqlDataSource.Create(_schema.ConnectionString);
        return await PostgresShopLoader.GetLoadedAsync(dataSource, "pg");
    }

    /// <summary>The adapter returns every integer as long.</summary>
    private static object? Widen(object? value) => value is int number ? (long)number : value;

    private sealed class SynchronousProgress(Action<ShopLoadProgress> report) : IProgress<ShopLoadProgress>
    {
        public void Report(ShopLoadProgress value) => report(value);
    }
}
