using System.Collections.Concurrent;
using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Demo;
using Hera.EngineAdapters.Registry;
using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Grains.Interfaces.Storage;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace Hera.Grains.Engines;

/// <summary>
/// The engine-adapter grains of this silo and what surrounds them: definitions persisted in the grid store and
/// changed at run time (<c>PUT /v1/engines/{name}</c>), one adapter per engine in the <see cref="EngineRegistry"/>,
/// a circuit breaker per engine (an engine that keeps failing is skipped until it recovers), recent latencies
/// (for hedged races), and the parameter layers. The built-in engine (<c>local</c>) always exists; its kind and
/// connection are the silo's, its concurrency and parameters can be changed.
/// </summary>
public sealed partial class EngineCatalog : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Dictionary<string, EngineRecord> _engines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EngineCircuit> _circuits = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LatencyWindow> _latency = new(StringComparer.Ordinal);
    private readonly List<IEngineAdapter> _retired = [];
    private readonly IGridStore _store;
    private readonly EngineRegistry _registry;
    private readonly EngineAdapterFactory _factory;
    private readonly EngineDefinition _builtIn;
    private readonly CircuitOptions _circuitOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<EngineCatalog> _logger;
    private IReadOnlyList<ParameterLayerRecord> _layers = [];

    /// <summary>Creates the catalog over <paramref name="registry"/>, whose default engine is <paramref name="builtIn"/>.</summary>
    public EngineCatalog(
        IGridStore store, EngineRegistry registry, EngineAdapterFactory factory, EngineDefinition builtIn, CircuitOptions circuitOptions,
        TimeProvider time, ILogger<EngineCatalog> logger)
    {
        (_store, _registry, _factory, _builtIn, _circuitOptions, _time, _logger) = (store, registry, factory, builtIn, circuitOptions, time, logger);
        _engines[builtIn.Name] = new EngineRecord(builtIn, 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
    }

    /// <summary>The engine a job runs on when it names none and its queue routes nowhere.</summary>
    public string DefaultEngine => _builtIn.Name;

    /// <summary>Loads the stored engines and parameter layers and registers an adapter for each engine.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var stored in await _store.EngineListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                Install(stored);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                // A definition that no longer builds (e.g. an adapter option removed) must not stop the silo.
                Log.EngineNotLoaded(_logger, e, stored.Definition.Name);
            }
        }

        _layers = await _store.ParameterLayerListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Follows changes another silo made: re-reads the stored engines and parameter layers and installs every
    /// engine whose stored version differs from the one in force. Engines are never removed through the API, so
    /// one missing from the store stays as it is.
    /// </summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var stored = await _store.EngineListAsync(cancellationToken).ConfigureAwait(false);
        var layers = await _store.ParameterLayerListAsync(cancellationToken).ConfigureAwait(false);
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var engine in stored)
            {
                EngineRecord? current;
                lock (_gate)
                {
                    _engines.TryGetValue(engine.Definition.Name, out current);
                }

                if (current is not null && current.Version == engine.Version && current.UpdatedAt == engine.UpdatedAt)
                {
                    continue;
                }

                try
                {
                    Install(engine);
                }
                catch (Exception e) when (e is ArgumentException or FormatException)
                {
                    Log.EngineNotLoaded(_logger, e, engine.Definition.Name);
                }
            }

            _layers = layers;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>The engine's definition, or null.</summary>
    public EngineDefinition? Find(string name)
    {
        lock (_gate)
        {
            return _engines.TryGetValue(name, out var record) ? record.Definition : null;
        }
    }

    /// <summary>Every engine as stored, by name.</summary>
    public IReadOnlyList<EngineRecord> List()
    {
        lock (_gate)
        {
            return [.. _engines.Values.OrderBy(e => e.Definition.Name, StringComparer.Ordinal)];
        }
    }

    /// <summary>The <c>engine_not_found</c> problem for <paramref name="name"/>, naming the engines there are.</summary>
    public HeraProblemException NotFound(string name) => new(
        ProblemCodes.EngineNotFound, $"engine '{name}' is not registered; engines: {string.Join(", ", List().Select(e => e.Definition.Name))}");

    /// <summary>Statements the scheduler may run at once on <paramref name="engine"/> (0 for an unknown engine).</summary>
    public int MaxConcurrency(string engine) => Find(engine)?.MaxConcurrency ?? 0;

    /// <summary>True for a registered engine's name or an engine kind (task parameter prefixes).</summary>
    public bool IsEngineOrKind(string name) => EngineKinds.All.Contains(name) || Find(name) is not null;

    /// <summary>
    /// Creates or replaces an engine: the adapter is built (which checks the connection's form, not that the engine
    /// answers), the definition persisted, then the adapter swapped in. Attempts already running keep their
    /// adapter. Returns the stored engine and whether it is new.
    /// </summary>
    /// <exception cref="HeraProblemException"><c>invalid_request</c> with every problem.</exception>
    public async Task<(EngineRecord Engine, bool Created)> UpsertAsync(EngineDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var problems = definition.Problems().ToList();
        if (definition.Name == _builtIn.Name && (definition.Kind != _builtIn.Kind || definition.Connection != _builtIn.Connection))
        {
            problems.Add($"the built-in engine '{_builtIn.Name}' keeps its kind and connection; only maxConcurrency and parameters change");
        }

        if (problems.Count > 0)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, string.Join("; ", problems));
        }

        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var adapter = definition.Name == _builtIn.Name ? null : Build(definition);
            var created = Find(definition.Name) is null;
            var stored = await _store.EngineUpsertAsync(definition, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            Install(stored, adapter);
            return (stored, created);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Health of an engine now: the adapter's check, its circuit, its load. Null for an unknown engine.</summary>
    public async Task<EngineStatus?> CheckAsync(string name, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } definition || _registry.Find(name) is not { } adapter)
        {
            return null;
        }

        var health = await adapter.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return new EngineStatus(definition, health, CircuitOf(name), adapter.Running);
    }

    /// <summary>The engine's circuit: <c>closed</c> (in use), <c>open</c> (skipped after repeated failures) or <c>half-open</c>.</summary>
    public string CircuitOf(string engine) =>
        _circuits.TryGetValue(engine, out var circuit) ? circuit.StateName : "closed";

    /// <summary>
    /// Runs <paramref name="action"/> on <paramref name="engine"/> through its circuit breaker. An engine-side
    /// failure counts against the circuit; the caller's SQL errors and cancellations do not. While the circuit is
    /// open the action is not run and <see cref="BrokenCircuitException"/> is thrown.
    /// </summary>
    public ValueTask<T> RunGuardedAsync<T>(string engine, Func<CancellationToken, ValueTask<T>> action, CancellationToken cancellationToken) =>
        _circuits.GetOrAdd(engine, name => new EngineCircuit(name, _circuitOptions)).Pipeline.ExecuteAsync(action, cancellationToken);

    /// <summary>Records how long a successful statement took on <paramref name="engine"/> (for hedging delays).</summary>
    public void RecordLatency(string engine, TimeSpan duration) =>
        _latency.GetOrAdd(engine, _ => new LatencyWindow()).Add(duration);

    /// <summary>
    /// The delay before a hedged second engine starts: the 90th percentile of <paramref name="engine"/>'s recent
    /// successful statements, or <paramref name="fallback"/> when it has none yet.
    /// </summary>
    public TimeSpan HedgeDelay(string engine, TimeSpan fallback) =>
        _latency.TryGetValue(engine, out var window) && window.P90() is { } p90 ? p90 : fallback;

    /// <summary>The effective parameters of an attempt of <paramref name="spec"/> on <paramref name="engine"/>.</summary>
    public IReadOnlyDictionary<string, string> Assemble(string engine, JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var definition = Find(engine) ?? throw new ArgumentException($"engine '{engine}' is not registered", nameof(engine));
        return ParameterAssembly.Assemble(definition, spec.Labels, spec.Parameters, _layers, IsEngineOrKind);
    }

    /// <summary>Every parameter-layer entry, by layer then key.</summary>
    public IReadOnlyList<ParameterLayerRecord> ListLayers() => _layers;

    /// <summary>Creates or replaces a parameter-layer entry; in force for the next attempt.</summary>
    /// <exception cref="HeraProblemException"><c>invalid_request</c> for an unknown layer or empty names.</exception>
    public async Task<ParameterLayerRecord> UpsertLayerAsync(
        string layer, string key, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> targets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (!ParameterLayers.All.Contains(layer))
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"layer must be one of {string.Join(", ", ParameterLayers.All)}; got '{layer}'");
        }

        if (targets.Keys.Any(string.IsNullOrWhiteSpace) || targets.Values.Any(t => t.Keys.Any(string.IsNullOrWhiteSpace)))
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, "engine targets and parameter names must not be empty");
        }

        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await _store.ParameterLayerUpsertAsync(layer, key, targets, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            _layers = await _store.ParameterLayerListAsync(cancellationToken).ConfigureAwait(false);
            return stored;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>Loads the <c>shop</c> warehouse into an engine, replacing what was there.</summary>
    /// <exception cref="HeraProblemException"><c>engine_not_found</c>, or <c>invalid_request</c> for an engine that cannot take it.</exception>
    public Task<ShopLoadInfo> LoadDemoDataAsync(string engine, double scale, IProgress<ShopLoadProgress>? progress, CancellationToken cancellationToken)
    {
        var adapter = _registry.Find(engine) ?? throw NotFound(engine);
        if (adapter is not IShopTarget target)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"engine '{engine}' ({adapter.Kind}) cannot load demo data");
        }

        return target.LoadShopAsync(new ShopGenerator(scale), progress, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        List<IEngineAdapter> retired;
        lock (_gate)
        {
            retired = [.. _retired];
            _retired.Clear();
        }

        foreach (var adapter in retired)
        {
            await adapter.DisposeAsync().ConfigureAwait(false);
        }

        _writes.Dispose();
    }

    private IEngineAdapter Build(EngineDefinition definition)
    {
        try
        {
            return _factory.Create(definition);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
        {
            throw new HeraProblemException(ProblemCodes.InvalidRequest, $"connection is not usable for a {definition.Kind} engine: {e.Message}");
        }
    }

    // The built-in engine's adapter is the silo's own; only its definition (concurrency, parameters) changes.
    private void Install(EngineRecord stored, IEngineAdapter? adapter = null)
    {
        var definition = stored.Definition;
        if (definition.Name == _builtIn.Name)
        {
            stored = stored with { Definition = definition with { Kind = _builtIn.Kind, Connection = _builtIn.Connection } };
        }
        else
        {
            adapter ??= _factory.Create(definition);
        }

        lock (_gate)
        {
            _engines[definition.Name] = stored;
            if (adapter is not null && _registry.Replace(adapter) is { } old)
            {
                _retired.Add(old);
            }
        }

        _circuits.TryRemove(definition.Name, out _); // a new definition starts with a closed circuit
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "Engine {Engine} could not be loaded from the store")]
        public static partial void EngineNotLoaded(ILogger logger, Exception exception, string engine);
    }
}

/// <summary>An engine's status for <c>GET /v1/engines/{name}/health</c>.</summary>
/// <param name="Definition">Its definition.</param>
/// <param name="Health">The adapter's check, just made.</param>
/// <param name="Circuit"><c>closed</c>, <c>open</c> or <c>half-open</c>.</param>
/// <param name="Running">Statements its adapter runs now.</param>
public sealed record EngineStatus(EngineDefinition Definition, EngineHealth Health, string Circuit, int Running);

/// <summary>Builds an adapter for an engine definition, by kind. The composition root supplies one constructor per kind.</summary>
/// <param name="byKind">Kind → constructor.</param>
public sealed class EngineAdapterFactory(IReadOnlyDictionary<string, Func<EngineDefinition, IEngineAdapter>> byKind)
{
    /// <summary>A new adapter for <paramref name="definition"/>.</summary>
    /// <exception cref="ArgumentException">No adapter for its kind, or its connection is malformed.</exception>
    public IEngineAdapter Create(EngineDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return byKind.TryGetValue(definition.Kind, out var create)
            ? create(definition)
            : throw new ArgumentException($"no adapter for engine kind '{definition.Kind}'", nameof(definition));
    }
}

/// <summary>When an engine's circuit opens and for how long (Polly's circuit breaker, per engine).</summary>
/// <param name="FailureRatio">Share of failed statements in the sampling window that opens it.</param>
/// <param name="MinimumThroughput">Statements in the window before the ratio counts.</param>
/// <param name="SamplingDuration">The window.</param>
/// <param name="BreakDuration">How long it stays open before a trial statement is let through.</param>
public sealed record CircuitOptions(double FailureRatio, int MinimumThroughput, TimeSpan SamplingDuration, TimeSpan BreakDuration)
{
    /// <summary>Half of at least three statements in 30 s failing opens the circuit for 15 s.</summary>
    public static CircuitOptions Default { get; } = new(0.5, 3, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(15));
}

/// <summary>One engine's circuit breaker and its observable state.</summary>
internal sealed class EngineCircuit
{
    private readonly CircuitBreakerStateProvider _state = new();

    public EngineCircuit(string engine, CircuitOptions options)
    {
        Pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                Name = $"engine-{engine}",
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = _state,

                // Only the engine's own failures count: a caller's bad SQL says nothing about the engine.
                ShouldHandle = new PredicateBuilder().Handle<EngineException>(e => e.Kind != EngineFailureKind.CallerSql),
            })
            .Build();
    }

    public ResiliencePipeline Pipeline { get; }

    public string StateName => _state.CircuitState switch
    {
        CircuitState.Closed => "closed",
        CircuitState.HalfOpen => "half-open",
        _ => "open",
    };
}

/// <summary>The last 64 successful statement durations of one engine; thread-safe.</summary>
internal sealed class LatencyWindow
{
    private readonly Lock _gate = new();
    private readonly TimeSpan[] _samples = new TimeSpan[64];
    private int _count;
    private int _next;

    public void Add(TimeSpan duration)
    {
        lock (_gate)
        {
            _samples[_next] = duration;
            _next = (_next + 1) % _samples.Length;
            _count = Math.Min(_count + 1, _samples.Length);
        }
    }

    public TimeSpan? P90()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return null;
            }

            var sorted = _samples[.._count].Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.9) - 1)];
        }
    }
}
