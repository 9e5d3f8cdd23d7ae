using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hera.Client;
using Xunit.Abstractions;

namespace Hera.Silo.Tests.Cluster;

/// <summary>
/// Cluster mode with real processes: three silos on one PostgreSQL grid store elect one leader, serve any job
/// from any gateway, and lose no job when the leader or a worker is killed with SIGKILL mid-load.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests(ITestOutputHelper output)
{
    // Every third job takes some hundreds of milliseconds of SQLite work, so jobs are running on every worker at a
    // kill; the others take a few milliseconds, so hundreds of jobs pass in a test's time.
    private const string WorkSql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) AS n FROM c";
    private const string ShortSql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 20000) SELECT count(*) AS n FROM c";

    [Fact]
    public async Task Three_silos_elect_one_leader_and_any_gateway_serves_any_job()
    {
        await using var cluster = await ClusterHarness.StartAsync(3);
        var (a, b, c) = (cluster.Silos[0]!, cluster.Silos[1]!, cluster.Silos[2]!);

        var view = await ClusterHarness.WaitForViewAsync(a, v => Alive(v, "silos") == 3 && Alive(v, "workers") == 3, TimeSpan.FromSeconds(60));
        var leader = ClusterHarness.LeaderOf(view);
        Assert.Contains(leader, new[] { "silo-0", "silo-1", "silo-2" });
        Assert.Equal(leader, ClusterHarness.LeaderOf(await ClusterHarness.SnapshotAsync(b)));
        Assert.Equal(leader, ClusterHarness.LeaderOf(await ClusterHarness.SnapshotAsync(c)));
        Assert.Equal(
            [a.Address.ToString().TrimEnd('/'), b.Address.ToString().TrimEnd('/'), c.Address.ToString().TrimEnd('/')],
            view.GetProperty("silos").EnumerateArray().Select(s => s.GetProperty("address").GetString()));

        // Exactly one silo says it leads, in its metrics as in the cluster view.
        var leading = new List<string>();
        foreach (var silo in new[] { a, b, c })
        {
            var metrics = await silo.Client.Http.GetStringAsync("metrics");
            Assert.Contains($"hera_cluster_leader{{silo=\"{leader}\"}} 1", metrics, StringComparison.Ordinal);
            if (metrics.Contains("\nhera_silo_leading 1", StringComparison.Ordinal))
            {
                leading.Add(silo.Address.ToString());
            }
        }

        Assert.Single(leading);

        // Submitted through one gateway, followed through another, its rows read through the third.
        var submitted = await a.Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 6 * 7 AS answer" });
        var done = await b.Client.WaitAsync(submitted.Id, TimeSpan.FromSeconds(60));
        Assert.Equal("succeed", done.State);
        var rows = await c.Client.ReadRowsAsync(submitted.Id).ToListAsync();
        Assert.Equal(42, Assert.Single(rows)[0].GetInt32());

        // Cancelled through a gateway other than the one that took it, while a worker somewhere runs it.
        var slow = await b.Client.SubmitAsync(new HeraJobRequest { Sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 500000000) SELECT count(*) AS n FROM c" });
        await c.Client.WaitUntilRunningAsync(slow.Id, TimeSpan.FromSeconds(60));
        var cancel = await a.Client.CancelAsync(slow.Id);
        Assert.True(cancel.Cancelled);
        var cancelled = await c.Client.WaitAsync(slow.Id, TimeSpan.FromSeconds(10));
        Assert.Equal(("failed", "cancelled"), (cancelled.State, cancelled.Reason));

        // A queue created through one gateway takes jobs through another.
        using (var put = await c.Client.Http.PutAsJsonAsync("v1/queues/reports", new { weight = 5 }))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var queued = await ClusterHarness.WaitForViewAsync(a, v => v.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("name").GetString() == "reports"), TimeSpan.FromSeconds(30));
        var report = await a.Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1 AS one", Queue = "reports" }, TimeSpan.FromSeconds(30));
        Assert.Equal("succeed", report.State);
    }

    [Fact]
    public async Task Killing_the_leader_mid_load_loses_no_job_and_another_silo_takes_over()
    {
        await using var cluster = await ClusterHarness.StartAsync(3);
        var leader = ClusterHarness.LeaderOf(await ClusterHarness.WaitForViewAsync(cluster.Silos[0]!, v => ClusterHarness.LeaderOf(v) is not null, TimeSpan.FromSeconds(60)))!;
        var leaderIndex = int.Parse(leader["silo-".Length..], System.Globalization.CultureInfo.InvariantCulture);

        var accepted = await SubmitRoundRobinAsync(cluster.Live.ToList(), 150);
        await EnsureRunningOnAsync(cluster.Live.First(), accepted, leader);
        var killedAt = DateTime.UtcNow;
        await cluster.KillAsync(leaderIndex);
        accepted.AddRange(await SubmitRoundRobinAsync(cluster.Live.ToList(), 150));

        var jobs = await WaitAllAsync(cluster.Live.First(), accepted);
        AssertNoneLostNoneTwice(jobs, cluster);

        var survivor = cluster.Live.First();
        var view = await ClusterHarness.WaitForViewAsync(survivor, v => ClusterHarness.LeaderOf(v) is { } l && l != leader, TimeSpan.FromSeconds(30));
        Assert.Equal("dead", ClusterHarness.StateOf(view, leader));
        var firstDispatch = jobs.SelectMany(j => j.Events).Where(e => IsClaim(e) && e.At > killedAt).Min(e => e.At);
        output.WriteLine($"leader {leader} killed; {ClusterHarness.LeaderOf(view)} leads; first dispatch after the kill: {(firstDispatch - killedAt).TotalMilliseconds:F0} ms; " +
            $"{jobs.Count(j => j.Attempts > 1)} of {jobs.Count} jobs re-ran");
        Assert.True(firstDispatch - killedAt < TimeSpan.FromSeconds(10), $"the new leader dispatched {(firstDispatch - killedAt).TotalSeconds:F1} s after the kill");
    }

    [Fact]
    public async Task Killing_a_worker_mid_load_hands_its_jobs_to_the_others_and_loses_none()
    {
        await using var cluster = await ClusterHarness.StartAsync(3);
        var view = await ClusterHarness.WaitForViewAsync(cluster.Silos[0]!, v => ClusterHarness.LeaderOf(v) is not null, TimeSpan.FromSeconds(60));
        var victim = Enumerable.Range(0, 3).First(i => ClusterHarness.SiloId(i) != ClusterHarness.LeaderOf(view));

        var accepted = await SubmitRoundRobinAsync(cluster.Live.ToList(), 150);
        await EnsureRunningOnAsync(cluster.Silos[(victim + 1) % 3]!, accepted, ClusterHarness.SiloId(victim));
        await cluster.KillAsync(victim);
        accepted.AddRange(await SubmitRoundRobinAsync(cluster.Live.ToList(), 150));

        var jobs = await WaitAllAsync(cluster.Live.First(), accepted);
        AssertNoneLostNoneTwice(jobs, cluster);
        Assert.Contains(jobs, j => j.Attempts == 2 && j.Events.Any(e => e.Detail?.Contains($"worker {ClusterHarness.SiloId(victim)}", StringComparison.Ordinal) == true && e.State == "waiting"));
        var after = await ClusterHarness.WaitForViewAsync(cluster.Live.First(), v => ClusterHarness.StateOf(v, ClusterHarness.SiloId(victim)) == "dead", TimeSpan.FromSeconds(30));
        Assert.Equal("dead", after.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("id").GetString() == ClusterHarness.SiloId(victim)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Restarting_postgresql_under_load_the_silos_reconnect_and_carry_on()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var cluster = await ClusterHarness.StartAsync(3, postgres.ConnectionString);
        await ClusterHarness.WaitForViewAsync(cluster.Silos[0]!, v => ClusterHarness.LeaderOf(v) is not null, TimeSpan.FromSeconds(60));

        var accepted = await SubmitRoundRobinAsync(cluster.Live.ToList(), 30);
        await cluster.Live.First().Client.WaitUntilRunningAsync(accepted[^1], TimeSpan.FromSeconds(60));
        await postgres.StopAsync();
        await postgres.StartServerAsync();

        // The first request on each silo may meet a connection the restart cut: it is refused with 'unavailable'
        // (nothing stored) and the next one uses a fresh connection.
        foreach (var (gateway, i) in cluster.Live.Select((g, i) => (g, i)).ToList())
        {
            for (var n = 0; n < 10; n++)
            {
                var ok = await TrySubmitAsync(gateway);
                if (ok is not null)
                {
                    accepted.Add(ok);
                    break;
                }
            }
        }

        accepted.AddRange(await SubmitRoundRobinAsync(cluster.Live.ToList(), 30));
        var jobs = await WaitAllAsync(cluster.Live.First(), accepted);
        AssertNoneLostNoneTwice(jobs, cluster, maxAttempts: 3);
        Assert.True(accepted.Count >= 63, $"only {accepted.Count} jobs were accepted");
        var view = await ClusterHarness.WaitForViewAsync(cluster.Silos[0]!, v => ClusterHarness.LeaderOf(v) is not null && Alive(v, "silos") == 3, TimeSpan.FromSeconds(60));
        output.WriteLine($"after the restart {ClusterHarness.LeaderOf(view)} leads; {jobs.Count(j => j.Attempts > 1)} of {jobs.Count} jobs re-ran");
    }

    private static async Task<string?> TrySubmitAsync(SiloProcess gateway)
    {
        try
        {
            return (await gateway.Client.SubmitAsync(new HeraJobRequest { Sql = WorkSql })).Id;
        }
        catch (HeraApiException e) when (e.Code == "unavailable")
        {
            return null;
        }
    }

    private static int Alive(JsonElement view, string members) =>
        view.GetProperty(members).EnumerateArray().Count(m => m.GetProperty("state").GetString() == "alive");

    private static async Task<List<string>> SubmitRoundRobinAsync(IReadOnlyList<SiloProcess> gateways, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await gateways[i % gateways.Count].Client.SubmitAsync(new HeraJobRequest { Sql = i % 3 == 0 ? WorkSql : ShortSql })).Id);
        }

        return ids;
    }

    // Submits long jobs one at a time (each accepted) until one is seen running on worker <workerId>, so the kill
    // that follows lands mid-attempt there; each waits on its own long poll until it starts.
    private static async Task EnsureRunningOnAsync(SiloProcess gateway, List<string> accepted, string workerId)
    {
        var placed = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            var id = (await gateway.Client.SubmitAsync(new HeraJobRequest { Sql = WorkSql })).Id;
            accepted.Add(id);
            var job = await gateway.Client.WaitUntilRunningAsync(id, TimeSpan.FromSeconds(60));
            var claim = job.Events.LastOrDefault(IsClaim)?.Detail ?? "(none)";
            if (job.State == "running" && claim.StartsWith($"worker {workerId} ", StringComparison.Ordinal))
            {
                return;
            }

            placed.Add(claim.Split(' ')[1]);
        }

        throw new InvalidOperationException($"no job was seen running on {workerId}; claims: " +
            string.Join(", ", placed.GroupBy(p => p).Select(g => $"{g.Key} x{g.Count()}")));
    }

    // The scheduler's claim of an attempt, as opposed to notes the attempt adds while running.
    private static bool IsClaim(HeraJobEvent e) => e.State == "running" && e.Detail?.StartsWith("worker ", StringComparison.Ordinal) == true;

    private static async Task<List<HeraJob>> WaitAllAsync(SiloProcess gateway, IEnumerable<string> ids)
    {
        var jobs = new List<HeraJob>();
        foreach (var id in ids)
        {
            jobs.Add(await gateway.Client.WaitAsync(id, TimeSpan.FromSeconds(120)));
        }

        return jobs;
    }

    // Every accepted job ends succeed, once: one succeed event, at most one extra attempt per lost one.
    private static void AssertNoneLostNoneTwice(IReadOnlyList<HeraJob> jobs, ClusterHarness cluster, int maxAttempts = 2)
    {
        var notDone = jobs.Where(j => j.State != "succeed")
            .Select(j => $"{j.Id} {j.State} {j.Reason} {j.Error?.Message} waits: {j.WaitReason}; events: {string.Join(" | ", j.Events.Select(e => $"{e.At:HH:mm:ss.fff} {e.State} {e.Detail}"))}")
            .ToList();
        Assert.True(notDone.Count == 0, $"{notDone.Count} jobs did not succeed: {string.Join("; ", notDone.Take(5))}\n{cluster.Output()[^Math.Min(cluster.Output().Length, 4000)..]}");
        Assert.All(jobs, j => Assert.Single(j.Events, e => e.State == "succeed"));
        Assert.All(jobs, j => Assert.Equal(j.Attempts, j.Events.Count(IsClaim)));
        Assert.All(jobs, j => Assert.Equal(1, j.RowCount));
        Assert.All(jobs, j => Assert.InRange(j.Attempts, 1, maxAttempts));
    }
}

/// <summary>Cluster tests run one at a time: each starts three silos on a two-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "cluster";
}
