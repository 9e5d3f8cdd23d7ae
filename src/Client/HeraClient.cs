using System.Net.Http.Headers;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace Hera.Client;

/// <summary>
/// .NET client of a Hera gateway over HTTP. Thread-safe; reuse one per gateway. Every non-success answer is
/// raised as <see cref="HeraApiException"/> carrying the problem's stable code.
/// </summary>
/// <param name="http">The HTTP client; its <c>BaseAddress</c> is the gateway. The caller owns and disposes it.</param>
/// <param name="options">What to do beyond plain HTTP (see <see cref="HeraClientOptions"/>); validated here.</param>
public sealed class HeraClient(HttpClient http, HeraClientOptions options)
{
    /// <summary>The problem code that <see cref="HeraClientOptions.QueueFullRetry"/> retries.</summary>
    public const string QueueFullCode = "queue_full";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ResiliencePipeline _submitPipeline = SubmitPipeline(options);

    /// <summary>A client with every option off (<see cref="HeraClientOptions.Default"/>).</summary>
    /// <param name="http">The HTTP client; its <c>BaseAddress</c> is the gateway. The caller owns and disposes it.</param>
    public HeraClient(HttpClient http)
        : this(http, HeraClientOptions.Default)
    {
    }

    /// <summary>The underlying HTTP client (its <c>BaseAddress</c> is the gateway).</summary>
    public HttpClient Http { get; } = http;

    /// <summary>The options this client was built with.</summary>
    public HeraClientOptions Options { get; } = options;

    /// <summary>A client over the same <see cref="Http"/> with other <paramref name="options"/>.</summary>
    public HeraClient WithOptions(HeraClientOptions options) => new(Http, options);

    /// <summary>
    /// Submits a job; with <paramref name="wait"/>, the gateway holds the answer until the job finishes or the wait
    /// passes, and returns the job as it then stands. With <see cref="HeraClientOptions.QueueFullRetry"/> set, a
    /// <c>queue_full</c> refusal is retried with backoff before it is raised; nothing else is.
    /// </summary>
    public Task<HeraJob> SubmitAsync(HeraJobRequest request, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var uri = wait is { } w ? $"v1/jobs?wait={w.TotalSeconds.ToString(CultureInfo.InvariantCulture)}" : "v1/jobs";
        return _submitPipeline.ExecuteAsync(
            static async (state, token) =>
            {
                using var response = await state.Http.PostAsync(state.Uri, JsonBody(state.Request), token).ConfigureAwait(false);
                return await ReadAsync<HeraJob>(response, token).ConfigureAwait(false);
            },
            (Http, Uri: uri, Request: request),
            cancellationToken).AsTask();
    }

    /// <summary>
    /// The job with its events. With <paramref name="wait"/>, the answer is held until the job finishes (or, with
    /// <paramref name="until"/> = <c>running</c>, starts) or the wait passes.
    /// </summary>
    public async Task<HeraJob> GetJobAsync(string id, TimeSpan? wait = null, string? until = null, CancellationToken cancellationToken = default)
    {
        var uri = $"v1/jobs/{Uri.EscapeDataString(id)}";
        if (wait is { } w)
        {
            uri += $"?wait={w.TotalSeconds.ToString(CultureInfo.InvariantCulture)}" + (until is null ? "" : $"&until={Uri.EscapeDataString(until)}");
        }

        using var response = await Http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<HeraJob>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Long-polls until the job has finished or <paramref name="timeout"/> passes; returns it as it stands.</summary>
    public async Task<HeraJob> WaitAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var job = await GetJobAsync(id, left > TimeSpan.Zero ? TimeSpan.FromSeconds(Math.Min(60, Math.Ceiling(left.TotalSeconds))) : null, null, cancellationToken).ConfigureAwait(false);
            if (job.IsFinished || DateTime.UtcNow >= deadline)
            {
                return job;
            }
        }
    }

    /// <summary>Long-polls until the job has started running (or already finished) or <paramref name="timeout"/> passes.</summary>
    public Task<HeraJob> WaitUntilRunningAsync(string id, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        GetJobAsync(id, timeout, "running", cancellationToken);

    /// <summary>Recent jobs, newest first, optionally filtered.</summary>
    public async Task<IReadOnlyList<HeraJob>> ListJobsAsync(string? state = null, string? queue = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (state is not null)
        {
            query.Add($"state={Uri.EscapeDataString(state)}");
        }

        if (queue is not null)
        {
            query.Add($"queue={Uri.EscapeDataString(queue)}");
        }

        if (limit is { } l)
        {
            query.Add($"limit={l.ToString(CultureInfo.InvariantCulture)}");
        }

        using var response = await Http.GetAsync("v1/jobs" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken).ConfigureAwait(false);
        return await ReadAsync<List<HeraJob>>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels a waiting or running job; for a finished one the answer says nothing was cancelled.</summary>
    public async Task<HeraCancelResult> CancelAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await Http.DeleteAsync($"v1/jobs/{Uri.EscapeDataString(id)}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<HeraCancelResult>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every queue with its settings and live numbers, by name.</summary>
    public async Task<IReadOnlyList<HeraQueue>> ListQueuesAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync("v1/queues", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<List<HeraQueue>>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One queue; <c>queue_not_found</c> (404) when there is none of that name.</summary>
    public async Task<HeraQueue> GetQueueAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync($"v1/queues/{Uri.EscapeDataString(name)}", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<HeraQueue>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates queue <paramref name="name"/> or changes it: members of <paramref name="settings"/> left null keep
    /// their current (or, for a new queue, default) values. A value out of bounds is <c>invalid_request</c> (400),
    /// its detail naming the member; nothing is changed then.
    /// </summary>
    public async Task<HeraQueuePutResult> PutQueueAsync(string name, HeraQueueSettings settings, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PutAsJsonAsync($"v1/queues/{Uri.EscapeDataString(name)}", settings, Json, cancellationToken).ConfigureAwait(false);
        var queue = await ReadAsync<HeraQueue>(response, cancellationToken).ConfigureAwait(false);
        return new HeraQueuePutResult(queue, response.StatusCode == HttpStatusCode.Created);
    }

    /// <summary>The cluster as the gateway sees it: leader, silos, workers (<c>GET /v1/cluster</c>).</summary>
    public async Task<HeraCluster> GetClusterAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync("v1/cluster", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<HeraCluster>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every worker the grid has seen (dead and stopped ones included), as of its last heartbeat.</summary>
    public async Task<IReadOnlyList<HeraWorker>> ListWorkersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await Http.GetAsync("v1/workers", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<List<HeraWorker>>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the result stream in <paramref name="mediaType"/> (<c>application/json</c>, <c>text/csv</c> or
    /// <c>application/x-ndjson</c>). The caller disposes the response; the body streams as it is read.
    /// </summary>
    public async Task<HttpResponseMessage> OpenResultAsync(string id, string mediaType = "application/json", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/jobs/{Uri.EscapeDataString(id)}/result");
        request.Headers.Accept.ParseAdd(mediaType);
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    /// <summary>
    /// Runs an interactive query (<c>POST /v1/query</c>) and opens its answer in <paramref name="mediaType"/>: the
    /// rows stream as the engine produces them. <c>Hera-Job-Id</c> and <c>Hera-Engine</c> headers name the recorded
    /// job and the engine. The caller disposes the response. A failure before the first row is a
    /// <see cref="HeraApiException"/>; one after it ends the body abruptly (reading it throws).
    /// </summary>
    public async Task<HttpResponseMessage> QueryAsync(HeraJobRequest request, string mediaType = "application/json", CancellationToken cancellationToken = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "v1/query") { Content = JsonBody(request) };
        message.Headers.Accept.ParseAdd(mediaType);
        var response = await Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        return response;
    }

    // A body with its length known up front: JsonContent streams with chunked transfer encoding, which costs a
    // point query about a millisecond on loopback (the server must read the chunks to the terminating one).
    private static ByteArrayContent JsonBody<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, Json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Streams the result's rows (NDJSON underneath): first the column list, then each row as JSON values.</summary>
    public async IAsyncEnumerable<JsonElement[]> ReadRowsAsync(string id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await OpenResultAsync(id, "application/x-ndjson", cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        var header = true;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (header)
            {
                header = false;
                continue;
            }

            using var row = JsonDocument.Parse(line);
            yield return row.RootElement.EnumerateArray().Select(v => v.Clone()).ToArray();
        }
    }

    private static ResiliencePipeline SubmitPipeline(HeraClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.QueueFullRetry is not { } retry)
        {
            return ResiliencePipeline.Empty;
        }

        retry.Validate();
        return new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            // Only the refusal that stores nothing; see QueueFullRetry for why nothing else is safe to resend.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HeraApiException { Status: 429, Code: QueueFullCode }),
            MaxRetryAttempts = retry.MaxRetries,
            Delay = retry.BaseDelay,
            MaxDelay = retry.MaxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = retry.UseJitter,
            OnRetry = retry.OnRetry is not { } onRetry
                ? null
                : args => onRetry(new QueueFullRetryAttempt(args.AttemptNumber + 1, args.RetryDelay, (HeraApiException)args.Outcome.Exception!)),
        }).Build();
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false)
            ?? throw new HeraApiException((int)response.StatusCode, "empty_response", "the gateway answered with an empty body");
    }

    private static async Task<HeraApiException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var root = problem.RootElement;
            return new HeraApiException(
                status,
                root.TryGetProperty("code", out var code) ? code.GetString() ?? "unknown" : "unknown",
                root.TryGetProperty("detail", out var detail) ? detail.GetString() : null);
        }
        catch (JsonException)
        {
            return new HeraApiException(status, "unknown", $"non-problem answer {status} {response.ReasonPhrase}");
        }
    }
}
