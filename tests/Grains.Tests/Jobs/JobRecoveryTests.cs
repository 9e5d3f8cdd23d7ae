using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;
using Hera.Grains.Results;
using Hera.Silo.Storage.Sqlite;

namespace Hera.Grains.Tests.Jobs;

/// <summary>Recovery at start-up: orphaned running jobs go back in line, and what their lost attempts left is cleared.</summary>
public sealed class JobRecoveryTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "hera-tests", Guid.NewGuid().ToString("N"));
    private IGridStore _store = null!;
    private IGrainFactory _grains = null!;
    private ResultStore _results = null!;
    private JobRecovery _recovery = null!;

    public async Task InitializeAsync()
    {
        _store = SqliteGridStore.InDirectory(_directory);
        await _store.MigrateAsync(default);
        _grains = new GrainFactory(_store, TimeProvider.System, new JobChangeFeed());
        _results = new ResultStore(Path.Combine(_directory, "results"));
        _recovery = new JobRecovery(_store, _grains, _results);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Every_running_job_is_requeued_and_waiting_and_finished_ones_are_untouched()
    {
        var running = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartAsync()));
        var waiting = await SubmitAsync();

        var result = await _recovery.RecoverAllRunningAsync(maxAttempts: 3, "worker lost: test", default);

        Assert.Equal(new RecoveryResult(3, 0), result);
        foreach (var job in running)
        {
            var now = await _store.JobGetAsync(job.Id, default);
            Assert.Equal(JobState.Waiting, now!.State);
            Assert.Equal("worker lost: test", (await _store.JobEventListAsync(job.Id, default))[^1].Detail);
        }

        Assert.Equal(waiting.Version, (await _store.JobGetAsync(waiting.Id, default))!.Version);
    }

    [Fact]
    public async Task Jobs_out_of_attempts_fail_worker_lost()
    {
        var job = await StartAsync();

        var result = await _recovery.RecoverAllRunningAsync(maxAttempts: 1, "worker lost: test", default);

        Assert.Equal(new RecoveryResult(0, 1), result);
        Assert.Equal(JobFailureReasons.WorkerLost, (await _store.JobGetAsync(job.Id, default))!.Reason);
    }

    [Fact]
    public async Task A_result_file_the_lost_attempt_completed_is_removed()
    {
        var job = await StartAsync();
        var orphan = Path.Combine(_results.Directory, ResultStore.FileName(job.Id, job.Attempts));
        await File.WriteAllTextAsync(orphan, "[]\n");

        await _recovery.RecoverAllRunningAsync(maxAttempts: 3, "worker lost: test", default);

        Assert.False(File.Exists(orphan));
    }

    [Fact]
    public void Partial_files_left_by_a_crash_are_removed_at_start()
    {
        File.WriteAllText(Path.Combine(_results.Directory, "j.1.partial"), "[");
        File.WriteAllText(Path.Combine(_results.Directory, "k.1.ndjson"), "[]\n");

        Assert.Equal(1, _results.DeleteLeftoverPartials());
        Assert.Equal(["k.1.ndjson"], Directory.GetFiles(_results.Directory).Select(Path.GetFileName));
    }

    private Task<JobRecord> SubmitAsync() =>
        _grains.GetJob(GrainFactory.NewJobId()).SubmitAsync(JobSpec.ForSql("SELECT 1"), "queue default", default);

    private async Task<JobRecord> StartAsync()
    {
        var job = await SubmitAsync();
        return (await _grains.GetJob(job.Id).TryStartAsync("w1", "local", "worker w1 engine local", default))!;
    }
}
