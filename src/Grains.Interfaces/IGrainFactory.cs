using Hera.Grains.Interfaces.Jobs;

namespace Hera.Grains.Interfaces;

/// <summary>Hands out grain references by key, as Orleans' grain factory does. References are cheap and stateless.</summary>
public interface IGrainFactory
{
    /// <summary>The grain of job <paramref name="id"/> (whether or not the job exists yet).</summary>
    IJobGrain GetJob(string id);

    /// <summary>
    /// The grain of job <paramref name="id"/> as the scheduler of the leader holding <paramref name="leaderEpoch"/>
    /// uses it: its writes land only while that epoch is current, so a replaced leader cannot place or fail jobs.
    /// </summary>
    IJobGrain GetJob(string id, long? leaderEpoch);
}
