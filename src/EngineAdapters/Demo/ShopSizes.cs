namespace Hera.EngineAdapters.Demo;

/// <summary>
/// Row counts of the shop warehouse at a scale. Each count is its per-unit-scale base times the scale, rounded,
/// but never below a floor that keeps tiny scales coherent (every day has orders and views, hot sellers and hot
/// items are a minority). Bases: 2,000 sellers, 50,000 items, 100,000 users, 400,000 orders (about 1,000,000 order
/// lines at 2.5 lines per order) and 2,000,000 page views; categories are a fixed tree.
/// </summary>
/// <param name="Categories">Rows of <c>categories</c> (top level and leaves).</param>
/// <param name="Sellers">Rows of <c>sellers</c>; ids 1..Sellers.</param>
/// <param name="Items">Rows of <c>items</c>; ids 1..Items.</param>
/// <param name="Users">Rows of <c>users</c>; ids 1..Users.</param>
/// <param name="Orders">Rows of <c>orders</c>; ids 1..Orders.</param>
/// <param name="PageViews">Rows of <c>page_views</c>; ids 1..PageViews.</param>
/// <param name="HotSellers">The big sellers, ids 1..HotSellers, who own a large share of items.</param>
/// <param name="HotItems">The hot items, ids 1..HotItems, which get most page views.</param>
public sealed record ShopSizes(
    int Categories, int Sellers, long Items, long Users, long Orders, long PageViews, int HotSellers, long HotItems)
{
    /// <summary>The sizes at <paramref name="scale"/> (validated by <see cref="ShopGenerator"/>).</summary>
    public static ShopSizes For(double scale)
    {
        var sellers = (int)Scaled(2_000, 8, scale);
        var items = Scaled(50_000, 40, scale);
        return new ShopSizes(
            Categories: ShopVocabulary.Categories.Sum(category => 1 + category.Leaves.Length),
            Sellers: sellers,
            Items: items,
            Users: Scaled(100_000, 50, scale),
            Orders: Scaled(400_000, 60, scale),
            PageViews: Scaled(2_000_000, 120, scale),
            HotSellers: Math.Clamp(sellers / 10, 2, ShopVocabulary.BigSellers.Length),
            HotItems: Math.Max(3, items / 100));
    }

    /// <summary>The heavy buyers, ids 1..HeavyUsers, who place a fifth of all orders.</summary>
    internal long HeavyUsers => Math.Max(1, Users / 20);

    private static long Scaled(long perUnit, long floor, double scale) =>
        Math.Max(floor, (long)Math.Round(perUnit * scale, MidpointRounding.AwayFromZero));
}
