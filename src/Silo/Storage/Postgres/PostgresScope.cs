using System.Security.Cryptography;
using System.Text;

namespace Hera.Silo.Storage.Postgres;

/// <summary>
/// What one grid's schema scopes besides its tables: the NOTIFY channel and the advisory-lock keys. Several grids
/// (or test runs) may share a database in different schemas, and channels and advisory locks are database-wide,
/// so both are derived from the schema name.
/// </summary>
/// <param name="Schema">The grid's schema (<c>current_schema()</c> under the connection's search path).</param>
internal sealed record PostgresScope(string Schema)
{
    // PostgreSQL truncates identifiers to 63 bytes and pg_notify refuses a longer channel.
    private const int MaxIdentifierBytes = 63;

    /// <summary>The LISTEN/NOTIFY channel: <c>hera_grid_&lt;schema&gt;</c>, or a hash of the schema when that is too long.</summary>
    public string Channel { get; } = ChannelFor(Schema);

    /// <summary>Key of the session advisory lock that makes its holder the leader.</summary>
    public long LeaderKey { get; } = KeyFor("leader", Schema);

    /// <summary>Key of the transaction advisory lock that serialises migrations.</summary>
    public long MigrationKey { get; } = KeyFor("migrate", Schema);

    /// <summary>A stable 64-bit key for one purpose in one schema (the first 8 bytes of a SHA-256).</summary>
    public static long KeyFor(string purpose, string schema)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"hera/{purpose}/{schema}"));
        return BitConverter.ToInt64(hash, 0);
    }

    private static string ChannelFor(string schema)
    {
        var channel = "hera_grid_" + schema;
        return Encoding.UTF8.GetByteCount(channel) <= MaxIdentifierBytes
            ? channel
            : "hera_grid_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema)))[..32];
    }
}
