using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;
using Hera.Grains.Results;

namespace Hera.Grains.Tests.Jobs;

/// <summary>Recovery at start-up: orphaned running jobs go back in line, and what their lost attempts left is cleared.</summary>
public sealed class JobRecoveryTests : IAsyncLifetime
{
    private GridFixture _grid = null!;
    private JobRecovery _recovery = null!;

    public async Task InitializeAsync()
    {
        _grid = await GridFixture.CreateAsync();
        _recovery = new JobRecovery(_grid.Store, _grid.Grains, _grid.Results);
    }

    public async Task DisposeAsync() => await _grid.DisposeAsync();

    [Fact]
    public async Task Every_running_job_is_requeued_and_waiting_and_finished_ones_are_untouched()
    {
        var running = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartAsync()));
        var waiting = await SubmitAsync();

        var result = await _recovery.RecoverAllRunningAsync(maxAttempts: 3, "worker lost: test", default);

        Assert.Equal(new RecoveryResult(3, 0), result);
        foreach (var job in running)
        {
            var now = await _grid.Store.JobGetAsync(job.Id, default);
            Assert.Equal(JobState.Waiting, now!.State);
            Assert.Equal("worker lost: test", (await _grid.Store.JobEventListAsync(job.Id, default))[^1].Detail);
        }

        Assert.Equal(waiting.Version, (await _grid.Store.JobGetAsync(waiting.Id, default))!.Version);
    }

    [Fact]
    public async Task Jobs_out_of_attempts_fail_worker_lost()
    {
        var job = await StartAsync();

        var result = await _recovery.RecoverAllRunningAsync(maxAttempts: 1, "worker lost: test", default);

        Assert.Equal(new RecoveryResult(0, 1), result);
        Assert.Equal(JobFailureReasons.WorkerLost, (await _grid.Store.JobGetAsync(job.Id, default))!.Reason);
    }

    [Fact]
    public async Task A_result_file_the_lost_attempt_completed_is_removed()
    {
        var job = await StartAsync();
        var orphan = Path.Combine(_grid.Results.Directory, ResultStore.FileName(job.Id, job.Attempts, "local"));
        await File.WriteAllTextAsync(orphan, "[]\n");

        await _recovery.RecoverAllRunningAsync(maxAttempts: 3, "worker lost: test", default);

        Assert.False(File.Exists(orphan));
    }

    [Fact]
    public void Partial_files_left_by_a_crash_are_removed_at_start()
    {
        File.WriteAllText(Path.Combine(_grid.Results.Directory, "j.1.partial"), "[");
        File.WriteAllText(Path.Combine(_grid.Results.Directory, "k.1.ndjson"), "[]\n");

        Assert.Equal(1, _grid.Results.DeleteLeftoverPartials());
        Assert.Equal(["k.1.ndjson"], Directory.GetFiles(_grid.Results.Directory).Select(Path.GetFileName));
    }

    private Task<JobRecord> SubmitAsync() => _grid.SubmitAsync();

    private Task<JobRecord> StartAsync() => _grid.StartAsync();
}
