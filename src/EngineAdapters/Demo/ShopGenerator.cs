using System.Globalization;
using static Hera.EngineAdapters.Demo.ShopVocabulary;

namespace Hera.EngineAdapters.Demo;

// Design note. Every row is a pure function of (seed, table, id): each entity draws from its own ShopRandom, so
// tables stream independently and lazily, and a fact row recomputes what it needs from a dimension (an order
// line's unit price is its item's price) instead of holding the dimension in memory. Order and view ids grow with
// time: day = (id - 1) * 60 / count, so every day is populated and dt ascends with the id. The first draw of an
// order is its line count, so counting order lines never builds rows. Skew: items pick a big seller 45% of the
// time, order lines a hot item 30%, page views 70%, orders a heavy user 20%.

/// <summary>
/// Deterministic generator of the <c>shop</c> warehouse (<c>shared/SHOP.md</c>): the same seed and scale give the
/// same rows on every run and machine. Rows are <see cref="object"/>?[] in <see cref="ShopTable.Columns"/> order
/// with the CLR types <see cref="ShopSchema"/> documents, produced lazily: enumerating scale 1 keeps one row in
/// memory at a time. Thread-safe; each enumeration starts afresh.
/// </summary>
public sealed class ShopGenerator
{
    /// <summary>The seed used when none is given.</summary>
    public const ulong DefaultSeed = 20_260_101;

    /// <summary>Number of days covered by orders and page views.</summary>
    public const int Days = 60;

    /// <summary>Largest accepted scale (about 100 million order lines).</summary>
    public const double MaxScale = 100;

    private static readonly int[] DiscountPercents = [5, 10, 15, 20, 30];
    private static readonly DateOnly ListedFrom = new(2023, 1, 1);
    private static readonly DateOnly RegisteredFrom = new(2020, 1, 1);
    private static readonly string[] LeafNames = [.. Categories.SelectMany(category => category.Leaves)];
    private static readonly string[] AbBuckets = ["base", "test_a", "test_b"];

    /// <summary>A generator for <paramref name="scale"/> (1 is about a million order lines) and <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Scale is not in (0, <see cref="MaxScale"/>].</exception>
    public ShopGenerator(double scale, ulong seed = DefaultSeed)
    {
        if (!double.IsFinite(scale) || scale <= 0 || scale > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, $"Scale must be greater than 0 and at most {MaxScale}.");
        }

        Scale = scale;
        Seed = seed;
        Sizes = ShopSizes.For(scale);
    }

    /// <summary>First day of orders and page views: 2026-01-01.</summary>
    public static DateOnly FirstDay { get; } = new(2026, 1, 1);

    /// <summary>The scale factor.</summary>
    public double Scale { get; }

    /// <summary>The seed.</summary>
    public ulong Seed { get; }

    /// <summary>Row counts of every table but <c>order_items</c> (see <see cref="CountRows"/>).</summary>
    public ShopSizes Sizes { get; }

    private static int FirstLeafId => Categories.Length + 1;

    /// <summary>The rows of <paramref name="table"/> (one of <see cref="ShopSchema.Tables"/>), generated lazily.</summary>
    public IEnumerable<object?[]> Rows(ShopTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Name switch
        {
            "categories" => CategoryRows(),
            "sellers" => SellerRows(),
            "items" => ItemRows(),
            "users" => UserRows(),
            "orders" => OrderRows(),
            "order_items" => OrderItemRows(),
            "page_views" => PageViewRows(),
            _ => throw new ArgumentException($"The shop warehouse has no table '{table.Name}'.", nameof(table)),
        };
    }

    /// <summary>Exactly how many rows <see cref="Rows"/> yields for <paramref name="table"/>, without building them.</summary>
    public long CountRows(ShopTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Name switch
        {
            "categories" => Sizes.Categories,
            "sellers" => Sizes.Sellers,
            "items" => Sizes.Items,
            "users" => Sizes.Users,
            "orders" => Sizes.Orders,
            "order_items" => CountOrderLines(),
            "page_views" => Sizes.PageViews,
            _ => throw new ArgumentException($"The shop warehouse has no table '{table.Name}'.", nameof(table)),
        };
    }

    private static decimal Money(long cents) => new(checked((int)cents), 0, 0, false, 2);

    private static long PriceCents(ref ShopRandom random) => random.Next(100) switch
    {
        < 40 => 99 + random.Next(1_900L),
        < 75 => 2_000 + random.Next(8_000L),
        < 95 => 10_000 + random.Next(40_000L),
        _ => 50_000 + random.Next(250_000L),
    };

    private static DateTime SecondOf(DateOnly day, ref ShopRandom random) =>
        day.ToDateTime(TimeOnly.MinValue).AddSeconds(random.Next(86_400));

    private static IEnumerable<object?[]> CategoryRows()
    {
        for (var parent = 1; parent <= Categories.Length; parent++)
        {
            yield return [parent, Categories[parent - 1].Parent, null];
        }

        var leafId = FirstLeafId;
        for (var parent = 1; parent <= Categories.Length; parent++)
        {
            foreach (var leaf in Categories[parent - 1].Leaves)
            {
                yield return [leafId++, leaf, parent];
            }
        }
    }

    private IEnumerable<object?[]> SellerRows()
    {
        for (var id = 1; id <= Sizes.Sellers; id++)
        {
            yield return Seller(id);
        }
    }

    private object?[] Seller(int id)
    {
        var random = new ShopRandom(Seed, ShopStream.Sellers, id);
        var big = id <= Sizes.HotSellers;
        var name = big
            ? BigSellers[id - 1]
            : string.Create(CultureInfo.InvariantCulture, $"{random.Pick(SellerWords)} {random.Pick(SellerKinds)} {id}");
        var region = random.Pick(Regions);
        var tier = big ? "gold" : random.Next(10) switch { 0 => "gold", < 4 => "silver", _ => "bronze" };
        return [id, name, region, tier];
    }

    private IEnumerable<object?[]> ItemRows()
    {
        for (var id = 1L; id <= Sizes.Items; id++)
        {
            yield return Item(id);
        }
    }

    private object?[] Item(long id)
    {
        var random = new ShopRandom(Seed, ShopStream.Items, id);
        // The price must stay the first draw: ItemPriceCents replays only that draw.
        var priceCents = PriceCents(ref random);
        var sellerId = random.Percent(45) ? 1 + random.Next(Sizes.HotSellers) : 1 + random.Next(Sizes.Sellers);
        var leaf = random.Next(LeafNames.Length);
        var title = $"{random.Pick(TitleAdjectives)} {LeafNames[leaf]} {random.Pick(TitleSuffixes)}";
        var listedAt = ListedFrom.AddDays(random.Next(FirstDay.DayNumber - ListedFrom.DayNumber));
        return [id, sellerId, FirstLeafId + leaf, title, Money(priceCents), listedAt];
    }

    private long ItemPriceCents(long itemId)
    {
        var random = new ShopRandom(Seed, ShopStream.Items, itemId);
        return PriceCents(ref random);
    }

    private IEnumerable<object?[]> UserRows()
    {
        for (var id = 1L; id <= Sizes.Users; id++)
        {
            yield return User(id);
        }
    }

    private object?[] User(long id)
    {
        var random = new ShopRandom(Seed, ShopStream.Users, id);
        var name = $"{random.Pick(FirstNames)} {random.Pick(LastNames)}";
        var city = random.Pick(Cities);
        object? age = random.Percent(12) ? null : 16 + random.Next(65);
        var gender = random.Next(100) switch { < 46 => "f", < 92 => "m", _ => null };
        var registeredAt = RegisteredFrom.AddDays(random.Next(FirstDay.DayNumber - RegisteredFrom.DayNumber));
        return [id, name, city, age, gender, registeredAt];
    }

    private IEnumerable<object?[]> OrderRows()
    {
        for (var id = 1L; id <= Sizes.Orders; id++)
        {
            var order = Order(id);
            yield return [id, order.UserId, order.Timestamp, order.Day, order.Status, order.Channel];
        }
    }

    private OrderFacts Order(long id)
    {
        var random = new ShopRandom(Seed, ShopStream.Orders, id);
        // The line count must stay the first draw: CountOrderLines replays only that draw.
        var lines = 1 + random.Next(4);
        var day = FirstDay.AddDays((int)((id - 1) * Days / Sizes.Orders));
        var timestamp = SecondOf(day, ref random);
        var userId = random.Percent(20) ? 1 + random.Next(Sizes.HeavyUsers) : 1 + random.Next(Sizes.Users);
        var status = random.Next(100) switch { < 50 => "paid", < 85 => "shipped", < 95 => "cancelled", _ => "refunded" };
        var channel = random.Next(100) switch { < 55 => "app", < 90 => "web", _ => "mini" };
        return new OrderFacts(lines, day, timestamp, userId, status, channel);
    }

    private long CountOrderLines()
    {
        var total = 0L;
        for (var id = 1L; id <= Sizes.Orders; id++)
        {
            total += 1 + new ShopRandom(Seed, ShopStream.Orders, id).Next(4);
        }

        return total;
    }

    private IEnumerable<object?[]> OrderItemRows()
    {
        for (var orderId = 1L; orderId <= Sizes.Orders; orderId++)
        {
            var order = Order(orderId);
            var random = new ShopRandom(Seed, ShopStream.OrderLines, orderId);
            for (var line = 1; line <= order.Lines; line++)
            {
                yield return OrderLine(orderId, line, order.Day, ref random);
            }
        }
    }

    private object?[] OrderLine(long orderId, int line, DateOnly day, ref ShopRandom random)
    {
        var itemId = random.Percent(30) ? 1 + random.Next(Sizes.HotItems) : 1 + random.Next(Sizes.Items);
        var quantity = random.Next(10) switch { < 6 => 1, < 8 => 2, < 9 => 3, _ => 4 + random.Next(3) };
        var unitCents = ItemPriceCents(itemId);
        var discountCents = random.Percent(25) ? unitCents * quantity * random.Pick(DiscountPercents) / 100 : 0;
        return [orderId, line, itemId, quantity, Money(unitCents), Money(discountCents), day];
    }

    private IEnumerable<object?[]> PageViewRows()
    {
        for (var id = 1L; id <= Sizes.PageViews; id++)
        {
            yield return PageView(id);
        }
    }

    private object?[] PageView(long id)
    {
        var random = new ShopRandom(Seed, ShopStream.PageViews, id);
        var day = FirstDay.AddDays((int)((id - 1) * Days / Sizes.PageViews));
        var timestamp = SecondOf(day, ref random);
        var userId = 1 + random.Next(Sizes.Users);
        var itemId = random.Percent(70) ? 1 + random.Next(Sizes.HotItems) : 1 + random.Next(Sizes.Items);
        var page = random.Next(100) switch { < 20 => "home", < 45 => "search", < 90 => "item", _ => "cart" };
        var bucket = AbBuckets[new ShopRandom(Seed, ShopStream.AbBuckets, userId).Next(3)];
        return [id, userId, itemId, timestamp, day, page, bucket];
    }

    private readonly record struct OrderFacts(
        int Lines, DateOnly Day, DateTime Timestamp, long UserId, string Status, string Channel);
}
