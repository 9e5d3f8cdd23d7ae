using Hera.Client;

namespace Hera.Silo.Tests.Process;

/// <summary>
/// Durability against a real crash: a silo process is killed with SIGKILL while jobs run, restarted on the same
/// data directory, killed again, restarted again. Every job accepted with 202 must end, with its full result
/// when it succeeded; none may vanish, and results finished before a crash must still be served after it.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int RowsPerJob = 200_000;

    // Each job takes a noticeable moment so that some are running when the kill lands.
    private static readonly string CountingSql =
        $"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {RowsPerJob}) SELECT x, 'row ' || x AS label FROM c";

    private readonly TempDirectory _data = new();

    [Fact]
    public async Task Jobs_accepted_before_two_sigkills_all_end_and_keep_their_results()
    {
        var accepted = new List<string>();
        List<string> batch;
        string finishedBeforeCrash;

        await using (var silo = await StartAsync())
        {
            finishedBeforeCrash = (await silo.Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 42 AS answer" }, TimeSpan.FromSeconds(30))).Id;
            batch = await SubmitManyAsync(silo.Client, 12);
            accepted.AddRange(batch);
            await AssertStartsAsync(silo.Client, batch[^1]); // FIFO: the last one starts last, so it runs at the kill
            await silo.KillAsync();
        }

        await using (var silo = await StartAsync())
        {
            batch = await SubmitManyAsync(silo.Client, 8);
            accepted.AddRange(batch);
            await AssertStartsAsync(silo.Client, batch[^1]);
            await silo.KillAsync();
        }

        await using (var silo = await StartAsync())
        {
            var finished = new List<HeraJob>();
            foreach (var id in accepted)
            {
                finished.Add(await silo.Client.WaitAsync(id, TimeSpan.FromMinutes(3)));
            }

            Assert.All(finished, job => Assert.Equal("succeed", job.State));
            Assert.All(finished, job => Assert.Equal(RowsPerJob, job.RowCount));
            Assert.Contains(finished, job => job.Attempts > 1);
            Assert.Contains(finished, job => job.Events.Any(e => e.State == "waiting" && e.Detail?.Contains("worker lost") == true));

            // Results survive: the one finished before the first crash and a recovered one, row for row.
            var answer = await silo.Client.ReadRowsAsync(finishedBeforeCrash).ToListAsync();
            Assert.Equal(42, Assert.Single(answer)[0].GetInt32());
            var recovered = finished.First(job => job.Attempts > 1);
            var rows = await silo.Client.ReadRowsAsync(recovered.Id).ToListAsync();
            Assert.Equal(RowsPerJob, rows.Count);
            Assert.Equal($"row {RowsPerJob}", rows[^1][1].GetString());
        }
    }

    public void Dispose() => _data.Dispose();

    private Task<SiloProcess> StartAsync() =>
        SiloProcess.StartAsync(["--data-dir", _data.Path, "--demo-data", "0", "--worker-slots", "2", "--max-attempts", "10"]);

    private static async Task<List<string>> SubmitManyAsync(HeraClient client, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await client.SubmitAsync(new HeraJobRequest { Sql = CountingSql })).Id);
        }

        return ids;
    }

    private static async Task AssertStartsAsync(HeraClient client, string id)
    {
        var job = await client.WaitUntilRunningAsync(id, TimeSpan.FromSeconds(60));
        Assert.True(job.State == "running", $"job {id} is {job.State}, not running, after waiting 60 s");
    }
}
