using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Hera.ClientGateway.Metrics;
using Hera.ClientGateway.Tests.Scheduling;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Jobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Hera.ClientGateway.Tests.Metrics;

/// <summary>
/// The silo under test with the gateway's metrics registered. <see cref="MetricsEndpoints.AddHeraGatewayMetrics"/>
/// is idempotent, so this stays right once the silo's own composition registers them.
/// </summary>
public sealed class MetricsGatewayFactory : HeraGatewayFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddHeraGatewayMetrics());
    }
}

/// <summary><c>GET /metrics</c>: a well-formed Prometheus exposition whose counters and gauges follow the grid.</summary>
public sealed class MetricsApiTests(MetricsGatewayFactory factory) : IClassFixture<MetricsGatewayFactory>
{
    private readonly SchedulingApi _api = new(factory.CreateClient());

    [Fact]
    public async Task Metrics_is_prometheus_text_with_help_and_type_for_every_family()
    {
        using var response = await _api.Http.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var body = await response.Content.ReadAsStringAsync(); File.WriteAllText("/tmp/metrics-sample.txt", body); var metrics = Exposition.Parse(body);
        foreach (var family in new[]
        {
            "hera_jobs", "hera_store_up", "hera_queue_waiting", "hera_queue_running", "hera_queue_capacity", "hera_queue_dynamic_factor",
            "hera_worker_up", "hera_worker_running", "hera_worker_slots", "hera_worker_memory_used_mb", "hera_worker_memory_mb",
            "hera_worker_last_heartbeat_seconds", "hera_engine_max_concurrency", "hera_engine_running", "hera_engine_circuit_open",
            "hera_http_requests_total", "hera_http_request_duration_seconds", "hera_jobs_submitted_total", "hera_jobs_finished_total",
            "hera_silo_info", "process_resident_memory_bytes", "process_cpu_seconds_total", "dotnet_gc_heap_bytes",
        })
        {
            Assert.True(metrics.Types.ContainsKey(family), $"family {family} is exposed");
        }

        Assert.Equal("counter", metrics.Types["hera_jobs_finished_total"]);
        Assert.Equal("histogram", metrics.Types["hera_http_request_duration_seconds"]);
        Assert.Equal(1, metrics.Value("hera_silo_info", ("silo", "test-silo"), ("roles", "gateway,scheduler,worker")));
        Assert.Equal(1, metrics.Value("hera_store_up"));
        Assert.True(metrics.Value("process_resident_memory_bytes") > 0);
    }

    [Fact]
    public async Task Finished_jobs_count_once_each_by_final_state_and_the_store_gauges_follow()
    {
        var before = await ScrapeAsync();

        using var finished = new FinishedJobs(factory.Services.GetRequiredService<JobChangeFeed>());
        var ok1 = await _api.RunAsync("""{"sql": "SELECT 1 AS n"}""");
        var ok2 = await _api.RunAsync("""{"sql": "SELECT 2 AS n"}""");
        var bad = await _api.RunAsync("""{"sql": "SELECT n FROM no_such_table"}""");
        Assert.Equal(["succeed", "succeed", "failed"], new[] { ok1, ok2, bad }.Select(j => j.State()));
        await finished.WhenFinished(ok1.Id(), ok2.Id(), bad.Id()).WaitAsync(TimeSpan.FromSeconds(30));

        var after = await ScrapeAsync();
        Assert.Equal(3, after.Value("hera_jobs_submitted_total") - before.Value("hera_jobs_submitted_total"));
        Assert.Equal(2, Finished(after, "succeed") - Finished(before, "succeed"));
        Assert.Equal(1, Finished(after, "failed") - Finished(before, "failed"));
        Assert.Equal(2, after.Value("hera_jobs", ("state", "succeed")) - before.Value("hera_jobs", ("state", "succeed")));
        Assert.Equal(1, after.Value("hera_jobs", ("state", "failed")) - before.Value("hera_jobs", ("state", "failed")));
    }

    [Fact]
    public async Task A_queue_created_through_the_api_appears_with_its_settings()
    {
        await _api.PutQueueAsync("metrics-etl", """{"weight": 7, "capacity": 321, "parallelism": 3, "state": "closed"}""");
        var metrics = await ScrapeAsync();

        Assert.Equal(321, metrics.Value("hera_queue_capacity", ("queue", "metrics-etl")));
        Assert.Equal(3, metrics.Value("hera_queue_parallelism", ("queue", "metrics-etl")));
        Assert.Equal(7, metrics.Value("hera_queue_weight", ("queue", "metrics-etl")));
        Assert.Equal(0, metrics.Value("hera_queue_waiting", ("queue", "metrics-etl")));
        Assert.Equal(0, metrics.Value("hera_queue_running", ("queue", "metrics-etl")));
        Assert.Equal(0, metrics.Value("hera_queue_dynamic_factor", ("queue", "metrics-etl")));
        Assert.Equal(10_000, metrics.Value("hera_queue_capacity", ("queue", "default")));
    }

    [Fact]
    public async Task A_running_job_shows_on_its_queue_its_worker_and_its_engine()
    {
        await _api.PutQueueAsync("metrics-busy", "{}");
        var job = await _api.SubmitAsync("metrics-busy", SchedulingApi.Endless);
        await _api.WaitAsync(job.Id(), until: "running");
        try
        {
            var metrics = await ScrapeAsync();
            Assert.Equal(1, metrics.Value("hera_queue_running", ("queue", "metrics-busy")));
            var worker = new[] { ("worker", "test-silo"), ("silo", "test-silo"), ("pool", "core") };
            Assert.Equal(1, metrics.Value("hera_worker_up", worker));
            Assert.Equal(2, metrics.Value("hera_worker_slots", worker));
            Assert.True(metrics.Value("hera_worker_running", worker) >= 1);
            Assert.True(metrics.Value("hera_worker_memory_used_mb", worker) >= 64);
            Assert.True(metrics.Value("hera_worker_memory_mb", worker) > 0);
            Assert.InRange(metrics.Value("hera_worker_last_heartbeat_seconds", worker), 0, 60);
            var local = new[] { ("engine", "local"), ("kind", "sqlite") };
            Assert.True(metrics.Value("hera_engine_running", local) >= 0); // the adapter may not have begun the statement yet
            Assert.Equal(16, metrics.Value("hera_engine_max_concurrency", local));
            Assert.Equal(0, metrics.Value("hera_engine_circuit_open", local));
        }
        finally
        {
            await _api.CancelAsync(job.Id());
        }
    }

    [Fact]
    public async Task Requests_are_counted_by_method_and_final_status_with_their_durations()
    {
        var before = await ScrapeAsync();

        using (var missing = await _api.Http.GetAsync("/v1/no-such-route"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var refused = await _api.Http.PutAsync("/v1/queues/metrics-bad", new StringContent("""{"state": "ajar"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        var after = await ScrapeAsync();
        Assert.Equal(1, Requests(after, "GET", "404") - Requests(before, "GET", "404"));
        Assert.Equal(1, Requests(after, "PUT", "400") - Requests(before, "PUT", "400"));

        // The first scrape itself has been answered and counted by the time of the second.
        Assert.True(Requests(after, "GET", "200") > Requests(before, "GET", "200"));
        Assert.Equal(
            after.Value("hera_http_request_duration_seconds_count"),
            after.Value("hera_http_request_duration_seconds_bucket", ("le", "+Inf")));
        Assert.True(after.Value("hera_http_request_duration_seconds_count") - before.Value("hera_http_request_duration_seconds_count") >= 3);
    }

    private static double Finished(Exposition metrics, string state) => metrics.Value("hera_jobs_finished_total", ("state", state));

    private static double Requests(Exposition metrics, string method, string status) =>
        metrics.Find("hera_http_requests_total", ("method", method), ("status", status)) ?? 0;

    private async Task<Exposition> ScrapeAsync() => Exposition.Parse(await _api.Http.GetStringAsync("/metrics"));

    /// <summary>
    /// Signals each job's first terminal change. Handlers of the feed run in the order they subscribed, and the
    /// metrics subscribed at start-up, so when a job's signal fires the counters already hold it.
    /// </summary>
    private sealed class FinishedJobs : IDisposable
    {
        private readonly JobChangeFeed _feed;
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _finished = new(StringComparer.Ordinal);

        public FinishedJobs(JobChangeFeed feed)
        {
            _feed = feed;
            _feed.Changed += OnChanged;
        }

        public Task WhenFinished(params string[] ids) => Task.WhenAll(ids.Select(id => Signal(id).Task));

        public void Dispose() => _feed.Changed -= OnChanged;

        private void OnChanged(JobRecord job)
        {
            if (job.State.IsTerminal())
            {
                Signal(job.Id).TrySetResult();
            }
        }

        private TaskCompletionSource Signal(string id) =>
            _finished.GetOrAdd(id, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
