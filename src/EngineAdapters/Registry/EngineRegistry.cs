using System.Collections.Immutable;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.Registry;

/// <summary>
/// The silo's engines, held in memory: built from a list of adapters and the default engine's name, changed with
/// <see cref="Register"/> and <see cref="Unregister"/>. Thread-safe: readers see an immutable snapshot swapped
/// atomically, so lookups never lock. Names compare ordinally (case-sensitive), as they appear in job specs and
/// URLs. The registry owns its adapters: <see cref="DisposeAsync"/> disposes the ones still registered.
/// </summary>
public sealed class EngineRegistry : IEngineRegistry, IAsyncDisposable
{
    private readonly Lock _writeGate = new();
    private volatile ImmutableSortedDictionary<string, IEngineAdapter> _adapters;

    /// <summary>A registry of <paramref name="adapters"/> whose default is <paramref name="defaultEngine"/>.</summary>
    /// <exception cref="ArgumentException">Two adapters share a name, or none is named <paramref name="defaultEngine"/>.</exception>
    public EngineRegistry(IEnumerable<IEngineAdapter> adapters, string defaultEngine)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultEngine);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, IEngineAdapter>(StringComparer.Ordinal);
        foreach (var adapter in adapters)
        {
            ArgumentNullException.ThrowIfNull(adapter, nameof(adapters));
            if (!builder.TryAdd(adapter.Name, adapter))
            {
                throw new ArgumentException($"Two engines are named '{adapter.Name}'.", nameof(adapters));
            }
        }

        if (!builder.ContainsKey(defaultEngine))
        {
            throw new ArgumentException($"The default engine '{defaultEngine}' is not among the engines.", nameof(defaultEngine));
        }

        DefaultEngine = defaultEngine;
        _adapters = builder.ToImmutable();
    }

    /// <inheritdoc />
    public string DefaultEngine { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Names => [.. _adapters.Keys];

    /// <inheritdoc />
    public IEngineAdapter? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _adapters.GetValueOrDefault(name);
    }

    /// <summary>Adds <paramref name="adapter"/> under its <see cref="IEngineAdapter.Name"/>.</summary>
    /// <exception cref="InvalidOperationException">An engine with that name is already registered.</exception>
    public void Register(IEngineAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        lock (_writeGate)
        {
            if (_adapters.ContainsKey(adapter.Name))
            {
                throw new InvalidOperationException($"An engine named '{adapter.Name}' is already registered.");
            }

            _adapters = _adapters.Add(adapter.Name, adapter);
        }
    }

    /// <summary>
    /// Registers <paramref name="adapter"/> under its name, replacing the adapter registered there before, which is
    /// returned (not disposed: statements may still be streaming from it). Null when the name was free.
    /// </summary>
    public IEngineAdapter? Replace(IEngineAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        lock (_writeGate)
        {
            var old = _adapters.GetValueOrDefault(adapter.Name);
            _adapters = _adapters.SetItem(adapter.Name, adapter);
            return old;
        }
    }

    /// <summary>
    /// Removes the engine named <paramref name="name"/> and returns it (the caller now owns and disposes it), or null
    /// when there is none. Jobs already holding the adapter keep using it.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="name"/> is the default engine.</exception>
    public IEngineAdapter? Unregister(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == DefaultEngine)
        {
            throw new InvalidOperationException($"The default engine '{name}' cannot be removed.");
        }

        lock (_writeGate)
        {
            if (!_adapters.TryGetValue(name, out var adapter))
            {
                return null;
            }

            _adapters = _adapters.Remove(name);
            return adapter;
        }
    }

    /// <summary>Disposes every registered adapter and empties the registry.</summary>
    public async ValueTask DisposeAsync()
    {
        ImmutableSortedDictionary<string, IEngineAdapter> adapters;
        lock (_writeGate)
        {
            adapters = _adapters;
            _adapters = _adapters.Clear();
        }

        foreach (var adapter in adapters.Values)
        {
            await adapter.DisposeAsync().ConfigureAwait(false);
        }
    }
}
