using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Hera.ClientGateway.Tests.Scheduling;

/// <summary>Raw-HTTP helpers shared by the scheduling and engine specifications: queues, engines, jobs, waits, cancels.</summary>
internal sealed class SchedulingApi(HttpClient http)
{
    /// <summary>Never finishes on its own: holds a slot until cancelled.</summary>
    public const string Endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    public HttpClient Http { get; } = http;

    public async Task<JsonElement> PutQueueAsync(string name, string json)
    {
        using var response = await Http.PutAsync($"/v1/queues/{name}", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT queue {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> GetQueueAsync(string name) =>
        await Http.GetFromJsonAsync<JsonElement>($"/v1/queues/{name}");

    /// <summary>Submits and returns the accepted job (asserting 202).</summary>
    public async Task<JsonElement> SubmitAsync(string queue, string sql = "SELECT 1 AS n", string extra = "")
    {
        using var response = await PostJobAsync(queue, sql, extra);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"submit to {queue}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> PostJobAsync(string queue, string sql = "SELECT 1 AS n", string extra = "")
    {
        var body = $$"""{"sql":{{JsonSerializer.Serialize(sql)}},"queue":{{JsonSerializer.Serialize(queue)}}{{extra}}}""";
        return Http.PostAsync("/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    /// <summary>The job, long-polled until it finishes (or, with <paramref name="until"/>, reaches that state).</summary>
    public async Task<JsonElement> WaitAsync(string id, string? until = null)
    {
        var job = await Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}?wait=60{(until is null ? "" : $"&until={until}")}");
        var state = job.GetProperty("state").GetString();
        Assert.True(
            until is null ? state is "succeed" or "failed" : state == until || state is "succeed" or "failed",
            $"job {id} is still {state} after the wait");
        return job;
    }

    public async Task<JsonElement> GetJobAsync(string id) => await Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}");

    public async Task CancelAsync(string id)
    {
        using var response = await Http.DeleteAsync($"/v1/jobs/{id}");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Submits a raw job body with <c>?wait=60</c> and returns the job once it has finished (asserting 202).</summary>
    public async Task<JsonElement> RunAsync(string body)
    {
        using var response = await Http.PostAsync("/v1/jobs?wait=60", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        return job.State() is "succeed" or "failed" ? job : await WaitAsync(job.Id());
    }

    /// <summary>
    /// Follows the job's events (long-polling <c>/events?after=</c>) until one has <paramref name="detail"/>, and
    /// returns its state; fails when a minute of waiting brings none. For notes written after a job finished.
    /// </summary>
    public async Task<string> WaitForEventAsync(string id, string detail)
    {
        var after = 0;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var events = await Http.GetFromJsonAsync<JsonElement>($"/v1/jobs/{id}/events?after={after}&wait=10");
            foreach (var e in events.EnumerateArray())
            {
                after = e.GetProperty("seq").GetInt32();
                if (e.GetProperty("detail").GetString() == detail)
                {
                    return e.GetProperty("state").GetString()!;
                }
            }
        }

        Assert.Fail($"job {id} never noted '{detail}'; its events: {await Http.GetStringAsync($"/v1/jobs/{id}/events")}");
        return string.Empty;
    }

    /// <summary>PUT /v1/engines/{name} with a raw body; the caller checks the answer.</summary>
    public Task<HttpResponseMessage> PutEngineAsync(string name, string body) =>
        Http.PutAsync($"/v1/engines/{name}", new StringContent(body, Encoding.UTF8, "application/json"));

    /// <summary>
    /// Runs a trivial job on <c>default</c> to its end. The scheduler walks every queue on each pass, so once
    /// this returns, every job submitted before it has been considered at least once (wait reasons noted).
    /// </summary>
    public async Task SyncAsync() =>
        Assert.Equal("succeed", (await WaitAsync((await SubmitAsync("default")).Id())).State());
}

/// <summary>Readers for the job JSON the specifications look at.</summary>
internal static class JobJson
{
    public static string Id(this JsonElement job) => job.GetProperty("id").GetString()!;

    public static string State(this JsonElement job) => job.GetProperty("state").GetString()!;

    public static string? Reason(this JsonElement job) => job.GetProperty("reason").GetString();

    public static string? WaitReason(this JsonElement job) => job.GetProperty("waitReason").GetString();

    public static DateTime StartedAt(this JsonElement job) => job.GetProperty("startedAt").GetDateTime();

    public static IReadOnlyList<(string State, string? Detail)> Events(this JsonElement job) =>
        [.. job.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("state").GetString()!, e.GetProperty("detail").GetString()))];
}
