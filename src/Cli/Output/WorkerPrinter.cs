using Hera.Client;

namespace Hera.Cli.Output;

/// <summary>Workers as a list, one line each, as of their last heartbeat.</summary>
internal static class WorkerPrinter
{
    /// <summary>One line per worker, by id: where it runs, its state, slots, running tasks, memory in MiB and last heartbeat.</summary>
    public static async Task WriteListAsync(IReadOnlyList<HeraWorker> workers, TextWriter output)
    {
        var table = new TextTable(
            ["id", "silo", "pool", "state", "slots", "running", "used-mb", "free-mb", "heartbeat"],
            [false, false, false, false, true, true, true, true, false]);
        foreach (var w in workers)
        {
            table.Add(
                w.Id,
                w.Silo,
                w.Pool,
                w.State,
                Cells.Number(w.Slots),
                Cells.Number(w.Running),
                Cells.Number(w.MemoryUsedMb),
                Cells.Number(w.MemoryFreeMb),
                Cells.Time(w.LastHeartbeat));
        }

        await table.WriteAsync(output).ConfigureAwait(false);
    }
}
