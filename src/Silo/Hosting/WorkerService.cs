using Hera.Grains.Workers;

namespace Hera.Silo.Hosting;

/// <summary>Runs this silo's <see cref="Worker"/> dispatch loop for the life of the host.</summary>
internal sealed class WorkerService(Worker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}
