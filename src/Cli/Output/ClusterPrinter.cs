using System.Globalization;
using Hera.Client;

namespace Hera.Cli.Output;

/// <summary>The cluster: a leader line, then one line per silo.</summary>
internal static class ClusterPrinter
{
    /// <summary>"leader ID (epoch N, since T)" or "leader none", then the silos as a table.</summary>
    public static async Task WriteAsync(HeraCluster cluster, TextWriter output)
    {
        var leader = cluster.Leader is { } id
            ? string.Create(CultureInfo.InvariantCulture, $"leader {id} (epoch {cluster.LeaderEpoch}, since {Cells.Time(cluster.LeaderSince)})")
            : "leader none (no live silo leads: an election is under way)";
        await output.WriteLineAsync(leader).ConfigureAwait(false);
        var table = new TextTable(["silo", "address", "roles", "state", "heartbeat"], [false, false, false, false, false]);
        foreach (var silo in cluster.Silos)
        {
            table.Add(silo.Id, silo.Address, string.Join(',', silo.Roles), silo.State, Cells.Time(silo.LastHeartbeat));
        }

        await table.WriteAsync(output).ConfigureAwait(false);
    }
}
