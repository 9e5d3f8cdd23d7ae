using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Hera.Silo.Storage.Sqlite;

/// <summary>
/// Applies the numbered migrations embedded under <c>Storage/Sqlite/Migrations/NNNN_name.sql</c>, each in its own
/// transaction together with its row in <c>schema_migrations</c>, so a crash mid-way leaves the schema at a
/// whole version. Operators never run scripts by hand.
/// </summary>
internal static class SqliteMigrator
{
    private const string ResourcePrefix = "Hera.Silo.Storage.Sqlite.Migrations.";

    /// <summary>The embedded migrations in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = Load();

    /// <summary>Applies what is missing; returns the schema version now in force.</summary>
    public static int Apply(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        var applied = new HashSet<int>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT version FROM schema_migrations";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var (version, name, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t)";
            command.Parameters.AddWithValue("$v", version);
            command.Parameters.AddWithValue("$n", name);
            command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
            command.ExecuteNonQuery();
            transaction.Commit();
        }

        return Migrations.Count == 0 ? 0 : Math.Max(Migrations[^1].Version, applied.DefaultIfEmpty(0).Max());
    }

    private static List<(int, string, string)> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var list = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var file = resource[ResourcePrefix.Length..^".sql".Length]; // e.g. 0001_jobs
            var version = int.Parse(file[..4], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            list.Add((version, file[5..], reader.ReadToEnd()));
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }
}
