using Hera.Sql.Rewriting;

namespace Hera.Sql.Tests.Rewriting;

public sealed class DumpTests
{
    [Fact]
    public void Dump()
    {
        var lines = new List<string>();
        foreach (var sql in File.ReadAllLines("/tmp/wtsql-queries.txt"))
        {
            if (sql.Length == 0) continue;
            lines.Add("TRINO " + sql);
            try
            {
                foreach (var r in ShopColumns.Rewriter.RewriteAll(sql, [("pg", "postgres"), ("lite", "sqlite"), ("ch", "clickhouse")]))
                {
                    lines.Add($"  {r.Dialect,-10} {r.Sql ?? "DECLINED " + r.Declined!.Reason}");
                }
            }
            catch (Exception e)
            {
                lines.Add("  ERROR " + e.GetType().Name + " " + e.Message);
            }
        }

        File.WriteAllLines("/tmp/wtsql-dump.txt", lines);
    }
}
