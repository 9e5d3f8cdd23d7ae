using Hera.Client;

namespace Hera.Client.Tests;

/// <summary>
/// Submitting to a full queue, with and without <see cref="QueueFullRetry"/>. A queue is filled by giving it a pool
/// no worker serves and a capacity of 1: its one job waits for ever, so the next submission is refused.
/// </summary>
public sealed class QueueFullRetryTests(HeraGatewayFactory factory) : IClassFixture<HeraGatewayFactory>
{
    private readonly HeraClient _client = new(factory.CreateClient());

    [Fact]
    public async Task Full_queue_rejects_submission_with_queue_full_when_retry_is_off()
    {
        var blocker = await FillAsync("full-plain");
        try
        {
            var error = await Assert.ThrowsAsync<HeraApiException>(() => _client.SubmitAsync(Job("full-plain")));

            Assert.Equal(429, error.Status);
            Assert.Equal("queue_full", error.Code);
            Assert.Equal("queue 'full-plain' holds 1 of 1 jobs; retry later", error.Detail);
            Assert.Equal(1, (await _client.GetQueueAsync("full-plain")).Size);
        }
        finally
        {
            await _client.CancelAsync(blocker.Id);
        }
    }

    [Fact]
    public async Task With_retry_on_the_submission_goes_through_once_the_queue_has_room()
    {
        var blocker = await FillAsync("full-retry");
        var attempts = new List<QueueFullRetryAttempt>();
        var retrying = _client.WithOptions(new HeraClientOptions
        {
            QueueFullRetry = new QueueFullRetry
            {
                MaxRetries = 3,
                BaseDelay = TimeSpan.FromMilliseconds(1),
                OnRetry = async attempt =>
                {
                    attempts.Add(attempt);
                    if (attempt.Attempt == 1)
                    {
                        Assert.True((await _client.CancelAsync(blocker.Id)).Cancelled);
                    }
                },
            },
        });

        var job = await retrying.SubmitAsync(Job("full-retry"));
        try
        {
            var refusal = Assert.Single(attempts);
            Assert.Equal(1, refusal.Attempt);
            Assert.Equal("queue_full", refusal.Exception.Code);
            Assert.Equal(429, refusal.Exception.Status);
            Assert.True(refusal.Delay > TimeSpan.Zero);
            Assert.Equal("full-retry", job.Queue);
            Assert.Equal("waiting", job.State);
            Assert.Equal("failed", (await _client.GetJobAsync(blocker.Id)).State);
        }
        finally
        {
            await _client.CancelAsync(job.Id);
        }
    }

    [Fact]
    public async Task With_retry_on_a_queue_that_stays_full_raises_queue_full_after_the_last_retry()
    {
        var blocker = await FillAsync("full-stays");
        var attempts = new List<int>();
        var retrying = _client.WithOptions(new HeraClientOptions
        {
            QueueFullRetry = new QueueFullRetry
            {
                MaxRetries = 2,
                BaseDelay = TimeSpan.FromMilliseconds(1),
                MaxDelay = TimeSpan.FromMilliseconds(5),
                OnRetry = attempt =>
                {
                    attempts.Add(attempt.Attempt);
                    return ValueTask.CompletedTask;
                },
            },
        });
        try
        {
            var error = await Assert.ThrowsAsync<HeraApiException>(() => retrying.SubmitAsync(Job("full-stays")));

            Assert.Equal("queue_full", error.Code);
            Assert.Equal([1, 2], attempts);
            Assert.Equal(1, (await _client.GetQueueAsync("full-stays")).Size);
        }
        finally
        {
            await _client.CancelAsync(blocker.Id);
        }
    }

    [Fact]
    public async Task With_retry_on_other_refusals_are_raised_at_once_without_a_retry()
    {
        await _client.PutQueueAsync("shut", new HeraQueueSettings { State = "closed" });
        var retries = 0;
        var retrying = _client.WithOptions(new HeraClientOptions
        {
            QueueFullRetry = new QueueFullRetry
            {
                BaseDelay = TimeSpan.FromMilliseconds(1),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref retries);
                    return ValueTask.CompletedTask;
                },
            },
        });

        var missing = await Assert.ThrowsAsync<HeraApiException>(() => retrying.SubmitAsync(Job("nightly")));
        var closed = await Assert.ThrowsAsync<HeraApiException>(() => retrying.SubmitAsync(Job("shut")));
        var invalid = await Assert.ThrowsAsync<HeraApiException>(() => retrying.SubmitAsync(new HeraJobRequest { Sql = "  -- nothing" }));

        Assert.Equal("queue_not_found", missing.Code);
        Assert.Equal("queue_closed", closed.Code);
        Assert.Equal("invalid_sql", invalid.Code);
        Assert.Equal(0, retries);
    }

    [Fact]
    public async Task Retry_is_off_by_default()
    {
        var blocker = await FillAsync("full-default");
        try
        {
            Assert.Null(_client.Options.QueueFullRetry);
            var error = await Assert.ThrowsAsync<HeraApiException>(() => new HeraClient(_client.Http, new HeraClientOptions()).SubmitAsync(Job("full-default")));
            Assert.Equal("queue_full", error.Code);
        }
        finally
        {
            await _client.CancelAsync(blocker.Id);
        }
    }

    [Theory]
    [InlineData(0, 1000, 30_000, "MaxRetries")]
    [InlineData(3, 0, 30_000, "BaseDelay")]
    [InlineData(3, 1000, 999, "MaxDelay")]
    public void Retry_settings_out_of_bounds_are_refused_when_the_client_is_built(int maxRetries, int baseMs, int maxMs, string member)
    {
        var retry = new QueueFullRetry { MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(baseMs), MaxDelay = TimeSpan.FromMilliseconds(maxMs) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => _client.WithOptions(new HeraClientOptions { QueueFullRetry = retry }));

        Assert.Equal(member, error.ParamName);
    }

    private static HeraJobRequest Job(string queue) => new() { Sql = "SELECT 1", Queue = queue };

    // A queue of capacity 1 on a pool no worker serves, holding one waiting job: full until that job is cancelled.
    private async Task<HeraJob> FillAsync(string queue)
    {
        await _client.PutQueueAsync(queue, new HeraQueueSettings { Pool = "ghost", Capacity = 1 });
        var blocker = await _client.SubmitAsync(Job(queue));
        Assert.Equal("waiting", blocker.State);
        return blocker;
    }
}
