using System.Net.Http.Json;
using System.Text.Json;
using Hera.Client;
using Npgsql;

namespace Hera.Silo.Tests.Cluster;

/// <summary>
/// Several real <c>Hera.Silo</c> processes sharing one PostgreSQL grid store (a schema of their own in the test
/// server named by <c>HERA_TEST_PG</c>) and one results directory, as a cluster runs on several machines.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _schema = "hera_cluster_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _server;
    private readonly List<SiloProcess?> _silos = [];

    private ClusterHarness(string server) => _server = server;

    /// <summary>The grid store's connection string, scoped to this cluster's schema.</summary>
    public string StoreConnection => new NpgsqlConnectionStringBuilder(_server) { SearchPath = _schema }.ConnectionString;

    /// <summary>The silos by index; null once killed.</summary>
    public IReadOnlyList<SiloProcess?> Silos => _silos;

    /// <summary>The live silos.</summary>
    public IEnumerable<SiloProcess> Live => _silos.OfType<SiloProcess>();

    /// <summary>Creates the schema and starts <paramref name="count"/> silos named <c>silo-0</c>, <c>silo-1</c>, ...</summary>
    public static async Task<ClusterHarness> StartAsync(int count, string? server = null, params string[] extraArguments)
    {
        server ??= Environment.GetEnvironmentVariable("HERA_TEST_PG")
            ?? throw new InvalidOperationException("HERA_TEST_PG is not set: start the test servers with scripts/test-services.sh (scripts/test.sh does)");
        var cluster = new ClusterHarness(server);
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {cluster._schema}", connection);
            await create.ExecuteNonQueryAsync();
        }

        // Started one after another: the first migrates the store; the others find it migrated.
        for (var i = 0; i < count; i++)
        {
            cluster._silos.Add(await cluster.StartSiloAsync(i, extraArguments));
        }

        return cluster;
    }

    /// <summary>Starts silo <paramref name="index"/> again after it was killed (same id, same data directory).</summary>
    public async Task<SiloProcess> RestartAsync(int index, params string[] extraArguments)
    {
        var silo = await StartSiloAsync(index, extraArguments);
        _silos[index] = silo;
        return silo;
    }

    /// <summary>SIGKILL silo <paramref name="index"/>.</summary>
    public async Task KillAsync(int index)
    {
        var silo = _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");
        await silo.KillAsync();
        _silos[index] = null;
    }

    /// <summary>The id of the silo at <paramref name="index"/>.</summary>
    public static string SiloId(int index) => $"silo-{index}";

    /// <summary><c>GET /v1/cluster</c> from <paramref name="silo"/>.</summary>
    public static async Task<JsonElement> SnapshotAsync(SiloProcess silo) =>
        await silo.Client.Http.GetFromJsonAsync<JsonElement>("v1/cluster");

    /// <summary>
    /// Waits until <paramref name="silo"/>'s view of the cluster satisfies <paramref name="done"/>, re-reading after
    /// each job of a probe's long poll: the cluster's own signals pace the wait, not a sleep.
    /// </summary>
    public static async Task<JsonElement> WaitForViewAsync(SiloProcess silo, Func<JsonElement, bool> done, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var view = await SnapshotAsync(silo);
            if (done(view))
            {
                return view;
            }

            deadline.Token.ThrowIfCancellationRequested();

            // A cheap job through this gateway: its long poll returns once the cluster has moved on by one dispatch.
            var probe = await silo.Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1 AS probe" });
            await silo.Client.GetJobAsync(probe.Id, TimeSpan.FromSeconds(1), cancellationToken: deadline.Token);
        }
    }

    /// <summary>The leader's silo id in a snapshot, or null.</summary>
    public static string? LeaderOf(JsonElement view) =>
        view.GetProperty("leader").ValueKind == JsonValueKind.String ? view.GetProperty("leader").GetString() : null;

    /// <summary>The state of silo <paramref name="id"/> in a snapshot.</summary>
    public static string? StateOf(JsonElement view, string id) =>
        view.GetProperty("silos").EnumerateArray().Where(s => s.GetProperty("id").GetString() == id).Select(s => s.GetProperty("state").GetString()).FirstOrDefault();

    /// <summary>Everything every silo printed, for a failing test's message.</summary>
    public string Output() => string.Join("\n", _silos.OfType<SiloProcess>().Select((s, i) => $"--- silo {i} ---\n{s.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.OfType<SiloProcess>())
        {
            await silo.DisposeAsync();
        }

        try
        {
            await using var connection = new NpgsqlConnection(_server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The server may be the one a test stopped; its data dies with it.
        }

        _root.Dispose();
    }

    private Task<SiloProcess> StartSiloAsync(int index, string[] extraArguments) =>
        SiloProcess.StartAsync(
            [
                "--store", "postgres",
                "--store-connection", StoreConnection,
                "--silo-id", SiloId(index),
                "--data-dir", Path.Combine(_root.Path, SiloId(index)),
                "--results-dir", Path.Combine(_root.Path, "shared-results"),
                "--demo-data", "none",
                "--worker-slots", "2",
                "--worker-dead-after-seconds", "3",
                .. extraArguments,
            ],
            TimeSpan.FromSeconds(90));
}
