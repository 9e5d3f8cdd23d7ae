using System.Text.Json;

namespace Hera.ClientGateway.Tests.Scheduling;

/// <summary>A silo whose worker has one slot, so jobs start one at a time, in exactly the scheduler's order.</summary>
public sealed class SingleSlotGatewayFactory : HeraGatewayFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["demo-data"] = "0",
        ["worker-slots"] = "1",
        ["worker-memory-mb"] = "1024",
        ["silo-id"] = "one-slot",
    };
}

/// <summary>
/// The seed's policy end to end: with one slot held by a long job, queued jobs start, once the slot frees, in the
/// order DESIGN.md states: queues by weight, then dynamic factor; inside a queue the job nearest its timeout.
/// </summary>
public sealed class PolicyOrderTests(SingleSlotGatewayFactory factory) : IClassFixture<SingleSlotGatewayFactory>
{
    private readonly SchedulingApi _api = new(factory.CreateClient());

    [Fact]
    public async Task Queued_jobs_start_by_queue_weight_then_by_deadline_within_a_queue()
    {
        await _api.PutQueueAsync("order-low", """{"weight": 1}""");
        await _api.PutQueueAsync("order-mid", """{"weight": 5}""");
        await _api.PutQueueAsync("order-high", """{"weight": 10}""");
        var holder = (await _api.SubmitAsync("default", SchedulingApi.Endless)).Id();
        await _api.WaitAsync(holder, until: "running");

        var low = await _api.SubmitAsync("order-low");
        var highLate = await _api.SubmitAsync("order-high");
        var mid = await _api.SubmitAsync("order-mid");
        var highLater = await _api.SubmitAsync("order-high");
        var highUrgent = await _api.SubmitAsync("order-high", extra: ""","timeoutSeconds": 60""");
        Assert.All(new[] { low, highLate, mid, highLater, highUrgent }, j => Assert.Equal("waiting", j.State()));

        await _api.CancelAsync(holder);
        var finished = new List<JsonElement>();
        foreach (var job in new[] { low, highLate, mid, highLater, highUrgent })
        {
            finished.Add(await _api.WaitAsync(job.Id()));
        }

        Assert.All(finished, j => Assert.Equal("succeed", j.State()));
        var byStart = finished.OrderBy(j => j.StartedAt()).Select(j => j.Id()).ToList();
        Assert.Equal([highUrgent.Id(), highLate.Id(), highLater.Id(), mid.Id(), low.Id()], byStart);

        // The score recorded at start is the seed's sum: job weight (<= 1) + dynamic factor + queue weight.
        var highScore = finished[1].GetProperty("score").GetDouble();
        var lowScore = finished[0].GetProperty("score").GetDouble();
        Assert.InRange(highScore, 10, 12);
        Assert.InRange(lowScore, 1, 3);
    }
}
