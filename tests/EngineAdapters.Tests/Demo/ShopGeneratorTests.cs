using Hera.EngineAdapters.Demo;
using Hera.EngineAdapters.Tests.TestSupport;

namespace Hera.EngineAdapters.Tests.Demo;

public sealed class ShopGeneratorTests
{
    // Recorded from this implementation; a change means every engine's demo data changed. Update deliberately.
    private const string Scale0001Hash = "8bde62d3ca3b27b43f59edebd9b7b6442994220fd57b8b9daf6f4b37b2248f47";

    private static readonly ShopGenerator Small = new(0.01);

    private static readonly DateOnly FirstDay = new(2026, 1, 1);

    [Fact]
    public void The_same_seed_and_scale_generate_identical_rows()
    {
        Assert.Equal(ShopRowHash.Of(new ShopGenerator(0.002, seed: 7)), ShopRowHash.Of(new ShopGenerator(0.002, seed: 7)));
    }

    [Fact]
    public void Scale_0_001_generates_the_recorded_rows_on_every_machine()
    {
        Assert.Equal(Scale0001Hash, ShopRowHash.Of(new ShopGenerator(0.001)));
    }

    [Fact]
    public void A_different_seed_generates_different_rows()
    {
        Assert.NotEqual(ShopRowHash.Of(new ShopGenerator(0.001, seed: 1)), ShopRowHash.Of(new ShopGenerator(0.001, seed: 2)));
    }

    [Theory]
    [InlineData(0.001)]
    [InlineData(0.0001)]
    [InlineData(0.01)]
    public void Every_table_is_populated_and_counted_exactly(double scale)
    {
        var generator = new ShopGenerator(scale);

        Assert.All(ShopSchema.Tables, table =>
        {
            var rows = generator.Rows(table).LongCount();
            Assert.True(rows > 0, $"{table.Name} is empty at scale {scale}.");
            Assert.Equal(generator.CountRows(table), rows);
        });
    }

    [Fact]
    public void Scale_0_01_has_about_ten_thousand_order_lines()
    {
        Assert.InRange(Small.CountRows(ShopSchema.OrderItems), 9_000, 11_000);
    }

    [Fact]
    public void Rows_are_generated_lazily_even_at_the_largest_scale()
    {
        var huge = new ShopGenerator(ShopGenerator.MaxScale);

        var first = huge.Rows(ShopSchema.OrderItems).Take(3).ToList();

        Assert.Equal(3, first.Count);
        Assert.Equal(1L, first[0][0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(ShopGenerator.MaxScale + 1)]
    public void Scales_outside_the_valid_range_are_rejected(double scale)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShopGenerator(scale));
    }

    [Fact]
    public void Values_have_the_clr_types_the_schema_promises()
    {
        var expected = new Dictionary<string, Type>
        {
            [ShopSchema.Int] = typeof(int),
            [ShopSchema.BigInt] = typeof(long),
            [ShopSchema.Varchar] = typeof(string),
            [ShopSchema.Money] = typeof(decimal),
            [ShopSchema.Date] = typeof(DateOnly),
            [ShopSchema.Timestamp] = typeof(DateTime),
        };

        Assert.All(ShopSchema.Tables, table =>
        {
            foreach (var row in Small.Rows(table))
            {
                Assert.Equal(table.Columns.Count, row.Length);
                for (var i = 0; i < row.Length; i++)
                {
                    var column = table.Columns[i];
                    Assert.True(row[i] is not null || column.Nullable, $"{table.Name}.{column.Name} is null but not nullable.");
                    Assert.True(row[i] is null || row[i]!.GetType() == expected[column.Type], $"{table.Name}.{column.Name} has {row[i]?.GetType()}.");
                }
            }
        });
    }

    [Fact]
    public void Money_has_exactly_two_decimal_places_and_discounts_stay_below_the_line_total()
    {
        var prices = Small.Rows(ShopSchema.Items).Select(row => (decimal)row[4]!);
        var lines = Small.Rows(ShopSchema.OrderItems).Select(row => (Quantity: (int)row[3]!, Unit: (decimal)row[4]!, Discount: (decimal)row[5]!)).ToList();

        Assert.All(prices.Concat(lines.Select(line => line.Unit)).Concat(lines.Select(line => line.Discount)), money => Assert.Equal(2, money.Scale));
        Assert.All(lines, line => Assert.InRange(line.Discount, 0m, line.Unit * line.Quantity));
        Assert.Contains(lines, line => line.Discount > 0);
    }

    [Fact]
    public void Dt_covers_sixty_days_from_2026_01_01_and_equals_the_timestamp_date()
    {
        var orders = Small.Rows(ShopSchema.Orders).ToList();
        var views = Small.Rows(ShopSchema.PageViews).ToList();

        foreach (var (rows, timestamp, dt) in new[] { (orders, 2, 3), (views, 3, 4) })
        {
            Assert.All(rows, row => Assert.Equal(DateOnly.FromDateTime((DateTime)row[timestamp]!), (DateOnly)row[dt]!));
            var days = rows.Select(row => (DateOnly)row[dt]!).Distinct().Order().ToList();
            Assert.Equal(Enumerable.Range(0, 60).Select(FirstDay.AddDays), days);
        }

        var orderDays = orders.ToDictionary(row => (long)row[0]!, row => (DateOnly)row[3]!);
        Assert.All(Small.Rows(ShopSchema.OrderItems), line => Assert.Equal(orderDays[(long)line[0]!], (DateOnly)line[6]!));
    }

    [Fact]
    public void Every_order_line_and_order_references_existing_rows()
    {
        var generator = new ShopGenerator(0.001);
        var users = Ids(generator, ShopSchema.Users);
        var items = Ids(generator, ShopSchema.Items);
        var orders = Ids(generator, ShopSchema.Orders);
        var sellers = generator.Rows(ShopSchema.Sellers).Select(row => (long)(int)row[0]!).ToHashSet();

        Assert.All(generator.Rows(ShopSchema.Orders), row => Assert.Contains((long)row[1]!, users));
        Assert.All(generator.Rows(ShopSchema.OrderItems), row =>
        {
            Assert.Contains((long)row[0]!, orders);
            Assert.Contains((long)row[2]!, items);
        });
        Assert.All(generator.Rows(ShopSchema.PageViews), row =>
        {
            Assert.Contains((long)row[1]!, users);
            Assert.Contains((long)row[2]!, items);
        });
        Assert.All(generator.Rows(ShopSchema.Items), row => Assert.Contains((long)(int)row[1]!, sellers));
    }

    [Fact]
    public void Order_line_numbers_start_at_one_and_keys_are_unique()
    {
        var keys = Small.Rows(ShopSchema.OrderItems).Select(row => ((long)row[0]!, (int)row[1]!)).ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(keys.GroupBy(key => key.Item1), order => Assert.Equal(Enumerable.Range(1, order.Count()), order.Select(key => key.Item2)));
    }

    [Fact]
    public void Categories_have_two_levels_and_items_sit_in_leaves()
    {
        var categories = Small.Rows(ShopSchema.Categories).Select(row => (Id: (int)row[0]!, Parent: (int?)row[2])).ToList();
        var topLevel = categories.Where(category => category.Parent is null).Select(category => category.Id).ToHashSet();
        var leaves = categories.Where(category => category.Parent is not null).ToList();

        Assert.NotEmpty(topLevel);
        Assert.All(leaves, leaf => Assert.Contains(leaf.Parent!.Value, topLevel));
        Assert.All(topLevel, parent => Assert.Contains(leaves, leaf => leaf.Parent == parent));
        var leafIds = leaves.Select(leaf => leaf.Id).ToHashSet();
        Assert.All(Small.Rows(ShopSchema.Items), item => Assert.Contains((int)item[2]!, leafIds));
    }

    [Fact]
    public void Nulls_appear_where_real_data_has_them()
    {
        var users = Small.Rows(ShopSchema.Users).ToList();

        Assert.Contains(users, user => user[3] is null);
        Assert.Contains(users, user => user[4] is null);
        Assert.Contains(Small.Rows(ShopSchema.Categories), category => category[2] is null);
        Assert.Equal(["f", "m"], users.Select(user => user[4]).OfType<string>().Distinct().Order());
    }

    [Fact]
    public void Names_and_titles_mix_case_spaces_and_non_ascii_letters()
    {
        var texts = new[]
        {
            (ShopSchema.Categories, 1), (ShopSchema.Sellers, 1), (ShopSchema.Items, 3), (ShopSchema.Users, 1),
        }.SelectMany(column => Small.Rows(column.Item1).Select(row => (string)row[column.Item2]!)).ToList();

        Assert.Contains(texts, text => text.Contains(' ', StringComparison.Ordinal));
        Assert.Contains(texts, text => text.Any(character => character > 127 && char.IsLetter(character) && char.IsUpper(character)));
        Assert.Contains(texts, text => text.Any(character => character >= '\u4e00' && character <= '\u9fff'));
        Assert.Contains(texts, text => text.Contains("Café Ünïcode", StringComparison.Ordinal));
        Assert.Contains(texts, text => text.Any(char.IsLower) && text.Any(char.IsUpper));
        Assert.Contains(texts, text => text.All(character => !char.IsUpper(character)));
    }

    [Fact]
    public void A_few_big_sellers_own_a_large_share_of_items()
    {
        var itemsPerSeller = Small.Rows(ShopSchema.Items).GroupBy(row => (int)row[1]!).Select(group => group.Count()).OrderDescending().ToList();
        var totalItems = itemsPerSeller.Sum();
        var bigSellers = Small.Sizes.HotSellers;

        Assert.True(bigSellers * 5 <= Small.Sizes.Sellers, "Big sellers should be a small minority.");
        Assert.True(itemsPerSeller.Take(bigSellers).Sum() * 100 / totalItems >= 40, "The big sellers should own at least 40% of items.");
    }

    [Fact]
    public void A_few_items_get_most_page_views()
    {
        var viewsPerItem = Small.Rows(ShopSchema.PageViews).GroupBy(row => (long)row[2]!).Select(group => group.LongCount()).OrderDescending().ToList();
        var hotItems = Small.Sizes.HotItems;

        Assert.True(hotItems * 50 <= Small.Sizes.Items, "Hot items should be at most 2% of items.");
        Assert.True(viewsPerItem.Take((int)hotItems).Sum() * 100 / Small.Sizes.PageViews >= 60, "Hot items should get most views.");
    }

    [Fact]
    public void The_schema_describes_seven_tables_with_keys_that_exist()
    {
        Assert.Equal(
            ["categories", "sellers", "items", "users", "orders", "order_items", "page_views"],
            ShopSchema.Tables.Select(table => table.Name));
        Assert.All(ShopSchema.Tables, table => Assert.All(table.PrimaryKey, key => table.Ordinal(key)));
        Assert.All(
            ShopSchema.Tables.SelectMany(table => table.Columns).Where(column => column.References is not null),
            column => ShopSchema.Get(column.References!));
        Assert.Equal(["order_id", "line_no"], ShopSchema.OrderItems.PrimaryKey);
    }

    private static HashSet<long> Ids(ShopGenerator generator, ShopTable table) =>
        generator.Rows(table).Select(row => (long)row[0]!).ToHashSet();
}
