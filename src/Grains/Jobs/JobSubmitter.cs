using Hera.EngineAdapters.Abstractions;
using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;

namespace Hera.Grains.Jobs;

/// <summary>
/// Admission: checks a validated spec against what the grid has (its queue, its engines) and refuses at once,
/// before anything is stored, with a problem the caller can act on; otherwise persists and enqueues the job.
/// </summary>
public sealed class JobSubmitter(IGrainFactory grains, IEngineRegistry engines)
{
    /// <summary>Admits and persists the job; throws <see cref="HeraProblemException"/> when refused.</summary>
    public Task<JobRecord> SubmitAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        // Only the default queue exists until queues become configurable grains.
        if (spec.Queue != JobSpec.DefaultQueue)
        {
            throw new HeraProblemException(ProblemCodes.QueueNotFound, $"queue '{spec.Queue}' does not exist; queues: {JobSpec.DefaultQueue}");
        }

        foreach (var engine in spec.Engines)
        {
            if (engines.Find(engine) is null)
            {
                throw new HeraProblemException(ProblemCodes.EngineNotFound, $"engine '{engine}' is not registered; engines: {string.Join(", ", engines.Names)}");
            }
        }

        return grains.GetJob(GrainFactory.NewJobId()).SubmitAsync(spec, $"queue {spec.Queue}", cancellationToken);
    }
}
