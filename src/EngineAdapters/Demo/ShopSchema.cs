namespace Hera.EngineAdapters.Demo;

/// <summary>
/// The <c>shop</c> warehouse's tables as data (<c>shared/SHOP.md</c>): names, column types in SHOP.md's spelling,
/// primary keys, foreign keys and the partition column. Loaders for every engine derive their DDL from here, and
/// <see cref="ShopGenerator"/> yields each table's rows with values in <see cref="ShopTable.Columns"/> order.
/// </summary>
public static class ShopSchema
{
    /// <summary>32-bit integer; rows carry <see cref="int"/>.</summary>
    public const string Int = "int";

    /// <summary>64-bit integer; rows carry <see cref="long"/>.</summary>
    public const string BigInt = "bigint";

    /// <summary>Text; rows carry <see cref="string"/>.</summary>
    public const string Varchar = "varchar";

    /// <summary>Money, two decimal places; rows carry <see cref="decimal"/> with scale 2.</summary>
    public const string Money = "decimal(12,2)";

    /// <summary>Calendar date; rows carry <see cref="DateOnly"/>.</summary>
    public const string Date = "date";

    /// <summary>Date and time without zone, whole seconds; rows carry <see cref="DateTime"/> of unspecified kind.</summary>
    public const string Timestamp = "timestamp";

    /// <summary><c>categories</c>: two levels; <c>parent_id</c> is null for the top level.</summary>
    public static ShopTable Categories { get; } = new(
        "categories",
        [new("category_id", Int), new("name", Varchar), new("parent_id", Int, Nullable: true, References: "categories")],
        ["category_id"]);

    /// <summary><c>sellers</c>: <c>tier</c> is <c>gold</c>, <c>silver</c> or <c>bronze</c>.</summary>
    public static ShopTable Sellers { get; } = new(
        "sellers",
        [new("seller_id", Int), new("name", Varchar), new("region", Varchar), new("tier", Varchar)],
        ["seller_id"]);

    /// <summary><c>items</c>: each in a leaf category; a few big sellers own a large share.</summary>
    public static ShopTable Items { get; } = new(
        "items",
        [
            new("item_id", BigInt), new("seller_id", Int, References: "sellers"),
            new("category_id", Int, References: "categories"), new("title", Varchar), new("price", Money),
            new("listed_at", Date),
        ],
        ["item_id"]);

    /// <summary><c>users</c>: <c>age</c> and <c>gender</c> (<c>f</c>, <c>m</c>) may be null.</summary>
    public static ShopTable Users { get; } = new(
        "users",
        [
            new("user_id", BigInt), new("name", Varchar), new("city", Varchar), new("age", Int, Nullable: true),
            new("gender", Varchar, Nullable: true), new("registered_at", Date),
        ],
        ["user_id"]);

    /// <summary><c>orders</c>: <c>dt</c> is the date of <c>order_ts</c>.</summary>
    public static ShopTable Orders { get; } = new(
        "orders",
        [
            new("order_id", BigInt), new("user_id", BigInt, References: "users"), new("order_ts", Timestamp),
            new("dt", Date), new("status", Varchar), new("channel", Varchar),
        ],
        ["order_id"],
        PartitionColumn: "dt");

    /// <summary><c>order_items</c>: the fact table, about one million rows at scale 1; <c>dt</c> is its order's.</summary>
    public static ShopTable OrderItems { get; } = new(
        "order_items",
        [
            new("order_id", BigInt, References: "orders"), new("line_no", Int),
            new("item_id", BigInt, References: "items"), new("quantity", Int), new("unit_price", Money),
            new("discount", Money), new("dt", Date),
        ],
        ["order_id", "line_no"],
        PartitionColumn: "dt");

    /// <summary><c>page_views</c>: a few hot items get most views; <c>dt</c> is the date of <c>view_ts</c>.</summary>
    public static ShopTable PageViews { get; } = new(
        "page_views",
        [
            new("view_id", BigInt), new("user_id", BigInt, References: "users"),
            new("item_id", BigInt, References: "items"), new("view_ts", Timestamp), new("dt", Date),
            new("page", Varchar), new("ab_bucket", Varchar),
        ],
        ["view_id"],
        PartitionColumn: "dt");

    /// <summary>Every table, dimensions before the facts that reference them (a valid load order).</summary>
    public static IReadOnlyList<ShopTable> Tables { get; } = [Categories, Sellers, Items, Users, Orders, OrderItems, PageViews];

    /// <summary>The table named <paramref name="name"/> (ordinal, lower case); throws when there is none.</summary>
    public static ShopTable Get(string name) =>
        Tables.FirstOrDefault(table => table.Name == name)
        ?? throw new ArgumentException($"The shop warehouse has no table '{name}'.", nameof(name));
}

/// <summary>A table of the shop warehouse.</summary>
/// <param name="Name">Table name, lower case.</param>
/// <param name="Columns">Columns in row order.</param>
/// <param name="PrimaryKey">Primary key column names, in key order.</param>
/// <param name="PartitionColumn">The date column engines may partition by (<c>dt</c>), or null for dimensions.</param>
public sealed record ShopTable(
    string Name, IReadOnlyList<ShopColumn> Columns, IReadOnlyList<string> PrimaryKey, string? PartitionColumn = null)
{
    /// <summary>The position of <paramref name="column"/> in <see cref="Columns"/>; throws when absent.</summary>
    public int Ordinal(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == column)
            {
                return i;
            }
        }

        throw new ArgumentException($"Table '{Name}' has no column '{column}'.", nameof(column));
    }
}

/// <summary>A column of the shop warehouse.</summary>
/// <param name="Name">Column name, lower case.</param>
/// <param name="Type">SHOP.md's type: one of <see cref="ShopSchema.Int"/>, <see cref="ShopSchema.BigInt"/>,
/// <see cref="ShopSchema.Varchar"/>, <see cref="ShopSchema.Money"/>, <see cref="ShopSchema.Date"/>,
/// <see cref="ShopSchema.Timestamp"/>.</param>
/// <param name="Nullable">True when generated rows may hold null here.</param>
/// <param name="References">The table whose (single-column) primary key this column references, or null.</param>
public sealed record ShopColumn(string Name, string Type, bool Nullable = false, string? References = null);
