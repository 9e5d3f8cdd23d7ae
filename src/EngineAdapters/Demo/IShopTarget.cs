namespace Hera.EngineAdapters.Demo;

/// <summary>
/// An engine the <c>shop</c> warehouse (SHOP.md) can be loaded into, by its fastest bulk path (SQLite: batched
/// inserts in one transaction; PostgreSQL: binary COPY; ClickHouse: large batched inserts over HTTP). Loading
/// replaces whatever shop tables were there, so every engine ends up with the same rows.
/// </summary>
public interface IShopTarget
{
    /// <summary>Drops and re-creates the shop tables and loads <paramref name="generator"/>'s rows.</summary>
    Task<ShopLoadInfo> LoadShopAsync(ShopGenerator generator, IProgress<ShopLoadProgress>? progress, CancellationToken cancellationToken);
}
