using Hera.Grains.Interfaces.Jobs;

namespace Hera.Grains.Scheduling;

/// <summary>
/// The memory a job is expected to need on its worker, for placement and the resource limits: the job's own
/// <c>memoryMb</c>, else a default for its type. The defaults are data, kept here in one table.
/// </summary>
public static class MemoryEstimates
{
    // Adhoc queries stream their rows to a file, so they hold little; exports and imports buffer batches;
    // ETL scripts run in a child process of their own.
    private static readonly Dictionary<string, int> DefaultByType = new(StringComparer.Ordinal)
    {
        [JobTypes.Adhoc] = 64,
        [JobTypes.Export] = 256,
        [JobTypes.Import] = 256,
        [JobTypes.Etl] = 512,
    };

    /// <summary>The estimate, in MiB, for a job with this spec.</summary>
    public static int For(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.MemoryMb ?? DefaultFor(spec.Type);
    }

    /// <summary>The default estimate, in MiB, for a job type (64 for a type not in the table).</summary>
    public static int DefaultFor(string type) => DefaultByType.GetValueOrDefault(type, 64);
}
