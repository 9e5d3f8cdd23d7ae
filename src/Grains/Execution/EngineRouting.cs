using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Queues;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Storage;

namespace Hera.Grains.Execution;

/// <summary>
/// A job's candidate engines, in order: its own <c>engines</c> list, else its queue's routing, else the grid's
/// default engine. Engines no longer registered are left out. The engine the scheduler started the attempt on
/// (<see cref="JobRecord.Engine"/>) comes first.
/// </summary>
public sealed class EngineRouting(IGridStore store, EngineCatalog catalog, StatementPreparation statements)
{
    /// <summary>
    /// What each of <paramref name="candidates"/> runs for <paramref name="spec"/>, split into the engines that can
    /// run it (in order) and the ones that decline it (each with its reason). Engines that decline are left out.
    /// </summary>
    public (IReadOnlyList<PreparedStatement> Runnable, IReadOnlyList<PreparedStatement> Declined) Prepare(JobSpec spec, IReadOnlyList<string> candidates)
    {
        var prepared = statements.ForAll(spec, candidates);
        return ([.. prepared.Where(p => p.Declined is null)], [.. prepared.Where(p => p.Declined is not null)]);
    }

    /// <summary>
    /// The candidates a new job of <paramref name="spec"/> in <paramref name="queue"/> would run on, with what each
    /// runs; engines that decline are left out.
    /// </summary>
    /// <exception cref="HeraProblemException"><c>sql_unsupported</c> when every candidate declines.</exception>
    public IReadOnlyList<PreparedStatement> PrepareNew(JobSpec spec, QueueDefinition? queue)
    {
        var (runnable, declined) = Prepare(spec, Order(new JobRecord { Id = "-", Spec = spec, State = JobState.New, SubmittedAt = default }, queue));
        return runnable.Count > 0 ? runnable : throw Unsupported(declined);
    }

    /// <summary>The problem for a job no candidate can run: <c>sql_unsupported</c>, each engine's reason in the detail.</summary>
    public static HeraProblemException Unsupported(IReadOnlyList<PreparedStatement> declined) =>
        new(ProblemCodes.SqlUnsupported, "no candidate engine can run this SQL: " + Reasons(declined));

    /// <summary>Each declining engine's reason, for a person: <c>engine ch: clickhouse: window functions ...</c>.</summary>
    public static string Reasons(IReadOnlyList<PreparedStatement> declined) =>
        string.Join("; ", declined.Select(d => $"engine {d.Engine}: {d.Declined}"));

    /// <summary>The candidates for an attempt of <paramref name="job"/>; never empty.</summary>
    public async Task<IReadOnlyList<string>> CandidatesAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var queue = job.Spec.Engines.Count > 0 ? null : await store.QueueGetAsync(job.Spec.Queue, cancellationToken).ConfigureAwait(false);
        return Order(job, queue?.Definition);
    }

    /// <summary>The candidates given the job's queue (null when the job names its own engines or the queue is gone).</summary>
    public IReadOnlyList<string> Order(JobRecord job, QueueDefinition? queue)
    {
        ArgumentNullException.ThrowIfNull(job);
        var candidates = new List<string>();
        if (job.Engine is { } first && catalog.Find(first) is not null)
        {
            candidates.Add(first);
        }

        foreach (var engine in Listed(job.Spec, queue))
        {
            if (!candidates.Contains(engine) && catalog.Find(engine) is not null)
            {
                candidates.Add(engine);
            }
        }

        if (candidates.Count == 0)
        {
            candidates.Add(catalog.DefaultEngine);
        }

        return candidates;
    }

    /// <summary>The engine a waiting job's first attempt goes to: the first registered of its candidates.</summary>
    public string FirstEngine(JobSpec spec, QueueDefinition? queue)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Listed(spec, queue).FirstOrDefault(e => catalog.Find(e) is not null) ?? catalog.DefaultEngine;
    }

    // The job's own list wins over its queue's routing.
    private static IReadOnlyList<string> Listed(JobSpec spec, QueueDefinition? queue) =>
        spec.Engines.Count > 0 ? spec.Engines : queue?.Routing ?? [];
}
