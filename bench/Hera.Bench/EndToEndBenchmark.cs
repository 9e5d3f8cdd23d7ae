using System.Diagnostics;
using System.Globalization;
using Hera.Client;
using Hera.Silo.Configuration;
using Hera.Silo.Hosting;
using Microsoft.Data.Sqlite;

namespace Hera.Bench;

/// <summary>
/// End-to-end cost of a trivial query: submit-to-result through a real embedded silo (Kestrel on loopback,
/// SQLite store, engine <c>local</c>) versus the same query through Microsoft.Data.Sqlite directly on the same
/// database file, measured in one run. Sequential runs give latency percentiles; concurrent runs give jobs/s.
/// </summary>
internal static class EndToEndBenchmark
{
    private const string Query = "SELECT 1 AS n";

    public static async Task<int> RunAsync(string[] args)
    {
        var jobs = BenchArgs.Option(args, "--jobs", 2000);
        var concurrency = BenchArgs.Option(args, "--concurrency", 8);
        var warmup = BenchArgs.Option(args, "--warmup", 200);
        var dataDir = Path.Combine(Path.GetTempPath(), "hera-bench", Guid.NewGuid().ToString("N"));
        var url = "http://127.0.0.1:" + BenchArgs.Option(args, "--port", 5099).ToString(CultureInfo.InvariantCulture);

        var builder = WebApplication.CreateBuilder(["--urls", url, "--data-dir", dataDir, "--demo-data", "0.001", "--silo-id", "bench"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.AddHeraSilo(SiloOptions.Parse(builder.Configuration)).Build().UseHeraSilo();
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url + "/") };
            var client = new HeraClient(http);
            var enginePath = app.Services.GetRequiredService<SiloOptions>().LocalEnginePath;

            await MeasureGatewayAsync(client, warmup, 1);
            await MeasureDirectAsync(enginePath, warmup, 1);

            var direct1 = await MeasureDirectAsync(enginePath, jobs, 1);
            var gateway1 = await MeasureGatewayAsync(client, jobs, 1);
            var directC = await MeasureDirectAsync(enginePath, jobs, concurrency);
            var gatewayC = await MeasureGatewayAsync(client, jobs, concurrency);

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Console.WriteLine($"query: {Query}; {jobs} jobs per run; concurrency {concurrency}");
            Console.WriteLine();
            Console.WriteLine("| path | concurrency | jobs/s | p50 ms | p99 ms |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            foreach (var (name, r) in new[] { ("Microsoft.Data.Sqlite direct", direct1), ("Hera gateway (submit ?wait + GET result)", gateway1), ("Microsoft.Data.Sqlite direct", directC), ("Hera gateway (submit ?wait + GET result)", gatewayC) })
            {
                Console.WriteLine(FormattableString.Invariant($"| {name} | {r.Concurrency} | {r.PerSecond:F0} | {r.P50:F3} | {r.P99:F3} |"));
            }

            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant($"ratio gateway/direct jobs/s: sequential {gateway1.PerSecond / direct1.PerSecond:F4}, concurrent {gatewayC.PerSecond / directC.PerSecond:F4}"));
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static Task<Result> MeasureGatewayAsync(HeraClient client, int count, int concurrency) =>
        MeasureAsync(count, concurrency, async () =>
        {
            var job = await client.SubmitAsync(new HeraJobRequest { Sql = Query }, TimeSpan.FromSeconds(30));
            if (job.State != "succeed")
            {
                throw new InvalidOperationException($"job {job.Id} ended {job.State}: {job.Error?.Message}");
            }

            using var result = await client.OpenResultAsync(job.Id);
            await result.Content.ReadAsByteArrayAsync();
        });

    private static Task<Result> MeasureDirectAsync(string databasePath, int count, int concurrency) =>
        MeasureAsync(count, concurrency, () =>
        {
            using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=True");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Query;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                _ = reader.GetInt64(0);
            }

            return Task.CompletedTask;
        });

    private static async Task<Result> MeasureAsync(int count, int concurrency, Func<Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await operation();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        total.Stop();
        Array.Sort(latencies);
        return new Result(concurrency, count / total.Elapsed.TotalSeconds, latencies[count / 2], latencies[Math.Min(count - 1, (int)(count * 0.99))]);
    }

    private sealed record Result(int Concurrency, double PerSecond, double P50, double P99);
}
