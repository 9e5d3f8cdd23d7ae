using System.Globalization;
using System.Reflection;
using Npgsql;

namespace Hera.Silo.Storage.Postgres;

/// <summary>
/// Applies the numbered migrations embedded under <c>Storage/Postgres/Migrations/NNNN_name.sql</c>, each in its own
/// transaction together with its row in <c>schema_migrations</c>. Every silo of a cluster calls it at start-up,
/// possibly at the same moment: each transaction first takes a transaction advisory lock scoped to the schema, then
/// re-reads what is applied, so exactly one silo applies a migration and the others see it done.
/// </summary>
internal static class PostgresMigrator
{
    private const string ResourcePrefix = "Hera.Silo.Storage.Postgres.Migrations.";

    /// <summary>The embedded migrations in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    /// <summary>Applies what is missing; returns the schema version now in force.</summary>
    public static async Task<int> ApplyAsync(NpgsqlConnection connection, PostgresScope scope, CancellationToken cancellationToken)
    {
        var applied = await ReadAppliedAsync(connection, scope, cancellationToken).ConfigureAwait(false);
        foreach (var (version, name, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockAndCheck = new NpgsqlBatch(connection, transaction))
            {
                // Two statements: the check must take its snapshot after the lock is granted, or it would miss
                // the migration the silo we waited for just committed.
                lockAndCheck.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(@key)", ("key", scope.MigrationKey)));
                lockAndCheck.BatchCommands.Add(Command("SELECT count(*) FROM schema_migrations WHERE version = @version", ("version", version)));
                await using var reader = await lockAndCheck.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (reader.GetInt64(0) > 0)
                {
                    applied.Add(version);
                    continue;
                }
            }

            // A command, not a batch command: only a command splits a script into its statements (still one round
            // trip), and the version row rides along so the migration and its record commit together.
            var script = sql.TrimEnd().TrimEnd(';') + ";\nINSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)";
            await using (var apply = new NpgsqlCommand(script, connection, transaction))
            {
                apply.Parameters.AddWithValue("version", version);
                apply.Parameters.AddWithValue("name", name);
                apply.Parameters.AddWithValue("at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
                await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied.Add(version);
        }

        return Migrations.Count == 0 ? 0 : Math.Max(Migrations[^1].Version, applied.DefaultIfEmpty(0).Max());
    }

    /// <summary>Creates <c>schema_migrations</c> if needed and reads it, under the migration lock (concurrent
    /// <c>CREATE TABLE IF NOT EXISTS</c> can still collide on the catalog without it). One round trip: a batch
    /// without an explicit transaction runs as one implicit transaction, so the lock holds for all three.</summary>
    private static async Task<HashSet<int>> ReadAppliedAsync(NpgsqlConnection connection, PostgresScope scope, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock(@key)", ("key", scope.MigrationKey)));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT version FROM schema_migrations"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        // Skip to the versions, the last result set.
        while (!(reader.FieldCount == 1 && reader.GetName(0) == "version") && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
        }

        var applied = new HashSet<int>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied.Add(reader.GetInt32(0));
        }

        return applied;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = resource[ResourcePrefix.Length..^".sql".Length]; // e.g. 0001_grid
            var version = int.Parse(file[..4], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            list.Add((version, file[5..], reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }
}
