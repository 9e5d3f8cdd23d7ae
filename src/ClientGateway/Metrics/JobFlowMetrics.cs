using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Jobs;
using Microsoft.Extensions.Hosting;

namespace Hera.ClientGateway.Metrics;

/// <summary>
/// Jobs that went through the queue since this silo started, counted from the <see cref="JobChangeFeed"/>:
/// <c>hera_jobs_submitted_total</c> (a job first seen <c>new</c>, or <c>waiting</c> before any attempt) and
/// <c>hera_jobs_finished_total{state}</c> (a job reaching <c>succeed</c> or <c>failed</c>). Each job id counts once
/// for each, however often its changes are published. In a cluster the feed carries every silo's changes, so each
/// gateway counts the whole grid's jobs it heard about since it started. Interactive queries, recorded as jobs
/// after the fact, never pass through the feed and are not counted.
/// </summary>
public sealed class JobFlowMetrics : IMetricsSource, IHostedService
{
    // Ids remembered to count each job once; bounded, oldest forgotten first. A job lives far shorter than the
    // time 100 000 later jobs take to pass, so forgetting its id cannot make it count twice in practice.
    private const int RememberedJobs = 100_000;

    private readonly Lock _gate = new();
    private readonly JobChangeFeed _feed;
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private long _submitted;
    private long _succeeded;
    private long _failed;

    /// <summary>Creates the counters; they count from <see cref="StartAsync"/> on.</summary>
    public JobFlowMetrics(JobChangeFeed feed) => _feed = feed;

    [Flags]
    private enum Seen : byte
    {
        None = 0,
        Submitted = 1,
        Finished = 2,
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _feed.Changed += OnChanged;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _feed.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask CollectAsync(PrometheusTextWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        long submitted, succeeded, failed;
        lock (_gate)
        {
            (submitted, succeeded, failed) = (_submitted, _succeeded, _failed);
        }

        writer.Counter("hera_jobs_submitted_total", "Jobs accepted into a queue since this silo started (as seen on its job change feed).", submitted);
        const string finishedHelp = "Jobs that finished since this silo started, by final state (as seen on its job change feed).";
        writer.Counter("hera_jobs_finished_total", finishedHelp, succeeded, ("state", JobState.Succeed.ToWire()));
        writer.Counter("hera_jobs_finished_total", finishedHelp, failed, ("state", JobState.Failed.ToWire()));
        return ValueTask.CompletedTask;
    }

    // Runs on the publisher's thread (the feed asks handlers to be quick): a dictionary update under a lock.
    private void OnChanged(JobRecord job)
    {
        lock (_gate)
        {
            var first = !_seen.TryGetValue(job.Id, out var seen);
            if (first)
            {
                Remember(job.Id);
            }

            if (job.State.IsTerminal() && (seen & Seen.Finished) == 0)
            {
                _seen[job.Id] = seen | Seen.Finished;
                if (job.State == JobState.Succeed)
                {
                    _succeeded++;
                }
                else
                {
                    _failed++;
                }
            }
            else if (first && (job.State == JobState.New || (job.State == JobState.Waiting && job.Attempts == 0)))
            {
                // Only a job's first sighting can be its submission: a job handed back by a lost worker is waiting
                // again, but with attempts counted.
                _seen[job.Id] = Seen.Submitted;
                _submitted++;
            }
        }
    }

    private void Remember(string id)
    {
        if (_seenOrder.Count >= RememberedJobs)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }

        _seenOrder.Enqueue(id);
        _seen[id] = Seen.None;
    }
}
