using Hera.Grains.Interfaces.Storage;
using Hera.Silo.Storage.Sqlite;

namespace Hera.Silo.Tests.Storage;

/// <summary>The SQLite store against the conformance suite, each test on a fresh file.</summary>
public sealed class SqliteGridStoreTests : GridStoreConformance, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override async Task<IGridStore> CreateStoreAsync()
    {
        var store = SqliteGridStore.InDirectory(_directory.Path);
        await store.MigrateAsync(default);
        return store;
    }

    public void Dispose() => _directory.Dispose();
}
