using Hera.ClientGateway;
using Hera.ClientGateway.Hosting;
using Hera.ClientGateway.Metrics;
using Hera.ClientGateway.Problems;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.ClickHouse;
using Hera.EngineAdapters.Postgres;
using Hera.EngineAdapters.Registry;
using Hera.EngineAdapters.Sqlite;
using Hera.Grains;
using Hera.Grains.Interfaces;
using Hera.Grains.Engines;
using Hera.Grains.Execution;
using Hera.Grains.Interactive;
using Hera.Grains.Interfaces.Cluster;
using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Storage;
using Hera.Grains.Jobs;
using Hera.Grains.Results;
using Hera.Grains.Scheduling;
using Hera.Grains.Workers;
using Hera.Silo.Cluster;
using Hera.Silo.Configuration;
using Hera.Silo.Storage.Postgres;
using Hera.Silo.Storage.Sqlite;

namespace Hera.Silo.Hosting;

/// <summary>Composition of a silo: services by role, start-up work, and the HTTP pipeline.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The engine every embedded silo has: SQLite with the <c>shop</c> demo data.</summary>
    public const string LocalEngine = "local";

    /// <summary>Statements the built-in engine runs at once unless changed through <c>PUT /v1/engines/local</c>.</summary>
    public const int LocalEngineMaxConcurrency = 16;

    /// <summary>One adapter constructor per engine kind: how a definition from <c>PUT /v1/engines</c> becomes an adapter.</summary>
    private static readonly Dictionary<string, Func<EngineDefinition, IEngineAdapter>> EngineAdapters = new(StringComparer.Ordinal)
    {
        [EngineKinds.Sqlite] = d => new SqliteEngineAdapter(d.Name, d.Connection, new SqliteEngineOptions { CreateIfMissing = true }),
        [EngineKinds.Postgres] = d => new PostgresEngineAdapter(d.Name, d.Connection),
        [EngineKinds.ClickHouse] = d => new ClickHouseEngineAdapter(d.Name, d.Connection),
    };

    /// <summary>Registers everything a silo with <paramref name="options"/> needs.</summary>
    public static WebApplicationBuilder AddHeraSilo(this WebApplicationBuilder builder, SiloOptions options)
    {
        if (builder.Configuration["urls"] is null)
        {
            builder.WebHost.UseUrls(SiloOptions.DefaultUrl);
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(new SiloIdentity(options.SiloId, options.Roles, DateTimeOffset.UtcNow));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IGridStore>(sp => CreateStore(options, sp));
        services.AddSingleton(new ResultStore(options.ResultsDir));
        services.AddSingleton<JobChangeFeed>();
        services.AddSingleton<IGrainFactory, GrainFactory>();
        services.AddSingleton<JobSubmitter>();
        services.AddSingleton<JobRecovery>();
        services.AddSingleton<WorkerDirectory>();
        services.AddSingleton(new SchedulerOptions
        {
            MaxRunningTasks = options.MaxRunningTasks ?? int.MaxValue,
            MaxMemoryMb = options.MaxMemoryMb ?? long.MaxValue,
            WorkerDeadAfter = TimeSpan.FromSeconds(options.WorkerDeadAfterSeconds),
            MaxAttempts = options.MaxAttempts,
        });
        services.AddSingleton<JobScheduler>();
        services.AddSingleton(_ => new EngineRegistry([CreateLocalEngine(options)], LocalEngine));
        services.AddSingleton<IEngineRegistry>(sp => sp.GetRequiredService<EngineRegistry>());
        services.AddSingleton(new EngineAdapterFactory(EngineAdapters));
        services.AddSingleton(CircuitOptions.Default);
        services.AddSingleton(sp => new EngineCatalog(
            sp.GetRequiredService<IGridStore>(),
            sp.GetRequiredService<EngineRegistry>(),
            sp.GetRequiredService<EngineAdapterFactory>(),
            new EngineDefinition(LocalEngine, EngineKinds.Sqlite, options.LocalEnginePath, LocalEngineMaxConcurrency, new Dictionary<string, string>()),
            sp.GetRequiredService<CircuitOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<EngineCatalog>>()));
        services.AddSingleton<SqlDialects>();
        services.AddSingleton<StatementPreparation>();
        services.AddSingleton<EngineRouting>();
        services.AddSingleton<AdaptiveExecutor>();
        services.AddSingleton<InteractiveJournal>();
        services.AddSingleton<InteractiveQueries>();
        services.AddSingleton(new GatewayOptions { MaxRequestBytes = options.MaxRequestBytes });

        // Every silo counts (the job counters must hear recovery's changes too); only gateways serve /metrics.
        services.AddHeraGatewayMetrics();
        services.AddSingleton<IMetricsSource, ClusterMetrics>();
        services.AddSingleton(new WorkerOptions
        {
            WorkerId = options.SiloId,
            SiloId = options.SiloId,
            Pool = options.WorkerPool,
            Slots = options.WorkerSlots,
            MemoryMb = options.WorkerMemoryMb,
        });
        services.AddSingleton<JobRunner>();
        services.AddSingleton<Worker>();

        // Order matters: start-up (migrations, recovery, demo data) completes before the worker and the server.
        services.AddHostedService<SiloStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<InteractiveJournal>());
        services.AddSingleton<SiloMembership>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloMembership>());
        services.AddSingleton<ClusterChangeBridge>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterChangeBridge>());
        // Hosted services stop in reverse order: the scheduler stops placing jobs before the worker hands its
        // running jobs back, so a graceful stop neither re-places them here nor notes them as stuck.
        if (options.Roles.Contains(SiloRoles.Worker))
        {
            services.AddHostedService<WorkerService>();
        }

        if (options.Roles.Contains(SiloRoles.Scheduler))
        {
            services.AddHostedService<LeaderService>();
        }

        return builder;
    }

    /// <summary>Installs the problem handlers and maps the gateway's routes when this silo is a gateway.</summary>
    public static WebApplication UseHeraSilo(this WebApplication app)
    {
        app.UseHeraProblems();
        if (app.Services.GetRequiredService<SiloIdentity>().Has(SiloRoles.Gateway))
        {
            app.MapHeraGateway();
        }
        else
        {
            app.MapGet("/healthz", (SiloIdentity silo) => TypedResults.Ok(new { status = "ok", silo = silo.Id, roles = silo.Roles }));
        }

        return app;
    }

    /// <summary>The embedded engine: a SQLite file in the data dir (its folder made by <see cref="SiloStartup"/>),
    /// created empty on first use when no demo data is loaded.</summary>
    private static SqliteEngineAdapter CreateLocalEngine(SiloOptions options) =>
        new(LocalEngine, options.LocalEnginePath, new SqliteEngineOptions { CreateIfMissing = true });

    private static IGridStore CreateStore(SiloOptions options, IServiceProvider services) => options.Store == "postgres"
        ? new PostgresGridStore(options.StoreConnection!, services.GetRequiredService<ILogger<PostgresGridStore>>())
        : options.StoreConnection is { } connection ? new SqliteGridStore(connection) : SqliteGridStore.InDirectory(options.DataDir);
}
