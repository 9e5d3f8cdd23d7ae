using Hera.Grains.Scheduling;
using Hera.Grains.Workers;

namespace Hera.Silo.Hosting;

/// <summary>Runs this silo's <see cref="Worker"/> (its heartbeats; attempts arrive from the scheduler) for the life of the host.</summary>
internal sealed class WorkerService(Worker worker) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => worker.RunAsync(stoppingToken);
}

/// <summary>Runs the <see cref="JobScheduler"/>'s dispatch loop for the life of the host.</summary>
internal sealed class SchedulerService(JobScheduler scheduler) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => scheduler.RunAsync(stoppingToken);
}
