using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Hera.ClientGateway.Tests.Scheduling;

/// <summary><c>/v1/queues</c> as a contract: creating, merging changes, validation, and the refusals' shape.</summary>
public sealed class QueuesApiTests(HeraGatewayFactory factory) : IClassFixture<HeraGatewayFactory>
{
    private readonly SchedulingApi _api = new(factory.CreateClient());

    [Fact]
    public async Task The_default_queue_always_exists_with_the_documented_settings()
    {
        var queue = await _api.GetQueueAsync("default");

        Assert.Equal("default", queue.GetProperty("name").GetString());
        Assert.Equal(1, queue.GetProperty("weight").GetDouble());
        Assert.Equal(10_000, queue.GetProperty("capacity").GetInt32());
        Assert.Equal(64, queue.GetProperty("parallelism").GetInt32());
        Assert.Equal(1, queue.GetProperty("maxResourceShare").GetDouble());
        Assert.Equal("core", queue.GetProperty("pool").GetString());
        Assert.Equal("open", queue.GetProperty("state").GetString());
        foreach (var member in new[] { "size", "running", "dynamicFactor" })
        {
            Assert.True(queue.TryGetProperty(member, out _), $"a queue as read has '{member}'");
        }
    }

    [Fact]
    public async Task Put_creates_with_201_then_changes_only_the_members_given_with_200()
    {
        using var created = await PutAsync("etl", """{"weight": 10, "capacity": 1000, "parallelism": 8, "maxResourceShare": 0.5, "pool": "non-core"}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/queues/etl", created.Headers.Location?.OriginalString);

        using var changed = await PutAsync("etl", """{"state": "closed"}""");
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var queue = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("closed", queue.GetProperty("state").GetString());
        Assert.Equal(10, queue.GetProperty("weight").GetDouble());
        Assert.Equal(1000, queue.GetProperty("capacity").GetInt32());
        Assert.Equal(0.5, queue.GetProperty("maxResourceShare").GetDouble());
        Assert.Equal("non-core", queue.GetProperty("pool").GetString());
        Assert.Contains(
            (await _api.Http.GetFromJsonAsync<JsonElement>("/v1/queues")).EnumerateArray(),
            q => q.GetProperty("name").GetString() == "etl");
    }

    [Fact]
    public async Task Concurrent_changes_to_different_members_all_land()
    {
        await _api.PutQueueAsync("busy-admin", "{}");

        var puts = await Task.WhenAll(
            Enumerable.Range(1, 10).Select(i => PutAsync("busy-admin", i % 2 == 0 ? $$"""{"weight": {{i}}}""" : $$"""{"capacity": {{i}}}""")));

        Assert.All(puts, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        var queue = await _api.GetQueueAsync("busy-admin");
        Assert.Contains(queue.GetProperty("weight").GetDouble(), new double[] { 2, 4, 6, 8, 10 });
        Assert.Contains(queue.GetProperty("capacity").GetInt32(), new[] { 1, 3, 5, 7, 9 });
    }

    [Theory]
    [InlineData("""{"weight": -1}""", "weight must be a finite number, 0 or more; got -1")]
    [InlineData("""{"capacity": 0}""", "capacity must be at least 1; got 0")]
    [InlineData("""{"parallelism": 0}""", "parallelism must be at least 1; got 0")]
    [InlineData("""{"maxResourceShare": 1.5}""", "maxResourceShare must be greater than 0 and at most 1; got 1.5")]
    [InlineData("""{"pool": "no spaces"}""", "pool 'no spaces' must be 1 to 64 letters")]
    [InlineData("""{"state": "paused", "weight": -2}""", "state must be open or closed; got 'paused'; weight must be")]
    [InlineData("""{"weigth": 5}""", "'weigth' is not a member of a queue")]
    [InlineData("""{"capacity": 1.5}""", "'capacity' has a value of the wrong type")]
    [InlineData("""[]""", "the body must be a queue as a JSON object")]
    [InlineData("""{"weight": """, "the body is not valid JSON")]
    [InlineData("", "the body is empty; send a queue as a JSON object")]
    public async Task Bad_settings_are_invalid_request_naming_every_bad_member_and_change_nothing(string body, string detailStart)
    {
        await _api.PutQueueAsync("strict", """{"weight": 3}""");

        using var response = await PutAsync("strict", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_request", problem.GetProperty("code").GetString());
        Assert.StartsWith(detailStart, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("System.", problem.GetProperty("detail").GetString());
        Assert.Equal(3, (await _api.GetQueueAsync("strict")).GetProperty("weight").GetDouble());
    }

    [Fact]
    public async Task A_queue_name_outside_the_allowed_characters_is_refused()
    {
        using var response = await PutAsync("bad%20name", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("name 'bad name' must be", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_unknown_queue_reads_as_queue_not_found_listing_the_queues()
    {
        using var response = await _api.Http.GetAsync("/v1/queues/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queue_not_found", problem.GetProperty("code").GetString());
        Assert.Contains("default", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_full_queue_answers_429_with_retry_after()
    {
        await _api.PutQueueAsync("tiny", """{"pool": "ghost", "capacity": 1}""");
        var occupant = (await _api.SubmitAsync("tiny")).Id();

        using var refused = await _api.PostJobAsync("tiny");

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        await _api.CancelAsync(occupant);
    }

    [Fact]
    public async Task A_job_body_with_an_unknown_member_is_refused_rather_than_defaulted()
    {
        using var response = await _api.Http.PostAsync(
            "/v1/jobs", new StringContent("""{"sql": "SELECT 1", "queu": "orphans"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("'queu' is not a member of a job", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Changing_a_queue_forgets_its_last_wait_reason_until_the_next_walk()
    {
        await _api.PutQueueAsync("stale", """{"pool": "ghost"}""");
        var waiting = (await _api.SubmitAsync("stale")).Id();
        await _api.SyncAsync();
        Assert.Equal("no live worker in pool 'ghost'", (await _api.GetQueueAsync("stale")).GetProperty("waitReason").GetString());

        var closed = await _api.PutQueueAsync("stale", """{"state": "closed"}""");

        Assert.Equal(JsonValueKind.Null, closed.GetProperty("waitReason").ValueKind);
        await _api.CancelAsync(waiting);
    }

    private Task<HttpResponseMessage> PutAsync(string name, string body) =>
        _api.Http.PutAsync($"/v1/queues/{name}", new StringContent(body, Encoding.UTF8, "application/json"));
}
