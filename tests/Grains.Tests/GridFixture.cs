using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;
using Hera.Grains.Results;
using Hera.Silo.Storage.Sqlite;

namespace Hera.Grains.Tests;

/// <summary>
/// A real SQLite grid store, grain factory, change feed and result store on a fresh temp directory, with builders
/// for jobs in a given state. Create in <c>InitializeAsync</c>, dispose in <c>DisposeAsync</c>.
/// </summary>
public sealed class GridFixture : IAsyncDisposable
{
    private readonly string _directory;

    private GridFixture(string directory, IGridStore store)
    {
        _directory = directory;
        Store = store;
        Grains = new GrainFactory(store, TimeProvider.System, Feed);
        Results = new ResultStore(Path.Combine(directory, "results"));
    }

    public IGridStore Store { get; }

    public JobChangeFeed Feed { get; } = new();

    public IGrainFactory Grains { get; }

    public ResultStore Results { get; }

    public static async Task<GridFixture> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "hera-tests", Guid.NewGuid().ToString("N"));
        var store = SqliteGridStore.InDirectory(directory);
        await store.MigrateAsync(default);
        return new GridFixture(directory, store);
    }

    /// <summary>A new job, admitted and waiting.</summary>
    public Task<JobRecord> SubmitAsync() =>
        Grains.GetJob(GrainFactory.NewJobId()).SubmitAsync(JobSpec.ForSql("SELECT 1"), "queue default", default);

    /// <summary>A new job claimed by worker <c>w1</c>: running, attempt 1.</summary>
    public async Task<JobRecord> StartAsync()
    {
        var job = await SubmitAsync();
        return (await Grains.GetJob(job.Id).TryStartAsync("w1", "local", null, "worker w1 engine local", default))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
