using Hera.Grains.Engines;
using Hera.Grains.Execution;
using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Scheduling;

namespace Hera.Grains.Jobs;

/// <summary>
/// Admission: checks a validated spec against what the grid has (its engines, its queue's state and room) and
/// refuses at once, before anything is stored, with a problem the caller can act on; otherwise persists and
/// enqueues the job.
/// </summary>
public sealed class JobSubmitter(IGrainFactory grains, EngineCatalog engines, JobScheduler scheduler, EngineRouting routing)
{
    /// <summary>Admits and persists the job; throws <see cref="HeraProblemException"/> when refused.</summary>
    public async Task<JobRecord> SubmitAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        foreach (var engine in spec.Engines)
        {
            if (engines.Find(engine) is null)
            {
                throw engines.NotFound(engine);
            }
        }

        if (spec.Dialect == JobSpec.TrinoDialect)
        {
            // Refuse now what no candidate engine can express, rather than fail it after queueing.
            _ = routing.PrepareNew(spec, scheduler.RequireOpenQueue(spec.Queue));
        }

        var id = GrainFactory.NewJobId();
        using (scheduler.Admit(spec.Queue, id))
        {
            return await grains.GetJob(id).SubmitAsync(spec, $"queue {spec.Queue}", cancellationToken).ConfigureAwait(false);
        }
    }
}
