using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Headers;
using Hera.EngineAdapters.ClickHouse;

namespace Hera.EngineAdapters.Demo;

/// <summary>
/// Loads the shop warehouse into a ClickHouse database (the adapter's <c>?database=</c>, else the user's default),
/// replacing the seven tables if they exist, and records what was loaded in <c>shop_meta(key, value)</c>. Rows stream
/// from <see cref="ShopGenerator"/> into INSERTs of <see cref="ClickHouseEngineOptions.InsertBatchRows"/> rows each in
/// TabSeparated format, so memory stays bounded by one batch at any scale. Tables are MergeTree ordered by their
/// primary key; the fact tables (those with a <see cref="ShopTable.PartitionColumn"/>) are partitioned by the month of
/// it and ordered by it first, then the key. Column types are chosen so <see cref="ClickHouseEngineAdapter"/> maps them
/// back to SHOP.md's types. Failures surface as <see cref="Abstractions.EngineException"/>.
/// </summary>
public static class ClickHouseShopLoader
{
    /// <summary>The metadata table: <c>scale</c>, <c>seed</c> and <c>rows.&lt;table&gt;</c>, written last.</summary>
    public const string MetaTable = "shop_meta";

    /// <summary>SHOP.md type to ClickHouse type; nullable columns are wrapped in <c>Nullable(…)</c>.</summary>
    internal static readonly FrozenDictionary<string, string> ColumnTypes = new Dictionary<string, string>
    {
        [ShopSchema.Int] = "Int32",
        [ShopSchema.BigInt] = "Int64",
        [ShopSchema.Varchar] = "String",
        [ShopSchema.Money] = "Decimal(12, 2)",
        [ShopSchema.Date] = "Date",
        [ShopSchema.Timestamp] = "DateTime",
    }.ToFrozenDictionary();

    /// <summary>
    /// Drops and recreates the shop tables through <paramref name="engine"/>, loads every row of
    /// <paramref name="generator"/> and records the scale. <paramref name="progress"/> is called after each batch and
    /// at each table's end. Cancelling (or a failure) leaves the database marked as not loaded.
    /// </summary>
    /// <returns>What was loaded, as <see cref="GetLoadedAsync"/> would report it.</returns>
    public static async Task<ShopLoadInfo> LoadAsync(
        ClickHouseEngineAdapter engine,
        ShopGenerator generator,
        IProgress<ShopLoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(generator);
        await RecreateAsync(engine, cancellationToken).ConfigureAwait(false);
        var writer = new ClickHouseTsvWriter();
        var counts = new Dictionary<string, long>();
        foreach (var table in ShopSchema.Tables)
        {
            counts[table.Name] = await InsertAsync(engine, writer, table, generator, progress, cancellationToken).ConfigureAwait(false);
        }

        var info = new ShopLoadInfo(generator.Scale, generator.Seed, counts);
        await WriteMetaAsync(engine, writer, info, cancellationToken).ConfigureAwait(false);
        return info;
    }

    /// <summary>What a completed load recorded in <paramref name="engine"/>'s database, or null when none completed.</summary>
    public static async Task<ShopLoadInfo?> GetLoadedAsync(ClickHouseEngineAdapter engine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if ((await engine.RunAsync($"EXISTS TABLE {MetaTable}", cancellationToken).ConfigureAwait(false)).Trim() != "1")
        {
            return null;
        }

        var meta = new Dictionary<string, string>();
        var text = await engine.RunAsync($"SELECT key, value FROM {MetaTable}", cancellationToken).ConfigureAwait(false);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                meta[line[..tab]] = line[(tab + 1)..];
            }
        }

        return ShopLoadInfo.FromMeta(meta);
    }

    /// <summary>True when a load completed into <paramref name="engine"/>'s database and was not replaced since.</summary>
    public static async Task<bool> IsLoadedAsync(ClickHouseEngineAdapter engine, CancellationToken cancellationToken = default) =>
        await GetLoadedAsync(engine, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The <c>CREATE TABLE</c> statement for <paramref name="table"/>.</summary>
    internal static string CreateTableSql(ShopTable table)
    {
        var columns = table.Columns.Select(column =>
            $"{column.Name} {(column.Nullable ? $"Nullable({ColumnTypes[column.Type]})" : ColumnTypes[column.Type])}");
        // Daily partitions made every INSERT write one part per day it touched: 20,000 rows over 60 days took 0.5 s
        // on 18.16 against 0.01 s by month. Ordering by dt first keeps `WHERE dt = …` as selective through the
        // primary index as a daily partition would be.
        var partition = table.PartitionColumn is { } dt ? $" PARTITION BY toYYYYMM({dt})" : "";
        var order = table.PartitionColumn is null ? table.PrimaryKey : [table.PartitionColumn, .. table.PrimaryKey];
        return $"CREATE TABLE {table.Name} ({string.Join(", ", columns)}) "
            + $"ENGINE = MergeTree(){partition} ORDER BY ({string.Join(", ", order)})";
    }

    /// <summary>Forgets the previous load first, so a failed reload never reads as loaded, then rebuilds the tables.</summary>
    private static async Task RecreateAsync(ClickHouseEngineAdapter engine, CancellationToken cancellationToken)
    {
        await engine.RunAsync($"DROP TABLE IF EXISTS {MetaTable}", cancellationToken).ConfigureAwait(false);
        foreach (var table in ShopSchema.Tables)
        {
            await engine.RunAsync($"DROP TABLE IF EXISTS {table.Name}", cancellationToken).ConfigureAwait(false);
            await engine.RunAsync(CreateTableSql(table), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<long> InsertAsync(
        ClickHouseEngineAdapter engine,
        ClickHouseTsvWriter writer,
        ShopTable table,
        ShopGenerator generator,
        IProgress<ShopLoadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var total = generator.CountRows(table);
        var loaded = 0L;
        writer.Clear();
        foreach (var row in generator.Rows(table))
        {
            writer.WriteRow(row);
            if (writer.Rows == engine.Options.InsertBatchRows)
            {
                loaded += await FlushAsync(engine, writer, table.Name, cancellationToken).ConfigureAwait(false);
                progress?.Report(new ShopLoadProgress(table.Name, loaded, total, Completed: false));
            }
        }

        loaded += await FlushAsync(engine, writer, table.Name, cancellationToken).ConfigureAwait(false);
        progress?.Report(new ShopLoadProgress(table.Name, loaded, total, Completed: true));
        return loaded;
    }

    /// <summary>Sends the written rows as one INSERT and clears the writer; returns how many rows were sent.</summary>
    private static async Task<int> FlushAsync(
        ClickHouseEngineAdapter engine, ClickHouseTsvWriter writer, string table, CancellationToken cancellationToken)
    {
        var rows = writer.Rows;
        if (rows == 0)
        {
            return 0;
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var content = new ReadOnlyMemoryContent(writer.Written);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/tab-separated-values");
        await engine.RunAsync($"INSERT INTO {table} FORMAT TabSeparated", cancellationToken, content).ConfigureAwait(false);
        writer.Clear();
        return rows;
    }

    private static async Task WriteMetaAsync(
        ClickHouseEngineAdapter engine, ClickHouseTsvWriter writer, ShopLoadInfo info, CancellationToken cancellationToken)
    {
        var invariant = CultureInfo.InvariantCulture;
        await engine.RunAsync($"CREATE TABLE {MetaTable} (key String, value String) ENGINE = MergeTree() ORDER BY key", cancellationToken)
            .ConfigureAwait(false);
        writer.Clear();
        writer.WriteRow(["scale", info.Scale.ToString("R", invariant)]);
        writer.WriteRow(["seed", info.Seed.ToString(invariant)]);
        foreach (var (table, count) in info.RowCounts)
        {
            writer.WriteRow([$"rows.{table}", count.ToString(invariant)]);
        }

        await FlushAsync(engine, writer, MetaTable, cancellationToken).ConfigureAwait(false);
    }
}
