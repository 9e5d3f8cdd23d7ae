using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Hera.Client;
using Hera.Tests.Support;
using Npgsql;

namespace Hera.Bench;

/// <summary>
/// Issue 6's numbers, in one run: trivial jobs per second through three silo processes sharing a PostgreSQL grid
/// store against one embedded silo (SQLite) on the same machine; submit-to-start latency (the job's own
/// <c>startedAt - submittedAt</c>) against a bare Npgsql NOTIFY round trip; what an idle silo costs PostgreSQL;
/// and how soon a new leader dispatches after the leader is killed with SIGKILL.
/// </summary>
internal static class ClusterBenchmark
{
    private const string Trivial = "SELECT 1 AS n";

    public static async Task<int> RunAsync(string[] args)
    {
        var pg = Environment.GetEnvironmentVariable("HERA_TEST_PG") ?? throw new InvalidOperationException("set HERA_TEST_PG (scripts/test-services.sh start)");
        var jobs = BenchArgs.Option(args, "--jobs", 600);
        var concurrency = BenchArgs.Option(args, "--concurrency", 12);
        var latencyJobs = BenchArgs.Option(args, "--latency-jobs", 300);
        var kills = BenchArgs.Option(args, "--kills", 5);
        var idleSeconds = BenchArgs.Option(args, "--idle-seconds", 10);
        using var root = new TempDirectory();

        // A database of its own, so pg_stat_database counts the silos' statements and nobody else's.
        var database = "hera_bench_" + Guid.NewGuid().ToString("N")[..10];
        var store = new NpgsqlConnectionStringBuilder(pg) { Database = database }.ConnectionString;
        await ExecuteAsync(pg, $"CREATE DATABASE {database}");
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            var notify = await NotifyRoundTripAsync(pg, latencyJobs);

            Result embeddedRate, embeddedLatency;
            await using (var embedded = await SiloProcess.StartAsync(["--data-dir", Path.Combine(root.Path, "embedded"), "--demo-data", "none", "--silo-id", "embedded", "--worker-slots", "4"]))
            {
                await WarmAsync([embedded]);
                embeddedRate = await ThroughputAsync([embedded], jobs, concurrency);
                embeddedLatency = await SubmitToStartAsync(embedded, latencyJobs);
            }

            var silos = new List<SiloProcess>();
            for (var i = 0; i < 3; i++)
            {
                silos.Add(await StartClusterSiloAsync(root.Path, store, i));
            }

            try
            {
                var leader = await LeaderAsync(silos, silos[0]);
                var follower = silos.First(s => s.Address != leader.Address);
                var idle = await IdleCostAsync(store, idleSeconds, silos.Count);
                await WarmAsync(silos);
                var clusterRate = await ThroughputAsync(silos, jobs, concurrency);
                var viaLeader = await SubmitToStartAsync(leader, latencyJobs);
                var viaFollower = await SubmitToStartAsync(follower, latencyJobs);

                var failovers = new List<double>();
                for (var k = 0; k < kills; k++)
                {
                    failovers.Add(await KillLeaderAsync(silos, root.Path, store));
                }

                failovers.Sort();
                Console.WriteLine();
                Console.WriteLine($"trivial jobs ({Trivial}), {jobs} submitted with ?wait by {concurrency} concurrent callers, round-robin over the gateways:");
                Console.WriteLine();
                Console.WriteLine("| path | jobs | jobs/s | p50 ms | p99 ms | ratio |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|");
                Row("embedded silo (SQLite store)", embeddedRate, embeddedRate.PerSecond);
                Row("3 silos, PostgreSQL store", clusterRate, embeddedRate.PerSecond);
                Console.WriteLine();
                Console.WriteLine($"submit-to-start, {latencyJobs} jobs one at a time (startedAt - submittedAt as the job records them):");
                Console.WriteLine();
                Console.WriteLine("| path | runs | p50 ms | p99 ms | p50 ratio to NOTIFY |");
                Console.WriteLine("|---|---:|---:|---:|---:|");
                LatencyRow("bare Npgsql NOTIFY round trip (NOTIFY on one connection to LISTEN on another)", notify, notify);
                LatencyRow("embedded silo", embeddedLatency, notify);
                LatencyRow("cluster, submitted through the leader's gateway", viaLeader, notify);
                LatencyRow("cluster, submitted through a follower's gateway", viaFollower, notify);
                Console.WriteLine();
                Console.WriteLine($"idle cost: {idle.PerSilo:F2} per second per silo ({idle.Total} {idle.Source} in {idleSeconds} s for {silos.Count} silos)");
                Console.WriteLine($"leader failover (SIGKILL of the leader to the first claim by the next one), {kills} kills: " +
                    $"p50 {Percentile(failovers, 0.5):F0} ms, p95 {Percentile(failovers, 0.95):F0} ms, max {failovers[^1]:F0} ms");
            }
            finally
            {
                foreach (var silo in silos)
                {
                    await silo.DisposeAsync();
                }
            }
        }
        finally
        {
            await ExecuteAsync(pg, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }

        return 0;
    }

    private static Task<SiloProcess> StartClusterSiloAsync(string root, string store, int index) =>
        SiloProcess.StartAsync(
        [
            "--store", "postgres", "--store-connection", store, "--silo-id", $"silo-{index}", "--data-dir", Path.Combine(root, $"silo-{index}"),
            "--results-dir", Path.Combine(root, "results"), "--demo-data", "none", "--worker-slots", "4", "--worker-dead-after-seconds", "3",
        ]);

    private static async Task WarmAsync(IReadOnlyList<SiloProcess> silos)
    {
        foreach (var silo in silos)
        {
            for (var i = 0; i < 20; i++)
            {
                await silo.Client.SubmitAsync(new HeraJobRequest { Sql = Trivial }, TimeSpan.FromSeconds(30));
            }
        }
    }

    private static async Task<Result> ThroughputAsync(IReadOnlyList<SiloProcess> gateways, int jobs, int concurrency)
    {
        var next = -1;
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < jobs)
            {
                var started = Stopwatch.GetTimestamp();
                var job = await gateways[n % gateways.Count].Client.SubmitAsync(new HeraJobRequest { Sql = Trivial }, TimeSpan.FromSeconds(60));
                if (job.State != "succeed")
                {
                    throw new InvalidOperationException($"job {job.Id} ended {job.State} {job.Reason}: {job.Error?.Code} {job.Error?.Message}; events: {string.Join(" | ", job.Events.Select(e => $"{e.State} {e.Detail}"))}");
                }

                var took = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(took);
                }

                if (took > 1000 && Environment.GetEnvironmentVariable("HERA_BENCH_TRACE") is not null)
                {
                    Console.Error.WriteLine($"slow job {job.Id} {took:F0} ms via {gateways[n % gateways.Count].Address}: " +
                        string.Join(" | ", job.Events.Select(e => $"{e.At:HH:mm:ss.fff} {e.State} {e.Detail}")));
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        return new Result(jobs, jobs / seconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99));
    }

    private static async Task<Result> SubmitToStartAsync(SiloProcess gateway, int count)
    {
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var job = await gateway.Client.SubmitAsync(new HeraJobRequest { Sql = Trivial }, TimeSpan.FromSeconds(30));
            latencies.Add((job.StartedAt!.Value - job.SubmittedAt).TotalMilliseconds);
        }

        latencies.Sort();
        return new Result(count, 0, Percentile(latencies, 0.5), Percentile(latencies, 0.99));
    }

    // NOTIFY on one connection, measured until a LISTEN on another receives it: the floor of any dispatch by NOTIFY.
    private static async Task<Result> NotifyRoundTripAsync(string pg, int count)
    {
        await using var listener = new NpgsqlConnection(pg);
        await using var sender = new NpgsqlConnection(pg);
        await listener.OpenAsync();
        await sender.OpenAsync();
        var channel = "hera_bench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var listen = new NpgsqlCommand($"LISTEN {channel}", listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        var received = new TaskCompletionSource();
        listener.Notification += (_, _) => received.TrySetResult();
        await using var notify = new NpgsqlCommand($"NOTIFY {channel}", sender);
        var latencies = new List<double>();
        for (var i = 0; i < count + 20; i++)
        {
            received = new TaskCompletionSource();
            var wait = listener.WaitAsync();
            var started = Stopwatch.GetTimestamp();
            await notify.ExecuteNonQueryAsync();
            await wait;
            await received.Task;
            if (i >= 20)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        latencies.Sort();
        return new Result(count, 0, Percentile(latencies, 0.5), Percentile(latencies, 0.99));
    }

    // Statements the silos sent while idle, from pg_stat_statements (which scripts/test-services.sh loads); where it
    // is not loaded, transactions from pg_stat_database, which also count autovacuum's.
    private static async Task<(long Total, double PerSilo, string Source)> IdleCostAsync(string store, int seconds, int silos)
    {
        await using var connection = new NpgsqlConnection(store);
        await connection.OpenAsync();
        var statements = await TryAsync(connection, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
        var count = statements
            ? "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            : "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()";
        var before = statements ? 0 : await CountAsync(connection, count);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = await CountAsync(connection, count);
        var total = after - before - 1; // the first read's own
        return (total, total / (double)seconds / silos, statements ? "statements, pg_stat_statements" : "transactions, pg_stat_database");
    }

    private static async Task<bool> TryAsync(NpgsqlConnection connection, string sql)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql)
    {
        await using (var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", connection))
        {
            await clear.ExecuteNonQueryAsync();
        }

        await using var read = new NpgsqlCommand(sql, connection);
        return (long)(await read.ExecuteScalarAsync())!;
    }

    // Kills the leader, then measures until the first job claimed after the kill (a new leader's first dispatch);
    // restarts the killed silo so the next round again has three.
    private static async Task<double> KillLeaderAsync(List<SiloProcess> silos, string root, string store)
    {
        var leader = await LeaderAsync(silos, silos[0]);
        var index = silos.IndexOf(leader);
        var survivor = silos[(index + 1) % silos.Count];
        var killedAt = DateTime.UtcNow;
        await leader.KillAsync();
        var probe = await survivor.Client.SubmitAsync(new HeraJobRequest { Sql = Trivial });
        var started = await survivor.Client.WaitUntilRunningAsync(probe.Id, TimeSpan.FromSeconds(60));
        var claimed = started.StartedAt ?? throw new InvalidOperationException("the probe did not start");
        await leader.DisposeAsync();
        silos[index] = await StartClusterSiloAsync(root, store, index);
        await LeaderAsync(silos, silos[index]);
        return (claimed - killedAt).TotalMilliseconds;
    }

    private static async Task<SiloProcess> LeaderAsync(IReadOnlyList<SiloProcess> silos, SiloProcess any)
    {
        // A probe job paces the wait: its long poll returns once the cluster has dispatched.
        while (true)
        {
            var view = await any.Client.Http.GetFromJsonAsync<JsonElement>("v1/cluster");
            if (view.GetProperty("leader").ValueKind == JsonValueKind.String)
            {
                var leader = view.GetProperty("leader").GetString();
                var address = view.GetProperty("silos").EnumerateArray().First(s => s.GetProperty("id").GetString() == leader).GetProperty("address").GetString();
                return silos.First(s => s.Address.ToString().TrimEnd('/') == address);
            }

            await any.Client.SubmitAsync(new HeraJobRequest { Sql = Trivial }, TimeSpan.FromSeconds(1));
        }
    }

    private static async Task ExecuteAsync(string pg, string sql)
    {
        await using var connection = new NpgsqlConnection(pg);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static void Row(string path, Result r, double baselinePerSecond) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {path} | {r.Count} | {r.PerSecond:F1} | {r.P50:F2} | {r.P99:F2} | {r.PerSecond / baselinePerSecond:F2} |"));

    private static void LatencyRow(string path, Result r, Result notify) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {path} | {r.Count} | {r.P50:F2} | {r.P99:F2} | {r.P50 / notify.P50:F2} |"));

    private sealed record Result(int Count, double PerSecond, double P50, double P99);
}
