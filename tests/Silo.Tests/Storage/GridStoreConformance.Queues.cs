using Hera.Grains.Interfaces.Queues;

namespace Hera.Silo.Tests.Storage;

/// <summary>Queue settings: the default queue, upsert, get and list.</summary>
public abstract partial class GridStoreConformance
{
    [Fact]
    public async Task Default_queue_exists_after_migration_with_the_documented_defaults()
    {
        var queue = await Store.QueueGetAsync("default", default);

        Assert.NotNull(queue);
        Assert.Equal(QueueDefinition.WithDefaults("default"), queue.Definition);
        Assert.Equal(1, queue.Version);
        Assert.Equal(DateTimeOffset.UnixEpoch, queue.CreatedAt);
        Assert.Equal(DateTimeOffset.UnixEpoch, queue.UpdatedAt);
        Assert.Equal(["default"], (await Store.QueueListAsync(default)).Select(q => q.Definition.Name));
    }

    [Fact]
    public async Task Upsert_creates_a_queue_then_replaces_every_setting_keeping_its_creation_time()
    {
        var createdAt = T0.AddTicks(10); // 1 µs: times keep microseconds
        var updatedAt = T0.AddMinutes(5).AddTicks(20);
        var first = new QueueDefinition("etl", 2.5, 100, 4, 0.5, "non-core");
        var second = new QueueDefinition("etl", 0, 7, 1, 0.125, "batch", QueueState.Closed);

        var created = await Store.QueueUpsertAsync(first, createdAt, default);
        var replaced = await Store.QueueUpsertAsync(second, updatedAt, default);

        Assert.Equal(new QueueRecord(first, 1, createdAt, createdAt), created);
        Assert.Equal(new QueueRecord(second, 2, createdAt, updatedAt), replaced);
        Assert.Equal(replaced, await Store.QueueGetAsync("etl", default));
        Assert.Single(await Store.QueueListAsync(default), q => q.Definition.Name == "etl");
    }

    [Fact]
    public async Task The_default_queue_can_be_reconfigured_like_any_other()
    {
        var settings = QueueDefinition.WithDefaults("default") with { Parallelism = 2, State = QueueState.Closed };

        var stored = await Store.QueueUpsertAsync(settings, T0, default);

        Assert.Equal(new QueueRecord(settings, 2, DateTimeOffset.UnixEpoch, T0), stored);
        Assert.Equal(stored, await Store.QueueGetAsync("default", default));
    }

    [Fact]
    public async Task Queues_list_oldest_first_then_by_name_and_a_replace_does_not_move_one()
    {
        await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("b"), T0.AddSeconds(1), default);
        await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("c"), T0, default);
        await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("a"), T0.AddSeconds(1), default);
        await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("c") with { Weight = 9 }, T0.AddSeconds(2), default);

        var names = (await Store.QueueListAsync(default)).Select(q => q.Definition.Name);

        Assert.Equal(["default", "c", "a", "b"], names);
    }

    [Fact]
    public async Task Unknown_queue_reads_as_null()
    {
        Assert.Null(await Store.QueueGetAsync("nope", default));
    }

    [Fact]
    public async Task Queue_names_are_compared_ordinally()
    {
        await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("etl") with { Weight = 1 }, T0, default);
        var upper = await Store.QueueUpsertAsync(QueueDefinition.WithDefaults("ETL") with { Weight = 2 }, T0, default);

        Assert.Equal(1, upper.Version); // a new queue, not a replace of "etl"
        Assert.Equal(1, (await Store.QueueGetAsync("etl", default))!.Definition.Weight);
        Assert.Equal(2, (await Store.QueueGetAsync("ETL", default))!.Definition.Weight);
        Assert.Null(await Store.QueueGetAsync("Etl", default));
        Assert.Null(await Store.QueueGetAsync("DEFAULT", default));
        Assert.Equal(["default", "ETL", "etl"], (await Store.QueueListAsync(default)).Select(q => q.Definition.Name));
    }
}
