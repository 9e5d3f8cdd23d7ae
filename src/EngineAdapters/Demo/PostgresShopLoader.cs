using System.Collections.Frozen;
using System.Globalization;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;
using Npgsql;
using NpgsqlTypes;

namespace Hera.EngineAdapters.Demo;

/// <summary>
/// Loads the shop warehouse into a PostgreSQL database, into the connection's current schema (the first existing
/// schema of its <c>search_path</c>, usually <c>public</c>), and records what was loaded in <c>shop_meta(key, value)</c>.
/// Everything happens in one transaction: the seven tables and the meta table are dropped and re-created, every
/// table's rows stream from <see cref="ShopGenerator"/> through binary <c>COPY … FREEZE</c> (memory stays bounded at
/// any scale), then primary keys, the indexes the SQLite loader creates (<c>dt</c> and foreign keys) and planner
/// statistics are built. Readers keep seeing the previous load until the commit, and a failed or cancelled load leaves
/// it untouched. SHOP.md types map to <c>integer</c>, <c>bigint</c>, <c>text</c>, <c>numeric(12,2)</c>, <c>date</c>
/// and <c>timestamp</c>, which <see cref="PostgresEngineAdapter"/> maps back to SHOP.md's types. PostgreSQL failures
/// surface as <see cref="EngineException"/>; tables other objects depend on (a user's view) are not dropped, and the
/// load fails with SQLSTATE 2BP01 instead.
/// </summary>
public static class PostgresShopLoader
{
    /// <summary>The metadata table: <c>scale</c>, <c>seed</c> and <c>rows.&lt;table&gt;</c>, as in <see cref="SqliteShopLoader"/>.</summary>
    public const string MetaTable = SqliteShopLoader.MetaTable;

    private const int ProgressEvery = 10_000;
    private const int CancellationCheckEvery = 1_024;

    /// <summary>SHOP.md type to the PostgreSQL column type and the type COPY writes.</summary>
    private static readonly FrozenDictionary<string, (string Declared, NpgsqlDbType Copy)> ColumnTypes =
        new Dictionary<string, (string, NpgsqlDbType)>
        {
            [ShopSchema.Int] = ("integer", NpgsqlDbType.Integer),
            [ShopSchema.BigInt] = ("bigint", NpgsqlDbType.Bigint),
            [ShopSchema.Varchar] = ("text", NpgsqlDbType.Text),
            [ShopSchema.Money] = ("numeric(12,2)", NpgsqlDbType.Numeric),
            [ShopSchema.Date] = ("date", NpgsqlDbType.Date),
            [ShopSchema.Timestamp] = ("timestamp", NpgsqlDbType.Timestamp),
        }.ToFrozenDictionary();

    /// <summary>
    /// Replaces the shop tables in the current schema of <paramref name="dataSource"/>'s database with every row of
    /// <paramref name="generator"/>. <paramref name="progress"/> is called on the loading task every 10,000 rows and
    /// when a table's rows are all written (committed together at the end). <paramref name="engine"/> names the engine
    /// in failures.
    /// </summary>
    /// <returns>What was loaded, as <see cref="GetLoadedAsync"/> reports it afterwards.</returns>
    public static async Task<ShopLoadInfo> LoadAsync(
        NpgsqlDataSource dataSource,
        string engine,
        ShopGenerator generator,
        IProgress<ShopLoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(engine);
        ArgumentNullException.ThrowIfNull(generator);
        try
        {
            return await LoadCoreAsync(dataSource, engine, generator, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (PostgresErrors.IsEngineFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(engine, exception);
        }
    }

    /// <summary>What the last completed load recorded in the current schema, or null when none completed there.</summary>
    public static async Task<ShopLoadInfo?> GetLoadedAsync(
        NpgsqlDataSource dataSource, string engine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(engine);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var find = new NpgsqlCommand(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
                "WHERE n.nspname = current_schema() AND c.relname = @table AND c.relkind = 'r'",
                connection);
            find.Parameters.AddWithValue("table", MetaTable);
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not string schema)
            {
                return null;
            }

            await using var select = new NpgsqlCommand($"SELECT key, value FROM {Qualified(schema, MetaTable)}", connection);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var meta = new Dictionary<string, string>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                meta[reader.GetString(0)] = reader.GetString(1);
            }

            return ShopLoadInfo.FromMeta(meta);
        }
        catch (Exception exception) when (PostgresErrors.IsEngineFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            throw PostgresErrors.Translate(engine, exception);
        }
    }

    /// <summary>The <c>CREATE TABLE</c> statement for <paramref name="table"/> in <paramref name="schema"/>, without keys.</summary>
    internal static string CreateTableSql(string schema, ShopTable table)
    {
        var columns = table.Columns.Select(column =>
            $"{Quote(column.Name)} {ColumnTypes[column.Type].Declared}{(column.Nullable ? "" : " NOT NULL")}");
        return $"CREATE TABLE {Qualified(schema, table.Name)} ({string.Join(", ", columns)})";
    }

    /// <summary>
    /// The primary key, then indexes on <c>dt</c> and on foreign keys not already leading the primary key: built after
    /// the rows are in, which is much faster than maintaining them row by row.
    /// </summary>
    internal static IEnumerable<string> CreateKeysSql(string schema, ShopTable table)
    {
        var name = Qualified(schema, table.Name);
        yield return $"ALTER TABLE {name} ADD PRIMARY KEY ({string.Join(", ", table.PrimaryKey.Select(Quote))})";
        foreach (var column in table.Columns.Where(column =>
            (column.Name == table.PartitionColumn || column.References is not null) && column.Name != table.PrimaryKey[0]))
        {
            yield return $"CREATE INDEX {Quote($"ix_{table.Name}_{column.Name}")} ON {name} ({Quote(column.Name)})";
        }
    }

    private static async Task<ShopLoadInfo> LoadCoreAsync(
        NpgsqlDataSource dataSource,
        string engine,
        ShopGenerator generator,
        IProgress<ShopLoadProgress>? progress,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var schema = await CurrentSchemaAsync(connection, engine, cancellationToken).ConfigureAwait(false);
        // Disposing an uncommitted transaction rolls it back: a failed load leaves the previous one in place.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var dropped = string.Join(", ", ShopSchema.Tables.Reverse().Select(table => table.Name).Prepend(MetaTable)
            .Select(table => Qualified(schema, table)));
        await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {dropped}", cancellationToken).ConfigureAwait(false);
        foreach (var table in ShopSchema.Tables)
        {
            await ExecuteAsync(connection, CreateTableSql(schema, table), cancellationToken).ConfigureAwait(false);
        }

        var counts = new Dictionary<string, long>();
        foreach (var table in ShopSchema.Tables)
        {
            counts[table.Name] = await CopyAsync(connection, schema, table, generator, progress, cancellationToken).ConfigureAwait(false);
        }

        foreach (var statement in ShopSchema.Tables.SelectMany(table => CreateKeysSql(schema, table)))
        {
            await ExecuteAsync(connection, statement, cancellationToken).ConfigureAwait(false);
        }

        var info = new ShopLoadInfo(generator.Scale, generator.Seed, counts);
        await WriteMetaAsync(connection, schema, info, cancellationToken).ConfigureAwait(false);
        // Planner statistics, so the first queries on the fresh tables plan with real row counts.
        var analyzed = string.Join(", ", ShopSchema.Tables.Select(table => Qualified(schema, table.Name)));
        await ExecuteAsync(connection, $"ANALYZE {analyzed}", cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return info;
    }

    private static async Task<string> CurrentSchemaAsync(NpgsqlConnection connection, string engine, CancellationToken cancellationToken)
    {
        // Unqualified DROP TABLE would find a same-named table further down the search_path; qualifying never does.
        await using var command = new NpgsqlCommand("SELECT current_schema()", connection);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string
            ?? throw new EngineException(
                engine, EngineFailureKind.Fatal, "3F000", "No schema of the connection's search_path exists to load the shop warehouse into.");
    }

    /// <summary>Streams the table's rows through one binary COPY; returns the row count the server confirmed.</summary>
    private static async Task<long> CopyAsync(
        NpgsqlConnection connection,
        string schema,
        ShopTable table,
        ShopGenerator generator,
        IProgress<ShopLoadProgress>? progress,
        CancellationToken cancellationToken)
    {
        var total = generator.CountRows(table);
        var types = table.Columns.Select(column => ColumnTypes[column.Type].Copy).ToArray();
        // FREEZE writes the rows already frozen (no later vacuum rewrite); allowed because the table is new in this transaction.
        var copy = $"COPY {Qualified(schema, table.Name)} ({string.Join(", ", table.Columns.Select(column => Quote(column.Name)))}) " +
            "FROM STDIN (FORMAT BINARY, FREEZE)";
        var loaded = 0L;
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in generator.Rows(table))
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < row.Length; i++)
                {
                    await WriteAsync(importer, row[i], types[i], cancellationToken).ConfigureAwait(false);
                }

                loaded++;
                if (loaded % CancellationCheckEvery == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (loaded % ProgressEvery == 0)
                {
                    progress?.Report(new ShopLoadProgress(table.Name, loaded, total, Completed: false));
                }
            }

            loaded = (long)await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new ShopLoadProgress(table.Name, loaded, total, Completed: true));
        return loaded;
    }

    /// <summary>Writes one generator value; the typed overloads avoid resolving a converter per boxed value.</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter importer, object? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value switch
        {
            null => importer.WriteNullAsync(cancellationToken),
            int number => importer.WriteAsync(number, type, cancellationToken),
            long number => importer.WriteAsync(number, type, cancellationToken),
            decimal money => importer.WriteAsync(money, type, cancellationToken),
            string text => importer.WriteAsync(text, type, cancellationToken),
            DateOnly date => importer.WriteAsync(date, type, cancellationToken),
            DateTime timestamp => importer.WriteAsync(timestamp, type, cancellationToken),
            _ => throw new InvalidOperationException($"The loader cannot store a {value.GetType()}."),
        };

    private static async Task WriteMetaAsync(NpgsqlConnection connection, string schema, ShopLoadInfo info, CancellationToken cancellationToken)
    {
        var meta = Qualified(schema, MetaTable);
        await ExecuteAsync(connection, $"CREATE TABLE {meta} (key text PRIMARY KEY, value text NOT NULL)", cancellationToken)
            .ConfigureAwait(false);
        var invariant = CultureInfo.InvariantCulture;
        var rows = new List<(string Key, string Value)>
        {
            ("scale", info.Scale.ToString("R", invariant)),
            ("seed", info.Seed.ToString(invariant)),
        };
        rows.AddRange(info.RowCounts.Select(pair => ($"rows.{pair.Key}", pair.Value.ToString(invariant))));
        await using var insert = new NpgsqlCommand($"INSERT INTO {meta} (key, value) SELECT * FROM unnest(@keys, @values)", connection);
        insert.Parameters.AddWithValue("keys", rows.Select(row => row.Key).ToArray());
        insert.Parameters.AddWithValue("values", rows.Select(row => row.Value).ToArray());
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        // No command timeout: index builds and ANALYZE at large scales take longer than Npgsql's 30 s default.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Qualified(string schema, string name) => $"{Quote(schema)}.{Quote(name)}";

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
