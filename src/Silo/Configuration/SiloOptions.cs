using System.Globalization;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Queues;
using Microsoft.Extensions.Configuration;

namespace Hera.Silo.Configuration;

/// <summary>
/// The silo's command-line options (<c>../shared/API.md</c>, "Running a silo"), read from configuration so each
/// also works as an environment variable or appsettings key of the same name. <see cref="Parse"/> validates
/// everything at start and reports the first bad option by its flag.
/// </summary>
public sealed record SiloOptions
{
    /// <summary>Default address of the embedded silo.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Scale of the <c>shop</c> data loaded by default ("small": about ten thousand order lines).</summary>
    public const double SmallDemoScale = 0.01;

    /// <summary>
    /// Every flag <see cref="Parse"/> reads, without the leading dashes; <c>urls</c> is ASP.NET Core's own, read here for
    /// the <c>--advertise-url</c> default. Configuration ignores keys nobody reads, so a misspelt flag would be dropped
    /// silently: deployment files (<c>deploy/</c>) are checked against this list by a test, which also checks that
    /// the list matches the keys this file reads.
    /// </summary>
    public static IReadOnlyList<string> KnownFlags { get; } =
    [
        "data-dir", "store", "store-connection", "results-dir", "roles", "demo-data", "worker-slots", "worker-memory-mb",
        "worker-pool", "max-running-tasks", "max-memory-mb", "worker-dead-after-seconds", "max-attempts", "silo-id",
        "max-request-bytes", "advertise-url", "urls",
    ];

    /// <summary><c>--data-dir</c>: store file, results, engine files. Default <c>./data</c>.</summary>
    public required string DataDir { get; init; }

    /// <summary><c>--store</c>: <c>sqlite</c> or <c>postgres</c>.</summary>
    public required string Store { get; init; }

    /// <summary><c>--store-connection</c>: connection string; default a file in the data dir.</summary>
    public string? StoreConnection { get; init; }

    /// <summary><c>--results-dir</c>: results and exports. Default <c>DATA_DIR/results</c>.</summary>
    public required string ResultsDir { get; init; }

    /// <summary><c>--roles</c>: which of gateway, scheduler, worker this silo plays.</summary>
    public required IReadOnlySet<string> Roles { get; init; }

    /// <summary><c>--demo-data</c>: scale of the <c>shop</c> warehouse loaded into <c>local</c> at first start; 0 = none.</summary>
    public required double DemoDataScale { get; init; }

    /// <summary><c>--worker-slots</c>: adhoc task slots. Default: the number of cores.</summary>
    public required int WorkerSlots { get; init; }

    /// <summary><c>--worker-memory-mb</c>: memory offered to tasks. Default: half of what the process may use.</summary>
    public required int WorkerMemoryMb { get; init; }

    /// <summary><c>--worker-pool</c>: the pool this silo's worker serves. Default <c>core</c>.</summary>
    public string WorkerPool { get; init; } = "core";

    /// <summary><c>--max-running-tasks</c>: jobs running at once across the grid; null = bounded only by worker slots.</summary>
    public int? MaxRunningTasks { get; init; }

    /// <summary><c>--max-memory-mb</c>: memory running jobs' estimates may add up to across the grid; null = bounded only by workers.</summary>
    public int? MaxMemoryMb { get; init; }

    /// <summary><c>--worker-dead-after-seconds</c>: silence after which a worker is dead and its jobs go back to waiting. Default 5.</summary>
    public int WorkerDeadAfterSeconds { get; init; } = 5;

    /// <summary><c>--max-attempts</c>: attempts before a job whose worker keeps dying fails <c>worker_lost</c>. Default 3.</summary>
    public required int MaxAttempts { get; init; }

    /// <summary><c>--silo-id</c>: this silo's id. Default <c>silo-HOSTNAME</c>.</summary>
    public required string SiloId { get; init; }

    /// <summary><c>--max-request-bytes</c>: largest accepted request body. Default 1 MiB.</summary>
    public required int MaxRequestBytes { get; init; }

    /// <summary>
    /// <c>--advertise-url</c>: the gateway URL recorded in the cluster's membership (<c>GET /v1/cluster</c>), where
    /// clients and other silos reach this silo. Default: the first of <c>--urls</c>, else <see cref="DefaultUrl"/>.
    /// </summary>
    public string AdvertiseUrl { get; init; } = DefaultUrl;

    /// <summary>True when the grid store is shared with other silos (PostgreSQL): cluster mode.</summary>
    public bool IsCluster => Store == "postgres";

    /// <summary>Path of the embedded SQLite engine <c>local</c>'s database.</summary>
    public string LocalEnginePath => Path.Combine(DataDir, "engines", "local.db");

    /// <summary>Reads and validates the options; throws <see cref="ArgumentException"/> naming the bad flag.</summary>
    public static SiloOptions Parse(IConfiguration configuration)
    {
        var dataDir = Path.GetFullPath(configuration["data-dir"] ?? "data");
        var store = configuration["store"] ?? "sqlite";
        if (store is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--store must be sqlite or postgres; got '{store}'");
        }

        var storeConnection = configuration["store-connection"];
        if (store == "postgres" && string.IsNullOrWhiteSpace(storeConnection))
        {
            // Refused at start rather than on first use: there is no sensible default server.
            throw new ArgumentException("--store postgres needs --store-connection with an Npgsql connection string (Host=...;Database=...;Username=...)");
        }

        var advertiseUrl = configuration["advertise-url"];
        if (advertiseUrl is { Length: > 0 } && !(Uri.TryCreate(advertiseUrl, UriKind.Absolute, out var advertised) && advertised.Scheme is "http" or "https"))
        {
            throw new ArgumentException($"--advertise-url takes an absolute http(s) URL other silos and clients reach this gateway at; got '{advertiseUrl}'");
        }

        var roles = (configuration["roles"] ?? string.Join(',', SiloRoles.All))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.Ordinal);
        var unknown = roles.Except(SiloRoles.All).ToList();
        if (roles.Count == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"--roles takes a comma-separated list of {string.Join(", ", SiloRoles.All)}; got '{configuration["roles"]}'");
        }

        return new SiloOptions
        {
            DataDir = dataDir,
            Store = store,
            StoreConnection = storeConnection,
            AdvertiseUrl = advertiseUrl is { Length: > 0 } ? advertiseUrl.TrimEnd('/') : FirstListenUrl(configuration["urls"]),
            ResultsDir = Path.GetFullPath(configuration["results-dir"] ?? Path.Combine(dataDir, "results")),
            Roles = roles,
            DemoDataScale = ParseScale(configuration["demo-data"]),
            WorkerSlots = ParseInt(configuration, "worker-slots", Environment.ProcessorCount, min: 1),
            WorkerMemoryMb = ParseInt(configuration, "worker-memory-mb", DefaultWorkerMemoryMb(), min: 1),
            MaxAttempts = ParseInt(configuration, "max-attempts", 3, min: 1),
            WorkerPool = configuration["worker-pool"] is { Length: > 0 } pool
                ? (QueueDefinition.IsValidName(pool) ? pool : throw new ArgumentException($"--worker-pool must be 1 to 64 letters, digits, '-', '_' or '.'; got '{pool}'"))
                : QueueDefinition.DefaultPool,
            MaxRunningTasks = configuration["max-running-tasks"] is { Length: > 0 } ? ParseInt(configuration, "max-running-tasks", 0, min: 1) : null,
            MaxMemoryMb = configuration["max-memory-mb"] is { Length: > 0 } ? ParseInt(configuration, "max-memory-mb", 0, min: 1) : null,
            WorkerDeadAfterSeconds = ParseInt(configuration, "worker-dead-after-seconds", 5, min: 2),
            SiloId = configuration["silo-id"] is { Length: > 0 } id ? id : $"silo-{Environment.MachineName.ToLowerInvariant()}",
            MaxRequestBytes = ParseInt(configuration, "max-request-bytes", 1 << 20, min: 1024),
        };
    }

    // ASP.NET's --urls takes a ';'-separated list; a wildcard host is no address anyone can reach, so it is
    // replaced by loopback (set --advertise-url for a real host name).
    private static string FirstListenUrl(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return DefaultUrl;
        }

        return first.Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal)
            .TrimEnd('/');
    }

    private static double ParseScale(string? text) => text switch
    {
        null or "" or "small" => SmallDemoScale,
        "none" or "off" => 0,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale >= 0 && scale <= 100 => scale,
        _ => throw new ArgumentException($"--demo-data takes a scale from 0 to 100, 'small' or 'none'; got '{text}'"),
    };

    private static int ParseInt(IConfiguration configuration, string key, int fallback, int min)
    {
        var text = configuration[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min
            ? value
            : throw new ArgumentException($"--{key} takes a whole number of at least {min}; got '{text}'");
    }

    private static int DefaultWorkerMemoryMb() =>
        (int)Math.Max(256, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / (1024 * 1024));
}
