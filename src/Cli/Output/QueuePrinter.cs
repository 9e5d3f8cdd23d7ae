using Hera.Client;

namespace Hera.Cli.Output;

/// <summary>Queues as a list (one line each) and one queue's fields.</summary>
internal static class QueuePrinter
{
    /// <summary>One line per queue, by name: its settings, then waiting (<c>size</c>) and running jobs and the dynamic factor.</summary>
    public static async Task WriteListAsync(IReadOnlyList<HeraQueue> queues, TextWriter output)
    {
        var table = new TextTable(
            ["name", "weight", "capacity", "parallelism", "share", "pool", "state", "size", "running", "factor"],
            [false, true, true, true, true, false, false, true, true, true]);
        foreach (var q in queues)
        {
            table.Add(
                q.Name,
                Cells.Number(q.Weight),
                Cells.Number(q.Capacity),
                Cells.Number(q.Parallelism),
                Cells.Number(q.MaxResourceShare),
                q.Pool,
                q.State,
                Cells.Number(q.Size),
                Cells.Number(q.Running),
                Cells.Number(q.DynamicFactor));
        }

        await table.WriteAsync(output).ConfigureAwait(false);
    }

    /// <summary>Every field of one queue, one a line; <c>wait</c> says why its next job has not started, if anything holds it.</summary>
    public static async Task WriteDetailsAsync(HeraQueue queue, TextWriter output)
    {
        var fields = new TextTable(["field", "value"]);
        fields.Add("name", queue.Name);
        fields.Add("weight", Cells.Number(queue.Weight));
        fields.Add("capacity", Cells.Number(queue.Capacity));
        fields.Add("parallelism", Cells.Number(queue.Parallelism));
        fields.Add("share", Cells.Number(queue.MaxResourceShare));
        fields.Add("pool", queue.Pool);
        fields.Add("state", queue.State);
        fields.Add("size", Cells.Number(queue.Size));
        fields.Add("running", Cells.Number(queue.Running));
        fields.Add("memory", $"{Cells.Number(queue.RunningMemoryMb)} MiB");
        fields.Add("factor", Cells.Number(queue.DynamicFactor));
        fields.Add("wait", queue.WaitReason ?? "-");
        fields.Add("created", Cells.Time(queue.CreatedAt));
        fields.Add("updated", Cells.Time(queue.UpdatedAt));
        await fields.WriteAsync(output, header: false).ConfigureAwait(false);
    }
}
