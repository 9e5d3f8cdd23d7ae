using Hera.Grains.Workers;

namespace Hera.Silo.Hosting;

/// <summary>Runs this silo's <see cref="Worker"/> (its heartbeats; attempts arrive from the scheduler) for the life of the host.</summary>
internal sealed class WorkerService(Worker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}
