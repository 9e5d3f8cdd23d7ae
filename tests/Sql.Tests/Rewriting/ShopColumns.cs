using Hera.Sql.Rewriting;

namespace Hera.Sql.Tests.Rewriting;

/// <summary>The <c>shop</c> warehouse's column types (shared/SHOP.md), as the gateway would pass them.</summary>
internal static class ShopColumns
{
    public static SqlColumnTypes Types { get; } = SqlColumnTypes.From(
    [
        ("category_id", "int"), ("name", "varchar"), ("parent_id", "int"),
        ("seller_id", "int"), ("region", "varchar"), ("tier", "varchar"),
        ("item_id", "bigint"), ("title", "varchar"), ("price", "decimal(12,2)"), ("listed_at", "date"),
        ("user_id", "bigint"), ("city", "varchar"), ("age", "int"), ("gender", "varchar"), ("registered_at", "date"),
        ("order_id", "bigint"), ("order_ts", "timestamp"), ("dt", "date"), ("status", "varchar"), ("channel", "varchar"),
        ("line_no", "int"), ("quantity", "int"), ("unit_price", "decimal(12,2)"), ("discount", "decimal(12,2)"),
        ("view_id", "bigint"), ("view_ts", "timestamp"), ("page", "varchar"), ("ab_bucket", "varchar"),
    ]);

    public static SqlRewriter Rewriter { get; } = new(Types);
}
