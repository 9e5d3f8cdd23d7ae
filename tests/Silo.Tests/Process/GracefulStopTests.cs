using Hera.Client;

namespace Hera.Silo.Tests.Process;

/// <summary>A silo stopped with SIGTERM hands its running jobs back instead of leaving them to crash recovery.</summary>
public sealed class GracefulStopTests : IDisposable
{
    private const int Rows = 3_000_000;
    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Sigterm_requeues_the_running_job_and_the_next_start_finishes_it()
    {
        string id;
        await using (var silo = await StartAsync())
        {
            id = (await silo.Client.SubmitAsync(new HeraJobRequest
            {
                Sql = $"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {Rows}) SELECT x FROM c",
            })).Id;
            Assert.Equal("running", (await silo.Client.WaitUntilRunningAsync(id, TimeSpan.FromSeconds(60))).State);

            var exitCode = await silo.TerminateAsync(TimeSpan.FromSeconds(30));
            Assert.True(exitCode == 0, $"the silo exited with {exitCode}:\n{silo.Output}");
        }

        await using (var silo = await StartAsync())
        {
            var job = await silo.Client.WaitAsync(id, TimeSpan.FromMinutes(2));

            Assert.Equal("succeed", job.State);
            Assert.Equal(Rows, job.RowCount);
            Assert.Equal(2, job.Attempts);
            Assert.Equal(
                ["new", "waiting", "running", "waiting", "running", "succeed"],
                job.Events.Select(e => e.State));
            Assert.Equal("worker stopping; job re-queued", job.Events[3].Detail);
        }
    }

    public void Dispose() => _data.Dispose();

    private Task<SiloProcess> StartAsync() =>
        SiloProcess.StartAsync(["--data-dir", _data.Path, "--demo-data", "0", "--worker-slots", "1"]);
}
