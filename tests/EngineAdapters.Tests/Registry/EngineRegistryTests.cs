using Hera.EngineAdapters.Abstractions;
using Hera.EngineAdapters.Registry;

namespace Hera.EngineAdapters.Tests.Registry;

public sealed class EngineRegistryTests
{
    [Fact]
    public void Engines_are_found_by_their_exact_name()
    {
        var local = new FakeAdapter("local");
        var registry = new EngineRegistry([local, new FakeAdapter("warehouse")], "local");

        Assert.Same(local, registry.Find("local"));
        Assert.Null(registry.Find("LOCAL"));
        Assert.Null(registry.Find("missing"));
        Assert.Equal("local", registry.DefaultEngine);
    }

    [Fact]
    public void Names_are_listed_in_order()
    {
        var registry = new EngineRegistry([new FakeAdapter("pg"), new FakeAdapter("ch"), new FakeAdapter("local")], "local");

        Assert.Equal(["ch", "local", "pg"], registry.Names);
    }

    [Fact]
    public void Duplicate_names_and_a_missing_default_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new EngineRegistry([new FakeAdapter("a"), new FakeAdapter("a")], "a"));
        Assert.Throws<ArgumentException>(() => new EngineRegistry([new FakeAdapter("a")], "b"));
    }

    [Fact]
    public void Engines_can_be_added_and_removed_but_not_the_default()
    {
        var registry = new EngineRegistry([new FakeAdapter("local")], "local");
        var extra = new FakeAdapter("extra");

        registry.Register(extra);
        Assert.Throws<InvalidOperationException>(() => registry.Register(new FakeAdapter("extra")));
        Assert.Same(extra, registry.Find("extra"));

        Assert.Same(extra, registry.Unregister("extra"));
        Assert.Null(registry.Unregister("extra"));
        Assert.Throws<InvalidOperationException>(() => registry.Unregister("local"));
        Assert.Equal(["local"], registry.Names);
    }

    [Fact]
    public async Task Concurrent_registration_and_lookup_lose_nothing()
    {
        var registry = new EngineRegistry([new FakeAdapter("local")], "local");

        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < 250; i++)
            {
                registry.Register(new FakeAdapter($"engine-{writer}-{i}"));
                Assert.NotNull(registry.Find("local"));
                Assert.Contains("local", registry.Names);
            }
        }));
        await Task.WhenAll(writers);

        Assert.Equal(1_001, registry.Names.Count);
    }

    [Fact]
    public async Task Disposing_the_registry_disposes_its_adapters()
    {
        var adapters = new[] { new FakeAdapter("local"), new FakeAdapter("pg") };
        var registry = new EngineRegistry(adapters, "local");

        await registry.DisposeAsync();

        Assert.All(adapters, adapter => Assert.True(adapter.Disposed));
        Assert.Empty(registry.Names);
    }

    private sealed class FakeAdapter(string name) : IEngineAdapter
    {
        public string Name { get; } = name;

        public string Kind => "fake";

        public bool Disposed { get; private set; }

        public Task<IRowStream> ExecuteAsync(EngineCommand command, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<EngineHealth> CheckHealthAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new EngineHealth(true, 0, "fake"));

        public int Running => 0;

        public Task<bool> EnsureStoppedAsync(string attemptId, CancellationToken cancellationToken) => Task.FromResult(true);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
