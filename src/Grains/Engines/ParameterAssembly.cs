using Hera.Grains.Interfaces.Engines;

namespace Hera.Grains.Engines;

/// <summary>
/// Engine parameters assembled in layers, each overriding the one before (DESIGN.md, "Engine parameters"):
/// the engine kind's defaults &lt; the engine's own &lt; the job's business type &lt; its account &lt; the task's own.
/// Within the business and account layers an entry targets an engine kind or an engine name, the name winning.
/// The task's parameters apply to every engine, except a key prefixed with an engine's name or kind
/// (<c>pg.work_mem</c>, <c>clickhouse.max_threads</c>), which applies, without the prefix, to that engine only.
/// Pure: callers pass the layers as they stand, so a change takes effect on the next attempt.
/// </summary>
public static class ParameterAssembly
{
    /// <summary>Defaults per engine kind, the first layer. Data, not code paths.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> KindDefaults { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            // ClickHouse fills unmatched LEFT JOIN columns with defaults unless told otherwise; the same query must
            // give the same rows on every engine.
            [EngineKinds.ClickHouse] = new Dictionary<string, string>(StringComparer.Ordinal) { ["join_use_nulls"] = "1" },
            [EngineKinds.Postgres] = new Dictionary<string, string>(StringComparer.Ordinal),
            [EngineKinds.Sqlite] = new Dictionary<string, string>(StringComparer.Ordinal),
        };

    /// <summary>The effective parameters of one attempt on <paramref name="engine"/>.</summary>
    /// <param name="engine">The engine the attempt runs on.</param>
    /// <param name="labels">The job's labels (<c>business</c>, <c>account</c>).</param>
    /// <param name="task">The job's own <c>parameters</c>.</param>
    /// <param name="layers">Every business and account entry, as stored.</param>
    /// <param name="isEngineOrKind">True for a name that is a registered engine or an engine kind (task-key prefixes).</param>
    public static IReadOnlyDictionary<string, string> Assemble(
        EngineDefinition engine,
        IReadOnlyDictionary<string, string> labels,
        IReadOnlyDictionary<string, string> task,
        IReadOnlyList<ParameterLayerRecord> layers,
        Func<string, bool> isEngineOrKind)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(isEngineOrKind);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Apply(result, KindDefaults.GetValueOrDefault(engine.Kind));
        Apply(result, engine.Parameters);
        foreach (var layer in ParameterLayers.All)
        {
            if (!labels.TryGetValue(layer, out var key))
            {
                continue;
            }

            var entry = layers.FirstOrDefault(l => l.Layer == layer && l.Key == key);
            if (entry is not null)
            {
                Apply(result, entry.Targets.GetValueOrDefault(engine.Kind));
                Apply(result, entry.Targets.GetValueOrDefault(engine.Name));
            }
        }

        foreach (var (name, value) in task)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var prefix = dot > 0 ? name[..dot] : null;
            if (prefix is null || !isEngineOrKind(prefix))
            {
                result[name] = value;
            }
            else if (prefix == engine.Name || prefix == engine.Kind)
            {
                result[name[(dot + 1)..]] = value;
            }
        }

        return result;
    }

    /// <summary>The parameters as <c>k=v, k=v</c> (sorted), for events; empty text for none.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> parameters) =>
        string.Join(", ", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static void Apply(SortedDictionary<string, string> into, IReadOnlyDictionary<string, string>? layer)
    {
        foreach (var (name, value) in layer ?? new Dictionary<string, string>())
        {
            into[name] = value;
        }
    }
}
