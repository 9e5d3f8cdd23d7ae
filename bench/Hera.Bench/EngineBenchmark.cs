using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hera.Client;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Postgres;
using Hera.Grains.Engines;
using Hera.Silo.Configuration;
using Hera.Silo.Hosting;
using Npgsql;

namespace Hera.Bench;

/// <summary>
/// Issue 4's numbers, in one run against real servers: a point query and a million-row scan through Hera (submit
/// with <c>?wait</c>, then the NDJSON result read to the end) versus the same statement through Npgsql directly
/// and through a plain HTTP POST to ClickHouse (what curl does); then how soon a failover starts after an engine
/// fails, and how a race of a slow and a fast engine compares with the fast engine alone.
/// </summary>
/// <remarks>
/// Options: <c>--points N</c> (sequential point queries per path; the 8-caller rows run 4N), <c>--concurrency N</c>
/// (callers in those rows), <c>--scans N</c>, <c>--races N</c>. Sections alone: <c>--points-only</c>,
/// <c>--scans-only</c>, <c>--failover-only</c>, <c>--race-only</c>, <c>--adapter-only</c> (the pg adapter in-process
/// against Npgsql). <c>--soak pg|ch [--soak-scan]</c> runs interactive queries until killed, for a profiler.
/// </remarks>
internal static class EngineBenchmark
{
    private const string PointQuery = "SELECT 1 AS n";
    private const string PgScan = "SELECT g AS id, g * 2 AS twice, 'row ' || g AS label FROM generate_series(1, 1000000) AS g";
    private const string ChScan = "SELECT number AS id, number * 2 AS twice, concat('row ', toString(number)) AS label FROM system.numbers LIMIT 1000000";

    public static async Task<int> RunAsync(string[] args)
    {
        var pg = Environment.GetEnvironmentVariable("HERA_TEST_PG") ?? throw new InvalidOperationException("set HERA_TEST_PG (scripts/test-services.sh start)");
        var ch = Environment.GetEnvironmentVariable("HERA_TEST_CH") ?? throw new InvalidOperationException("set HERA_TEST_CH (scripts/test-services.sh start)");
        var points = BenchArgs.Option(args, "--points", 500);
        var scans = BenchArgs.Option(args, "--scans", 3);
        var races = BenchArgs.Option(args, "--races", 20);
        var concurrency = BenchArgs.Option(args, "--concurrency", 8);

        // --race-only: the race section alone, for looking into it without the two minutes before it.
        var raceOnly = args.Contains("--race-only");
        var dataDir = Path.Combine(Path.GetTempPath(), "hera-bench", Guid.NewGuid().ToString("N"));
        var url = "http://127.0.0.1:" + BenchArgs.Option(args, "--port", 5098).ToString(CultureInfo.InvariantCulture);

        var builder = WebApplication.CreateBuilder(["--urls", url, "--data-dir", dataDir, "--demo-data", "0", "--silo-id", "bench", "--worker-slots", "4"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddHeraSilo(SiloOptions.Parse(builder.Configuration));

        // The failover section kills ten pg statements in a row; with the default circuit (three failures in 30 s)
        // pg would be skipped after a few and never run the statement the section waits to kill.
        builder.Services.AddSingleton(new CircuitOptions(1.0, 1000, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)));
        var app = builder.Build().UseHeraSilo();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromMinutes(10) };
            var client = new HeraClient(http);
            await PutAsync(http, "v1/engines/pg", new { kind = "postgres", connection = pg, maxConcurrency = 8 });
            await PutAsync(http, "v1/engines/ch", new { kind = "clickhouse", connection = ch, maxConcurrency = 8 });
            await using var dataSource = NpgsqlDataSource.Create(pg);
            using var chHttp = new HttpClient { BaseAddress = new Uri(ch.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(10) };

            // Warm every path once.
            await HeraAsync(client, PointQuery, "pg");
            await HeraAsync(client, PointQuery, "ch");
            await NpgsqlAsync(dataSource, PointQuery);
            await ClickHouseAsync(chHttp, PointQuery);
            await QueryAsync(client, PointQuery, "pg");
            await QueryAsync(client, PointQuery, "ch");
            await FloorAsync(http);
            // --soak ENGINE: interactive point queries on ENGINE by --concurrency callers until killed, for a profiler
            // to attach to (dotnet-trace collect -p PID).
            var soakIndex = Array.IndexOf(args, "--soak");
            if (soakIndex >= 0)
            {
                // With --soak-scan, the engine's million-row scan instead, one at a time.
                var soakEngine = args[soakIndex + 1];
                var scan = args.Contains("--soak-scan");
                var soakSql = scan ? (soakEngine == "ch" ? ChScan : PgScan) : PointQuery;
                Console.WriteLine($"soaking: pid {Environment.ProcessId}, interactive {(scan ? "scans" : "point queries")} on {soakEngine}");
                await MeasureConcurrentAsync(10_000_000, scan ? 1 : concurrency, () => QueryAsync(client, soakSql, soakEngine));
                return 0;
            }

            // --adapter-only: the PostgreSQL adapter in-process (no HTTP, no job) against Npgsql directly, three rounds:
            // what the adapter's own transaction, settings and commit cost a point query.
            if (args.Contains("--adapter-only"))
            {
                await using var adapter = new PostgresEngineAdapter("bench", pg);
                Console.WriteLine("| path | runs | per second | p50 ms | p99 ms | ratio to direct |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|");
                for (var round = 0; round < 3; round++)
                {
                    var direct = await MeasureAsync(points, () => NpgsqlAsync(dataSource, PointQuery));
                    var viaAdapter = await MeasureAsync(points, () => AdapterAsync(adapter, PointQuery));
                    Row("point: Npgsql direct", direct, direct);
                    Row("point: Hera's pg adapter in-process", viaAdapter, direct);
                }

                return 0;
            }

            if (args.Contains("--failover-only"))
            {
                await FailoverAsync(client, dataSource);
                return 0;
            }

            if (raceOnly)
            {
                await RaceAsync(client, dataSource, chHttp, races);
                return 0;
            }

            if (args.Contains("--scans-only"))
            {
                var only = await MeasureInterleavedAsync(
                    scans, () => NpgsqlAsync(dataSource, PgScan), () => QueryAsync(client, PgScan, "pg"),
                    () => ClickHouseAsync(chHttp, ChScan), () => QueryAsync(client, ChScan, "ch"), () => QueryAsync(client, ChScan, "ch", "text/csv"));
                Console.WriteLine("| path | runs | per second | p50 ms | p99 ms | ratio to direct |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|");
                Row("scan: Npgsql direct", only[0], only[0]);
                Row("scan: Hera interactive on pg", only[1], only[0]);
                Row("scan: HTTP POST to ClickHouse (TSV)", only[2], only[2]);
                Row("scan: Hera interactive on ch", only[3], only[2]);
                Row("scan: Hera interactive on ch, CSV", only[4], only[2]);
                return 0;
            }

            var npgPoint = await MeasureAsync(points, () => NpgsqlAsync(dataSource, PointQuery));
            var heraPgPoint = await MeasureAsync(points, () => HeraAsync(client, PointQuery, "pg"));
            var chPoint = await MeasureAsync(points, () => ClickHouseAsync(chHttp, PointQuery));
            var heraChPoint = await MeasureAsync(points, () => HeraAsync(client, PointQuery, "ch"));
            var floor = await MeasureAsync(points, () => FloorAsync(http));
            var queryPgPoint = await MeasureAsync(points, () => QueryAsync(client, PointQuery, "pg"));
            var queryChPoint = await MeasureAsync(points, () => QueryAsync(client, PointQuery, "ch"));
            // Throughput under load: the same point queries, several callers at once, each path in turn.
            var loadPoints = points * 4;
            var npgLoad = await MeasureConcurrentAsync(loadPoints, concurrency, () => NpgsqlAsync(dataSource, PointQuery));
            var queryPgLoad = await MeasureConcurrentAsync(loadPoints, concurrency, () => QueryAsync(client, PointQuery, "pg"));
            var chLoad = await MeasureConcurrentAsync(loadPoints, concurrency, () => ClickHouseAsync(chHttp, PointQuery));
            var queryChLoad = await MeasureConcurrentAsync(loadPoints, concurrency, () => QueryAsync(client, PointQuery, "ch"));
            var floorLoad = await MeasureConcurrentAsync(loadPoints, concurrency, () => FloorAsync(http));
            void PointRows()
            {
                Console.WriteLine("| path | runs | per second | p50 ms | p99 ms | ratio to direct |");
                Console.WriteLine("|---|---:|---:|---:|---:|---:|");
                Row("point: Npgsql direct", npgPoint, npgPoint);
                Row("point: Hera job on pg", heraPgPoint, npgPoint);
                Row("point: Hera interactive on pg", queryPgPoint, npgPoint);
                Row("point: HTTP floor (404 from Hera, no engine)", floor, npgPoint);
                Row("point: HTTP POST to ClickHouse", chPoint, chPoint);
                Row("point: Hera job on ch", heraChPoint, chPoint);
                Row("point: Hera interactive on ch", queryChPoint, chPoint);
                Row($"point, {concurrency} at once: Npgsql direct", npgLoad, npgLoad);
                Row($"point, {concurrency} at once: Hera interactive on pg", queryPgLoad, npgLoad);
                Row($"point, {concurrency} at once: HTTP floor", floorLoad, npgLoad);
                Row($"point, {concurrency} at once: HTTP POST to ClickHouse", chLoad, chLoad);
                Row($"point, {concurrency} at once: Hera interactive on ch", queryChLoad, chLoad);
            }

            if (args.Contains("--points-only"))
            {
                PointRows();
                return 0;
            }

            // Scans are few and long, so each direct run is followed by its Hera runs: a change of load on the shared
            // machine then hits a row and its baseline alike.
            var pgScans = await MeasureInterleavedAsync(
                scans, () => NpgsqlAsync(dataSource, PgScan), () => HeraAsync(client, PgScan, "pg"), () => QueryAsync(client, PgScan, "pg"));
            var chScans = await MeasureInterleavedAsync(
                scans, () => ClickHouseAsync(chHttp, ChScan), () => HeraAsync(client, ChScan, "ch"), () => QueryAsync(client, ChScan, "ch"),
                () => QueryAsync(client, ChScan, "ch", "text/csv"));
            var (npgScan, heraPgScan, queryPgScan) = (pgScans[0], pgScans[1], pgScans[2]);
            var (chScan, heraChScan, queryChScan, queryChScanCsv) = (chScans[0], chScans[1], chScans[2], chScans[3]);

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine($"point query: {PointQuery} x {points}; scan: 1,000,000 rows x {scans} (3 columns), read to the end, each direct scan followed by its Hera scans");
            Console.WriteLine();
            PointRows();
            Row("scan: Npgsql direct", npgScan, npgScan);
            Row("scan: Hera job on pg", heraPgScan, npgScan);
            Row("scan: Hera interactive on pg", queryPgScan, npgScan);
            Row("scan: HTTP POST to ClickHouse (TSV)", chScan, chScan);
            Row("scan: Hera job on ch", heraChScan, chScan);
            Row("scan: Hera interactive on ch", queryChScan, chScan);
            Row("scan: Hera interactive on ch, CSV", queryChScanCsv, chScan);

            await FailoverAsync(client, dataSource);
            await RaceAsync(client, dataSource, chHttp, races);
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    // A statement on pg that dies mid-run (its backend terminated), with ch next: the gap between the failure
    // and the next engine's start, taken from the job's own events.
    private static async Task FailoverAsync(HeraClient client, NpgsqlDataSource pg)
    {
        var gaps = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var tag = $"failover-{Guid.NewGuid():N}";
            var job = await client.SubmitAsync(new HeraJobRequest
            {
                Sql = $"SELECT pg_sleep(30), '{tag}'",
                Engines = ["pg", "ch"],
                Dialect = "native",
            });
            await client.WaitUntilRunningAsync(job.Id, TimeSpan.FromSeconds(30));
            await using (var kill = pg.CreateCommand(
                $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name LIKE '{job.Id}-%' AND query LIKE '%{tag}%' AND state = 'active'"))
            {
                while ((long)(await kill.ExecuteScalarAsync())! == 0)
                {
                    // The statement reaches pg_stat_activity a moment after the job shows running. Only the attempt's own
                    // backend is the target (tagged with the attempt id): an idle pooled connection of this loop also
                    // shows the tag, as its last query.
                }
            }

            var done = await client.WaitAsync(job.Id, TimeSpan.FromSeconds(60));
            var failed = done.Events.FirstOrDefault(e => e.Detail?.StartsWith("engine pg:", StringComparison.Ordinal) == true)
                ?? throw new InvalidOperationException($"job {done.Id} ended {done.State} with no failure noted on pg: {string.Join(" | ", done.Events.Select(e => $"{e.State} {e.Detail}"))}");
            var next = done.Events.FirstOrDefault(e => e.Detail?.StartsWith("engine ch:", StringComparison.Ordinal) == true)
                ?? throw new InvalidOperationException($"job {done.Id} ended {done.State} with nothing noted on ch: {string.Join(" | ", done.Events.Select(e => $"{e.State} {e.Detail}"))}");
            gaps.Add(Math.Max(0, (next.At - failed.At).TotalMilliseconds));
        }

        gaps.Sort();
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant(
            $"failover pg -> ch after the pg backend is terminated mid-run: failure note to next-engine note p50 {gaps[gaps.Count / 2]:F1} ms, max {gaps[^1]:F1} ms (10 runs; the ch note is written when ch finishes, so this is an upper bound on the start gap)"));
    }

    // The same statement is slow on pg (a view that sleeps 200 ms) and fast on ch (a one-row table): a race of
    // both against ch alone, through Hera, in one run.
    private static async Task RaceAsync(HeraClient client, NpgsqlDataSource pg, HttpClient ch, int runs)
    {
        await using (var setup = pg.CreateCommand("CREATE OR REPLACE VIEW race_t AS SELECT 42 AS v FROM pg_sleep(0.2)"))
        {
            await setup.ExecuteNonQueryAsync();
        }

        foreach (var statement in new[] { "DROP TABLE IF EXISTS race_t", "CREATE TABLE race_t (v Int32) ENGINE = Memory", "INSERT INTO race_t VALUES (42)" })
        {
            using var response = await ch.PostAsync("", new StringContent(statement, Encoding.UTF8));
            response.EnsureSuccessStatusCode();
        }

        const string Sql = "SELECT v FROM race_t";
        await HeraAsync(client, Sql, "ch");
        await RacePairAsync(client, "through Hera", runs, () => HeraAsync(client, Sql, "ch"), async () =>
        {
            var job = await client.SubmitAsync(new HeraJobRequest { Sql = Sql, Engines = ["pg", "ch"], Mode = "race", Dialect = "native" }, TimeSpan.FromSeconds(60));
            if (job.State != "succeed" || job.Engine != "ch")
            {
                throw new InvalidOperationException($"race job {job.Id} ended {job.State} on {job.Engine}: {job.Error?.Message}");
            }

            using var result = await client.OpenResultAsync(job.Id, "application/x-ndjson");
            await result.Content.ReadAsByteArrayAsync();
            return job.Id;
        });

        // The same race as an interactive query (POST /v1/query, the winner's rows in the answer), against ch alone
        // the same way.
        await QueryAsync(client, Sql, "ch");
        await RacePairAsync(client, "interactive", runs, () => QueryAsync(client, Sql, "ch"), async () =>
        {
            using var response = await client.QueryAsync(
                new HeraJobRequest { Sql = Sql, Engines = ["pg", "ch"], Mode = "race", Dialect = "native" }, "application/x-ndjson");
            var engine = response.Headers.TryGetValues("Hera-Engine", out var values) ? values.Single() : null;
            await response.Content.ReadAsByteArrayAsync();
            if (engine != "ch")
            {
                throw new InvalidOperationException($"interactive race answered from {engine}");
            }

            return response.Headers.GetValues("Hera-Job-Id").Single();
        });
    }

    /// <summary>
    /// <paramref name="runs"/> pairs, one of each in turn so that a change of load on the shared machine hits both
    /// alike: ch alone, then the race (which returns its job id); after each race, untimed, its loser is settled.
    /// </summary>
    private static async Task RacePairAsync(HeraClient client, string how, int runs, Func<Task> alone, Func<Task<string>> race)
    {
        var aloneTimes = new double[runs];
        var raceTimes = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            aloneTimes[i] = await TimeAsync(alone);
            var id = string.Empty;
            raceTimes[i] = await TimeAsync(async () => id = await race());
            await SettledAsync(client, id);
        }

        var fast = Summarise(aloneTimes);
        var raced = Summarise(raceTimes);
        Console.WriteLine(FormattableString.Invariant(
            $"race slow pg (200 ms) vs fast ch, {how} ({runs} runs each, interleaved): p50 {raced.P50:F2} ms vs ch alone p50 {fast.P50:F2} ms: ratio {raced.P50 / fast.P50:F2}; mean {1000 / raced.PerSecond:F2} vs {1000 / fast.PerSecond:F2} ms: ratio {fast.PerSecond / raced.PerSecond:F2}"));
    }

    // Untimed, between runs: a race's loser is stopped and noted after the caller has its answer; the next run must not
    // pay for that work (nor would a caller whose next query comes later).
    private static async Task SettledAsync(HeraClient client, string jobId)
    {
        var deadline = Stopwatch.StartNew();
        while (!(await client.GetJobAsync(jobId)).Events.Any(e => e.Detail?.Contains("lost the race", StringComparison.Ordinal) == true))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"race {jobId}: no loser was noted within 30 s");
            }

            await Task.Delay(1);
        }
    }

    private static async Task HeraAsync(HeraClient client, string sql, string engine)
    {
        var job = await client.SubmitAsync(new HeraJobRequest { Sql = sql, Engines = [engine], Dialect = "native" }, TimeSpan.FromSeconds(300));
        if (job.State != "succeed")
        {
            throw new InvalidOperationException($"job {job.Id} on {engine} ended {job.State}: {job.Error?.Message}");
        }

        using var result = await client.OpenResultAsync(job.Id, "application/x-ndjson");
        await using var stream = await result.Content.ReadAsStreamAsync();
        await stream.CopyToAsync(Stream.Null);
    }

    // POST /v1/query: the rows come in the answer itself (NDJSON unless told), read to the end.
    private static async Task QueryAsync(HeraClient client, string sql, string engine, string accept = "application/x-ndjson")
    {
        using var response = await client.QueryAsync(new HeraJobRequest { Sql = sql, Engines = [engine], Dialect = "native" }, accept);
        await using var stream = await response.Content.ReadAsStreamAsync();
        await stream.CopyToAsync(Stream.Null);
    }

    // The least any HTTP answer from Hera costs on this machine: an unknown route, answered 404 by the gateway.
    private static async Task FloorAsync(HttpClient http)
    {
        using var response = await http.GetAsync("v1/no-such-route");
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task AdapterAsync(PostgresEngineAdapter adapter, string sql)
    {
        await using var rows = await adapter.ExecuteAsync(new EngineCommand(sql, "bench-adapter"), CancellationToken.None);
        while (await rows.ReadAsync(CancellationToken.None))
        {
        }
    }

    private static async Task NpgsqlAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
        }
    }

    private static async Task ClickHouseAsync(HttpClient http, string sql)
    {
        using var content = new StringContent(sql + " FORMAT TabSeparatedWithNamesAndTypes", Encoding.UTF8);
        using var response = await http.PostAsync("", content);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        await stream.CopyToAsync(Stream.Null);
    }

    private static async Task PutAsync(HttpClient http, string uri, object body)
    {
        using var response = await http.PutAsJsonAsync(uri, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT {uri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<double> TimeAsync(Func<Task> operation)
    {
        var started = Stopwatch.GetTimestamp();
        await operation();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Runs <paramref name="operations"/> one after the other, <paramref name="count"/> times round after an untimed
    /// round; one result per operation.</summary>
    private static async Task<Result[]> MeasureInterleavedAsync(int count, params Func<Task>[] operations)
    {
        var latencies = operations.Select(_ => new double[count]).ToArray();
        // One untimed round first: each path's code is jitted and tiered up, and its pools hold connections.
        foreach (var operation in operations)
        {
            await operation();
        }

        for (var i = 0; i < count; i++)
        {
            for (var o = 0; o < operations.Length; o++)
            {
                latencies[o][i] = await TimeAsync(operations[o]);
            }
        }

        return [.. latencies.Select(l => Summarise(l))];
    }

    /// <summary>Runs, per second (from the sum of the runs' times), p50 and p99 of <paramref name="latencies"/> (sorted in place).</summary>
    private static Result Summarise(double[] latencies)
    {
        Array.Sort(latencies);
        var count = latencies.Length;
        return new Result(count, count / (latencies.Sum() / 1000), latencies[count / 2], latencies[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    private static async Task<Result> MeasureAsync(int count, Func<Task> operation)
    {
        var latencies = new double[count];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        total.Stop();
        Array.Sort(latencies);
        return new Result(count, count / total.Elapsed.TotalSeconds, latencies[count / 2], latencies[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    /// <summary>
    /// <paramref name="count"/> runs of <paramref name="operation"/> by <paramref name="concurrency"/> callers at once;
    /// per second is the runs over the wall-clock time, p50 and p99 are per run.
    /// </summary>
    private static async Task<Result> MeasureConcurrentAsync(int count, int concurrency, Func<Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                latencies[i] = await TimeAsync(operation);
            }
        })));
        total.Stop();
        Array.Sort(latencies);
        return new Result(count, count / total.Elapsed.TotalSeconds, latencies[count / 2], latencies[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    private static void Row(string name, Result r, Result baseline) =>
        Console.WriteLine(FormattableString.Invariant($"| {name} | {r.Count} | {r.PerSecond:F1} | {r.P50:F2} | {r.P99:F2} | {r.PerSecond / baseline.PerSecond:F3} |"));

    private sealed record Result(int Count, double PerSecond, double P50, double P99);
}
