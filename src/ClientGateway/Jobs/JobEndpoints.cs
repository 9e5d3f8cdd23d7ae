using System.Globalization;
using System.Text.Json;
using Hera.ClientGateway.Http;
using Hera.ClientGateway.Problems;
using Hera.ClientGateway.Results;
using Hera.Grains.Interfaces;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Interactive;
using Hera.Grains.Jobs;
using Hera.Grains.Results;
using Hera.Grains.Scheduling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hera.ClientGateway.Jobs;

/// <summary><c>/v1/jobs</c>: submit, read, list, cancel, and stream results (the contract in <c>API.md</c>).</summary>
public static class JobEndpoints
{
    /// <summary>Maps the job routes.</summary>
    public static IEndpointRouteBuilder MapHeraJobs(this IEndpointRouteBuilder routes)
    {
        var jobs = routes.MapGroup("/v1/jobs");
        jobs.MapPost("", SubmitAsync);
        jobs.MapGet("", ListAsync);
        jobs.MapGet("/{id}", GetAsync);
        jobs.MapDelete("/{id}", CancelAsync);
        jobs.MapGet("/{id}/result", ResultAsync);
        jobs.MapGet("/{id}/events", EventsAsync);
        return routes;
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext context, JobSubmitter submitter, IGrainFactory grains, IGridStore store, JobChangeFeed feed, JobScheduler scheduler, GatewayOptions options)
    {
        var wait = ParseWait(context.Request.Query["wait"], options);
        var request = await RequestBody.ReadJsonAsync<SubmitJobRequest>(
            context.Request, options.MaxRequestBytes, "a job", "with at least 'sql'", context.RequestAborted).ConfigureAwait(false);
        var spec = request.ToSpec();
        var job = await submitter.SubmitAsync(spec, context.RequestAborted).ConfigureAwait(false);
        job = await WaitAsync(job, wait, JobState.Succeed, grains, feed, context.RequestAborted).ConfigureAwait(false);
        var events = await store.JobEventListAsync(job.Id, CancellationToken.None).ConfigureAwait(false);
        return TypedResults.Accepted($"/v1/jobs/{job.Id}", JobResponse.From(job, events, scheduler));
    }

    private static async Task<IResult> GetAsync(
        string id, HttpContext context, IGridStore store, InteractiveJournal journal, IGrainFactory grains, JobChangeFeed feed, JobScheduler scheduler, GatewayOptions options)
    {
        var wait = ParseWait(context.Request.Query["wait"], options);
        var until = ParseUntil(context.Request.Query["until"]);
        // The journal first: a record leaves it only after it is in the store, so asking in this order cannot miss a
        // record that is written in between (asking the store first could, and answer job_not_found).
        var pending = journal.Find(id);
        var job = await store.JobGetAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (job is null && pending is not null)
        {
            // An interactive query that ended a moment ago and is not written yet: it is final already.
            return TypedResults.Ok(JobResponse.From(pending.Job, Numbered(pending.Events), scheduler));
        }

        job = await WaitAsync(job ?? throw JobNotFound(id), wait, until, grains, feed, context.RequestAborted).ConfigureAwait(false);
        var events = await store.JobEventListAsync(id, context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(JobResponse.From(job, events, scheduler));
    }

    private static List<JobEvent> Numbered(IReadOnlyList<JobEventDraft> drafts) =>
        [.. drafts.Select((e, i) => new JobEvent(i + 1, e.State, e.At, e.Detail))];

    /// <summary>
    /// The job's events after sequence <c>after</c> (default 0: all). With <c>?wait=N</c> the answer is held until
    /// there is at least one such event or the wait passes, woken by the job's changes and notes: a way to follow a
    /// job's progress, including notes written after it finished (a race loser's confirmed stop).
    /// </summary>
    private static async Task<IResult> EventsAsync(string id, HttpContext context, IGridStore store, InteractiveJournal journal, JobChangeFeed feed, GatewayOptions options)
    {
        var wait = ParseWait(context.Request.Query["wait"], options);
        var after = 0;
        if (context.Request.Query["after"].FirstOrDefault() is { Length: > 0 } afterText &&
            (!int.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"'after' must be an event sequence number, 0 or more; got '{afterText}'");
        }

        // The journal before the store, as in GetAsync: a record leaves the journal only once it is stored.
        var known = journal.Find(id) is not null;
        if (await store.JobGetAsync(id, context.RequestAborted).ConfigureAwait(false) is null && !known)
        {
            throw JobNotFound(id);
        }

        async Task<IReadOnlyList<JobEvent>> ReadAsync(CancellationToken token)
        {
            // An interactive query's record may still wait in the journal; it wakes this wait once written.
            var pending = journal.Find(id);
            var stored = await store.JobEventListAsync(id, token).ConfigureAwait(false);
            var all = stored.Count == 0 && pending is not null ? Numbered(pending.Events) : stored;
            return [.. all.Where(e => e.Sequence > after)];
        }

        IReadOnlyList<JobEvent> events;
        if (wait <= TimeSpan.Zero)
        {
            events = await ReadAsync(context.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            using var waitLimit = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            waitLimit.CancelAfter(wait);
            events = await feed.WaitUntilAsync(id, found => found.Count > 0, ReadAsync, waitLimit.Token).ConfigureAwait(false);
        }

        return TypedResults.Ok(events.Select(JobEventResponse.From).ToList());
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGridStore store, JobScheduler scheduler, GatewayOptions options)
    {
        var query = context.Request.Query;
        JobState? state = null;
        if (query["state"].FirstOrDefault() is { Length: > 0 } wire)
        {
            state = JobStateNames.TryParse(wire, out var parsed)
                ? parsed
                : throw new HeraProblemException(ProblemCodes.InvalidRequest, $"'state' must be one of new, waiting, running, succeed, failed; got '{wire}'");
        }

        var limit = 50;
        if (query["limit"].FirstOrDefault() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxListLimit))
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"'limit' must be an integer from 1 to {options.MaxListLimit}; got '{limitText}'");
        }

        var queue = query["queue"].FirstOrDefault() is { Length: > 0 } q ? q : null;
        var jobs = await store.JobListAsync(new JobListParams(state, queue, limit), context.RequestAborted).ConfigureAwait(false);
        var answer = new List<JobResponse>(jobs.Count);
        foreach (var job in jobs)
        {
            answer.Add(JobResponse.From(job, await store.JobEventListAsync(job.Id, context.RequestAborted).ConfigureAwait(false), scheduler));
        }

        return TypedResults.Ok(answer);
    }

    private static async Task<IResult> CancelAsync(string id, IGrainFactory grains, IGridStore store, JobScheduler scheduler, CancellationToken cancellationToken)
    {
        var outcome = await grains.GetJob(id).CancelAsync("cancelled by the caller", cancellationToken).ConfigureAwait(false);
        var job = outcome.Job ?? throw JobNotFound(id);
        var events = await store.JobEventListAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CancelResponse(outcome.Cancelled, outcome.Detail, JobResponse.From(job, events, scheduler)));
    }

    private static async Task<IResult> ResultAsync(string id, HttpContext context, IGridStore store, InteractiveJournal journal, ResultStore results)
    {
        var format = ResultFormats.Negotiate(context.Request.Headers.Accept);
        // The journal before the store, as in GetAsync: a record leaves the journal only once it is stored.
        var pending = journal.Find(id)?.Job;
        var job = await store.JobGetAsync(id, context.RequestAborted).ConfigureAwait(false)
            ?? pending
            ?? throw JobNotFound(id);
        if (job.State == JobState.Succeed && job.ResultPath is null && InteractiveQueries.IsInteractive(job))
        {
            throw new HeraProblemException(ProblemCodes.ResultGone, $"job {id} was an interactive query: its rows were streamed to the caller and not kept");
        }

        if (job.State != JobState.Succeed || job.ResultPath is null)
        {
            var why = job.State == JobState.Failed
                ? $"job {id} failed ({job.Reason}) and has no result"
                : $"job {id} is {job.State.ToWire()}; its result is ready once it has succeeded";
            throw new HeraProblemException(ProblemCodes.ResultNotReady, why, new Dictionary<string, object?> { ["state"] = job.State.ToWire() });
        }

        var path = results.Find(job.ResultPath)
            ?? throw new HeraProblemException(ProblemCodes.ResultGone, $"the result file of job {id} is no longer in the results directory");
        return new ResultFileResult(path, format, job.RowCount);
    }

    /// <summary>
    /// With a positive <paramref name="wait"/>, holds until the job has reached <paramref name="until"/> (or any
    /// later state: a job waited on until <c>running</c> that already finished is returned at once) or the wait
    /// passes. Woken by the change feed, not by polling; returns the job as it then stands.
    /// </summary>
    private static async Task<JobRecord> WaitAsync(
        JobRecord job, TimeSpan wait, JobState until, IGrainFactory grains, JobChangeFeed feed, CancellationToken requestAborted)
    {
        bool Reached(JobRecord j) => j.State.IsTerminal() || j.State == until;
        if (wait <= TimeSpan.Zero || Reached(job))
        {
            return job;
        }

        using var waitLimit = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        waitLimit.CancelAfter(wait);
        return await feed.WaitUntilAsync(job.Id, Reached, grains.GetJob(job.Id).GetAsync, waitLimit.Token).ConfigureAwait(false) ?? job;
    }

    /// <summary><c>?until=running</c> waits for a start; the default (and <c>succeed</c>/<c>failed</c>) for the finish.</summary>
    private static JobState ParseUntil(string? text) => text switch
    {
        null or "" => JobState.Succeed,
        _ when JobStateNames.TryParse(text, out var state) && state is JobState.Running or JobState.Succeed or JobState.Failed => state,
        _ => throw new HeraProblemException(ProblemCodes.InvalidRequest, $"'until' must be running, succeed or failed; got '{text}'"),
    };

    private static TimeSpan ParseWait(string? text, GatewayOptions options)
    {
        if (string.IsNullOrEmpty(text))
        {
            return TimeSpan.Zero;
        }

        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > options.MaxWaitSeconds)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"'wait' must be a number of seconds from 0 to {options.MaxWaitSeconds}; got '{text}'");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static HeraProblemException JobNotFound(string id) => new(ProblemCodes.JobNotFound, $"no job has id '{id}'");
}
