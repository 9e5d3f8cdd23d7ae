using System.Data.Common;
using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Polly;
using Polly.Retry;

namespace Hera.Grains.Workers;

/// <summary>
/// A job grain whose calls ride out a grid-store outage (a PostgreSQL restart, a dropped connection): each call
/// is retried with backoff while the store answers with a database error, for up to about a minute. An attempt
/// that has done its work must get its outcome recorded, or the job would sit in <c>running</c> on a live worker.
/// Every grain call is a conditional read-decide-write, so repeating one is safe.
/// </summary>
internal sealed class StoreOutageRetry(IJobGrain inner) : IJobGrain
{
    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<DbException>().Handle<TimeoutException>(),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(2),
            MaxRetryAttempts = 40,
        })
        .Build();

    public string Id => inner.Id;

    public Task<JobRecord?> GetAsync(CancellationToken cancellationToken) =>
        RunAsync(token => inner.GetAsync(token), cancellationToken);

    public Task<JobRecord> SubmitAsync(JobSpec spec, string admissionDetail, CancellationToken cancellationToken) =>
        RunAsync(token => inner.SubmitAsync(spec, admissionDetail, token), cancellationToken);

    public Task<CancelOutcome> CancelAsync(string detail, CancellationToken cancellationToken) =>
        RunAsync(token => inner.CancelAsync(detail, token), cancellationToken);

    public Task<JobRecord?> TryStartAsync(string workerId, string engine, double? score, string detail, CancellationToken cancellationToken, JobRecord? known = null) =>
        RunAsync(token => inner.TryStartAsync(workerId, engine, score, detail, token, known), cancellationToken);

    public Task<JobRecord?> CompleteAsync(
        int attempt, long rowCount, string resultPath, CancellationToken cancellationToken, string? engine = null, IReadOnlyList<JobEventDraft>? notes = null) =>
        RunAsync(token => inner.CompleteAsync(attempt, rowCount, resultPath, token, engine, notes), cancellationToken);

    public Task<JobRecord?> FailAsync(int? attempt, string reason, JobError error, CancellationToken cancellationToken) =>
        RunAsync(token => inner.FailAsync(attempt, reason, error, token), cancellationToken);

    public Task<bool> NoteAsync(JobState state, string detail, CancellationToken cancellationToken) =>
        RunAsync(token => inner.NoteAsync(state, detail, token), cancellationToken);

    public Task<JobRecord?> RecoverAsync(int maxAttempts, string detail, CancellationToken cancellationToken, int? attempt = null) =>
        RunAsync(token => inner.RecoverAsync(maxAttempts, detail, token, attempt), cancellationToken);

    private static Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        Pipeline.ExecuteAsync(async token => await call(token).ConfigureAwait(false), cancellationToken).AsTask();
}
