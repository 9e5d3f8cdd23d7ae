using System.Globalization;
using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Interfaces.Workers;
using Hera.Grains.Scheduling;

namespace Hera.ClientGateway.Metrics;

/// <summary><c>hera_jobs{state}</c> from the grid store, and <c>hera_store_up</c>: whether the store answered.</summary>
internal sealed class JobStateMetricsSource(IGridStore store) : IMetricsSource
{
    public async ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<JobState, long>? counts = null;
        try
        {
            counts = await store.JobCountByStateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that does not answer is itself the news: hera_store_up 0 and no job counts, rather than a
            // failed scrape that would hide every other gauge as well.
        }

        writer.Gauge("hera_store_up", $"1 when the {store.Name} grid store answered this scrape, else 0.", counts is null ? 0 : 1);
        if (counts is null)
        {
            return;
        }

        foreach (var state in Enum.GetValues<JobState>())
        {
            writer.Gauge("hera_jobs", "Jobs in the grid store, by state.", counts.GetValueOrDefault(state), ("state", state.ToWire()));
        }
    }
}

/// <summary>Per queue and per worker gauges from the scheduler's live state (what <c>/v1/queues</c> and <c>/v1/workers</c> show).</summary>
internal sealed class SchedulerMetricsSource(JobScheduler scheduler, TimeProvider time) : IMetricsSource
{
    public ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken)
    {
        foreach (var view in scheduler.ListQueues())
        {
            var d = view.Queue.Definition;
            var queue = ("queue", d.Name);
            writer.Gauge("hera_queue_waiting", "Jobs waiting in the queue.", view.Size, queue);
            writer.Gauge("hera_queue_running", "Jobs of the queue running now.", view.Running, queue);
            writer.Gauge("hera_queue_capacity", "Waiting jobs the queue holds before it answers queue_full.", d.Capacity, queue);
            writer.Gauge("hera_queue_parallelism", "Jobs of the queue that may run at once.", d.Parallelism, queue);
            writer.Gauge("hera_queue_weight", "The queue's weight (higher runs first).", d.Weight, queue);
            writer.Gauge("hera_queue_dynamic_factor", "size / capacity x (1 - running / parallelism): orders queues of equal weight.", view.DynamicFactor, queue);
        }

        var now = time.GetUtcNow();
        foreach (var worker in scheduler.ListWorkers())
        {
            ReadOnlySpan<(string, string)> labels = [("worker", worker.Id), ("silo", worker.Silo), ("pool", worker.Pool)];
            writer.Gauge("hera_worker_up", "1 while the worker's heartbeats arrive (alive), 0 when dead or stopped.", worker.State == WorkerState.Alive ? 1 : 0, labels);
            writer.Gauge("hera_worker_running", "Jobs running on the worker.", worker.Running, labels);
            writer.Gauge("hera_worker_slots", "Task slots the worker offers.", worker.Slots, labels);
            writer.Gauge("hera_worker_memory_used_mb", "Memory estimated for the worker's running jobs, in MiB.", worker.MemoryUsedMb, labels);
            writer.Gauge("hera_worker_memory_mb", "Memory the worker offers to jobs, in MiB.", worker.MemoryMb, labels);
            writer.Gauge("hera_worker_last_heartbeat_seconds", "Seconds since the worker's last heartbeat.", Math.Max(0, (now - worker.LastHeartbeat).TotalSeconds), labels);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Per engine: its concurrency limit, the statements its adapter on this silo runs now, and its circuit.</summary>
internal sealed class EngineMetricsSource(EngineCatalog engines, IEngineRegistry adapters) : IMetricsSource
{
    public ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken)
    {
        foreach (var engine in engines.List())
        {
            var name = engine.Definition.Name;
            ReadOnlySpan<(string, string)> labels = [("engine", name), ("kind", engine.Definition.Kind)];
            writer.Gauge("hera_engine_max_concurrency", "Statements the scheduler may run at once on the engine.", engine.Definition.MaxConcurrency, labels);
            writer.Gauge("hera_engine_running", "Statements this silo's adapter for the engine runs now.", adapters.Find(name)?.Running ?? 0, labels);
            writer.Gauge(
                "hera_engine_circuit_open", "1 while the engine's circuit breaker is open (the engine is skipped), else 0 (closed or half-open).",
                engines.CircuitOf(name) == "open" ? 1 : 0, labels);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary><c>hera_silo_info</c> and the process's own numbers (memory, CPU, GC heap, start time).</summary>
internal sealed class ProcessMetricsSource(SiloIdentity silo) : IMetricsSource
{
    public ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken)
    {
        writer.Gauge(
            "hera_silo_info", "Always 1; labels name this silo and its roles.", 1,
            ("silo", silo.Id), ("roles", string.Join(',', silo.Roles.Order(StringComparer.Ordinal))));
        writer.Gauge(
            "hera_silo_start_time_seconds", "When this silo started, in seconds since the Unix epoch.",
            silo.StartedAt.ToUnixTimeMilliseconds() / 1000.0);
        writer.Gauge("process_resident_memory_bytes", "Resident memory of the silo process, in bytes.", Environment.WorkingSet);
        writer.Counter("process_cpu_seconds_total", "CPU time the silo process used (user and system), in seconds.", Environment.CpuUsage.TotalTime.TotalSeconds);
        writer.Gauge("dotnet_gc_heap_bytes", "Bytes the .NET garbage collector's heap holds as allocated now.", GC.GetTotalMemory(forceFullCollection: false));
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            writer.Counter(
                "dotnet_gc_collections_total", "Garbage collections since the process started, by generation.",
                GC.CollectionCount(generation), ("generation", generation.ToString(CultureInfo.InvariantCulture)));
        }

        return ValueTask.CompletedTask;
    }
}
