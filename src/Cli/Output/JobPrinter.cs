using System.Globalization;
using Hera.Client;

namespace Hera.Cli.Output;

/// <summary>Human-readable job details and job lists. Times print in UTC, to the millisecond.</summary>
internal static class JobPrinter
{
    /// <summary>The job's fields, its error when failed, then its event history, oldest first.</summary>
    public static async Task WriteDetailsAsync(HeraJob job, TextWriter output)
    {
        var fields = new TextTable(["field", "value"]);
        fields.Add("id", job.Id);
        fields.Add("state", job.Reason is null ? job.State : $"{job.State} ({job.Reason})");
        if (job.WaitReason is { } waitReason)
        {
            fields.Add("waiting", waitReason);
        }

        fields.Add("queue", job.Queue);
        fields.Add("type", job.Type);
        fields.Add("engine", job.Engine ?? "-");
        fields.Add("attempts", job.Attempts.ToString(CultureInfo.InvariantCulture));
        fields.Add("submitted", Cells.Time(job.SubmittedAt));
        fields.Add("started", Cells.Time(job.StartedAt));
        fields.Add("finished", Cells.Time(job.FinishedAt));
        if (job is { StartedAt: { } started, FinishedAt: { } finished })
        {
            fields.Add("duration", $"{(finished - started).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s");
        }

        if (job.RowCount is { } rows)
        {
            fields.Add("rows", rows.ToString(CultureInfo.InvariantCulture));
        }

        if (job.Error is { } error)
        {
            fields.Add("error", $"{error.Code}: {error.Message}");
        }

        await fields.WriteAsync(output, header: false).ConfigureAwait(false);
        await output.WriteLineAsync().ConfigureAwait(false);
        var events = new TextTable(["at", "state", "detail"]);
        foreach (var e in job.Events)
        {
            events.Add(Cells.Time(e.At), e.State, e.Detail ?? "");
        }

        await events.WriteAsync(output).ConfigureAwait(false);
    }

    /// <summary>One line per job, newest first as the gateway lists them.</summary>
    public static async Task WriteListAsync(IReadOnlyList<HeraJob> jobs, TextWriter output)
    {
        var table = new TextTable(["id", "state", "reason", "queue", "engine", "attempts", "rows", "submitted"], [false, false, false, false, false, true, true, false]);
        foreach (var job in jobs)
        {
            table.Add(
                job.Id,
                job.State,
                job.Reason ?? "",
                job.Queue,
                job.Engine ?? "",
                job.Attempts.ToString(CultureInfo.InvariantCulture),
                job.RowCount?.ToString(CultureInfo.InvariantCulture) ?? "",
                Cells.Time(job.SubmittedAt));
        }

        await table.WriteAsync(output).ConfigureAwait(false);
    }

    /// <summary>A failed job's reason and error, for standard error.</summary>
    public static async Task WriteFailureAsync(HeraJob job, TextWriter error)
    {
        await error.WriteLineAsync($"job {job.Id} failed: {job.Reason ?? "unknown reason"}").ConfigureAwait(false);
        if (job.Error is { } e)
        {
            await error.WriteLineAsync($"{e.Code}: {e.Message}").ConfigureAwait(false);
        }
    }
}
