using Hera.Grains.Interfaces.Engines;
using Hera.Grains.Interfaces.Queues;

namespace Hera.Silo.Tests.Storage;

/// <summary>
/// Registered engines, parameter layers and queue routing. Definitions hold dictionaries and lists, which record
/// equality compares by reference, so these facts compare members.
/// </summary>
public abstract partial class GridStoreConformance
{
    [Fact]
    public async Task Engine_upsert_creates_then_replaces_the_definition_keeping_its_creation_time()
    {
        var createdAt = T0.AddTicks(10); // 1 µs: times keep microseconds
        var updatedAt = T0.AddMinutes(5).AddTicks(20);
        var first = Engine("pg", EngineKinds.Postgres, ("statement_timeout", "30s"));
        var second = new EngineDefinition("pg", EngineKinds.ClickHouse, "http://ch:8123", 2, new Dictionary<string, string> { ["max_threads"] = "4" });

        var created = await Store.EngineUpsertAsync(first, createdAt, default);
        var replaced = await Store.EngineUpsertAsync(second, updatedAt, default);

        Assert.Equal((1L, createdAt, createdAt), (created.Version, created.CreatedAt, created.UpdatedAt));
        Assert.Equal((2L, createdAt, updatedAt), (replaced.Version, replaced.CreatedAt, replaced.UpdatedAt));
        var stored = Assert.Single(await Store.EngineListAsync(default));
        AssertEngine(second, stored.Definition);
        Assert.Equal((2L, createdAt, updatedAt), (stored.Version, stored.CreatedAt, stored.UpdatedAt));
    }

    [Fact]
    public async Task Engines_list_oldest_first_then_by_name_and_a_replace_does_not_move_one()
    {
        Assert.Empty(await Store.EngineListAsync(default));
        await Store.EngineUpsertAsync(Engine("b", EngineKinds.Sqlite), T0.AddSeconds(1), default);
        await Store.EngineUpsertAsync(Engine("c", EngineKinds.Sqlite), T0, default);
        await Store.EngineUpsertAsync(Engine("a", EngineKinds.Sqlite), T0.AddSeconds(1), default);
        await Store.EngineUpsertAsync(Engine("c", EngineKinds.Postgres), T0.AddSeconds(2), default);

        var names = (await Store.EngineListAsync(default)).Select(e => e.Definition.Name);

        Assert.Equal(["c", "a", "b"], names);
    }

    [Fact]
    public async Task Deleting_an_engine_removes_it_once_and_then_reports_none()
    {
        await Store.EngineUpsertAsync(Engine("gone", EngineKinds.Sqlite), T0, default);
        await Store.EngineUpsertAsync(Engine("kept", EngineKinds.Sqlite), T0, default);

        var first = await Store.EngineDeleteAsync("gone", default);
        var second = await Store.EngineDeleteAsync("gone", default);
        var unknown = await Store.EngineDeleteAsync("never", default);

        Assert.True(first);
        Assert.False(second);
        Assert.False(unknown);
        Assert.Equal(["kept"], (await Store.EngineListAsync(default)).Select(e => e.Definition.Name));
    }

    [Fact]
    public async Task Engine_parameters_round_trip_any_string_in_any_key_order()
    {
        var parameters = new Dictionary<string, string>
        {
            ["search_path"] = "\"Säle\", public",
            ["application_name"] = "héra 数据 🚀",
            ["quote'n\\slash"] = "line1\nline2\t\"end\"",
            ["empty"] = "",
            ["Ünïcode-kéy"] = "<script>&amp;</script>",
        };
        var definition = new EngineDefinition("pg", EngineKinds.Postgres, "Host=db;Database=grid", 3, parameters);

        await Store.EngineUpsertAsync(definition, T0, default);
        var stored = Assert.Single(await Store.EngineListAsync(default));

        AssertEngine(definition, stored.Definition);
    }

    [Fact]
    public async Task Parameter_layer_upsert_creates_then_replaces_the_targets()
    {
        var updatedAt = T0.AddMinutes(1).AddTicks(30);

        var created = await Store.ParameterLayerUpsertAsync(ParameterLayers.Business, "ads", Targets(("pg", "work_mem", "64MB")), T0, default);
        var replaced = await Store.ParameterLayerUpsertAsync(ParameterLayers.Business, "ads", Targets(("clickhouse", "max_threads", "2")), updatedAt, default);

        Assert.Equal((1L, T0), (created.Version, created.UpdatedAt));
        Assert.Equal((2L, updatedAt), (replaced.Version, replaced.UpdatedAt));
        var stored = Assert.Single(await Store.ParameterLayerListAsync(default));
        Assert.Equal((ParameterLayers.Business, "ads", 2L, updatedAt), (stored.Layer, stored.Key, stored.Version, stored.UpdatedAt));
        Assert.Equal([("clickhouse", "max_threads", "2")], Flatten(stored.Targets));
    }

    [Fact]
    public async Task Parameter_layers_list_by_layer_then_key()
    {
        Assert.Empty(await Store.ParameterLayerListAsync(default));
        await Store.ParameterLayerUpsertAsync(ParameterLayers.Business, "search", Targets(), T0, default);
        await Store.ParameterLayerUpsertAsync(ParameterLayers.Account, "zoe", Targets(), T0, default);
        await Store.ParameterLayerUpsertAsync(ParameterLayers.Business, "ads", Targets(), T0.AddSeconds(1), default);
        await Store.ParameterLayerUpsertAsync(ParameterLayers.Account, "al", Targets(), T0.AddSeconds(2), default);

        var entries = (await Store.ParameterLayerListAsync(default)).Select(e => (e.Layer, e.Key));

        Assert.Equal([("account", "al"), ("account", "zoe"), ("business", "ads"), ("business", "search")], entries);
    }

    [Fact]
    public async Task Deleting_a_parameter_layer_entry_removes_only_that_entry_once()
    {
        await Store.ParameterLayerUpsertAsync(ParameterLayers.Business, "ads", Targets(), T0, default);
        await Store.ParameterLayerUpsertAsync(ParameterLayers.Account, "ads", Targets(), T0, default);

        var first = await Store.ParameterLayerDeleteAsync(ParameterLayers.Business, "ads", default);
        var second = await Store.ParameterLayerDeleteAsync(ParameterLayers.Business, "ads", default);
        var unknown = await Store.ParameterLayerDeleteAsync(ParameterLayers.Account, "nobody", default);

        Assert.True(first);
        Assert.False(second);
        Assert.False(unknown);
        Assert.Equal([(ParameterLayers.Account, "ads")], (await Store.ParameterLayerListAsync(default)).Select(e => (e.Layer, e.Key)));
    }

    [Fact]
    public async Task Parameter_layer_targets_round_trip_with_several_targets_and_any_string()
    {
        var targets = Targets(
            ("pg", "work_mem", "128MB"),
            ("pg", "search_path", "\"Säle\", 数据"),
            (EngineKinds.ClickHouse, "max_threads", "4"),
            (EngineKinds.ClickHouse, "log_comment", "ads 'nightly' \\ 🚀"));

        await Store.ParameterLayerUpsertAsync(ParameterLayers.Account, "acme", targets, T0, default);
        var stored = Assert.Single(await Store.ParameterLayerListAsync(default));

        Assert.Equal(2, stored.Targets.Count);
        Assert.Equal(Flatten(targets), Flatten(stored.Targets));
    }

    [Fact]
    public async Task Queue_routing_round_trips_in_order_through_get_and_list()
    {
        var definition = QueueDefinition.WithDefaults("etl") with { Engines = ["zeta", "alpha", "pg-2"] };

        var stored = await Store.QueueUpsertAsync(definition, T0, default);

        Assert.Equal(["zeta", "alpha", "pg-2"], stored.Definition.Routing);
        Assert.Equal(["zeta", "alpha", "pg-2"], (await Store.QueueGetAsync("etl", default))!.Definition.Routing);
        Assert.Equal(["zeta", "alpha", "pg-2"], (await Store.QueueListAsync(default)).Single(q => q.Definition.Name == "etl").Definition.Routing);
    }

    [Fact]
    public async Task Queue_stored_without_routing_reads_back_with_empty_routing()
    {
        var routed = QueueDefinition.WithDefaults("etl") with { Engines = ["pg"] };
        await Store.QueueUpsertAsync(routed, T0, default);

        await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("etl"), T0.AddSeconds(1), default);
        await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("bare") with { Engines = [] }, T0, default);

        Assert.Empty((await Store.QueueGetAsync("etl", default))!.Definition.Routing);
        Assert.Empty((await Store.QueueGetAsync("bare", default))!.Definition.Routing);
        Assert.Empty((await Store.QueueGetAsync("default", default))!.Definition.Routing);
    }

    private static EngineDefinition Engine(string name, string kind, params (string Name, string Value)[] parameters) =>
        new(name, kind, $"conn-{name}", EngineDefinition.DefaultMaxConcurrency, parameters.ToDictionary(p => p.Name, p => p.Value));

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Targets(params (string Target, string Name, string Value)[] entries) =>
        entries.GroupBy(e => e.Target).ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(e => e.Name, e => e.Value));

    private static List<(string Target, string Name, string Value)> Flatten(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> targets) =>
        [.. targets
            .SelectMany(t => t.Value.Select(p => (t.Key, p.Key, p.Value)))
            .OrderBy(e => e.Item1, StringComparer.Ordinal)
            .ThenBy(e => e.Item2, StringComparer.Ordinal)];

    private static void AssertEngine(EngineDefinition expected, EngineDefinition actual)
    {
        Assert.Equal((expected.Name, expected.Kind, expected.Connection, expected.MaxConcurrency), (actual.Name, actual.Kind, actual.Connection, actual.MaxConcurrency));
        Assert.Equal(
            expected.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)),
            actual.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }
}
