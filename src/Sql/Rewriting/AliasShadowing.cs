using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// For dialects whose select aliases are visible in every clause and win over columns of the same name (ClickHouse
/// 18.16 resolves <c>city</c> in <c>SELECT lower(city) AS city ... GROUP BY lower(city)</c> to the alias, even when
/// qualified): declines a SELECT where an alias names a column that the SELECT also reads under a different meaning,
/// because no spelling keeps the column reachable and the rows would differ.
/// </summary>
internal sealed class AliasShadowing(string dialect) : SyntaxRewriter
{
    /// <inheritdoc />
    public override QueryBody RewriteSelect(Select select)
    {
        var items = select.Items.OfType<SelectExpression>().ToList();
        foreach (var item in items)
        {
            if (item.Alias is not { } alias || item.Expression is ColumnReference column && Same(column.Name.Last, alias))
            {
                continue;
            }

            // The item's own expression may read the column (`max(status) AS status`): ClickHouse resolves that
            // self-reference to the column. Everywhere else in the SELECT the name means the alias.
            var read = new ColumnCollector();
            read.RewriteSelectClauses(select, except: item);
            if (read.Names.Any(name => Same(name, alias)))
            {
                throw new SqlUnsupportedException(
                    dialect, $"the select alias '{alias.Value}' is also a column the query reads, and {dialect} would read the alias instead (rename the alias)");
            }
        }

        return base.RewriteSelect(select);
    }

    private static bool Same(Identifier a, Identifier b) =>
        a.Quoted || b.Quoted ? a.Value == b.Value : string.Equals(a.Value, b.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every column name a SELECT's other items, WHERE, GROUP BY and HAVING read (subqueries included: conservative).</summary>
    private sealed class ColumnCollector : SyntaxRewriter
    {
        public List<Identifier> Names { get; } = [];

        public void RewriteSelectClauses(Select select, SelectItem except)
        {
            foreach (var item in select.Items.Where(item => !ReferenceEquals(item, except)))
            {
                RewriteSelectItem(item);
            }

            _ = RewriteOptional(select.Where);
            foreach (var group in select.GroupBy)
            {
                RewriteExpression(group);
            }

            _ = RewriteOptional(select.Having);
        }

        public override Expression RewriteExpression(Expression expression)
        {
            if (expression is ColumnReference column)
            {
                Names.Add(column.Name.Last);
            }

            return base.RewriteExpression(expression);
        }
    }
}
