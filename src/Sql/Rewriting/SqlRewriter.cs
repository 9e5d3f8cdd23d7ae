using Hera.Sql.Parsing;
using Hera.Sql.Printing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Rewriting;

/// <summary>
/// Turns Trino SQL into the SQL of each engine that can run it with the same rows: parse once, then per dialect
/// lower (<see cref="DialectLowering"/>), restructure (<see cref="StructuralRewrites"/>) and print. Dialects:
/// <c>trino</c>, <c>postgres</c> (alias <c>postgresql</c>), <c>sqlite</c>, <c>clickhouse</c>. Immutable and
/// thread-safe; one instance serves the process.
/// </summary>
public sealed class SqlRewriter
{
    /// <summary>Creates a rewriter that reads column types from <paramref name="columnTypes"/> (none when null).</summary>
    public SqlRewriter(SqlColumnTypes? columnTypes = null) => ColumnTypes = columnTypes ?? SqlColumnTypes.Empty;

    /// <summary>The column catalog type-dependent rules read.</summary>
    public SqlColumnTypes ColumnTypes { get; }

    /// <summary>The printer of <paramref name="dialect"/> (case-insensitive), or null for a name Hera does not know.</summary>
    public static SqlPrinter? PrinterFor(string dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect.ToLowerInvariant() switch
        {
            "trino" => TrinoPrinter.Instance,
            "postgres" or "postgresql" => PostgresPrinter.Instance,
            "sqlite" => SqlitePrinter.Instance,
            "clickhouse" => ClickHousePrinter.Instance,
            _ => null,
        };
    }

    /// <summary>The statement <paramref name="trinoSql"/> in <paramref name="dialect"/>.</summary>
    /// <exception cref="SqlSyntaxException">The text is not a query this parser reads.</exception>
    /// <exception cref="SqlUnsupportedException">The dialect cannot express the query exactly, or is unknown.</exception>
    public string Rewrite(string trinoSql, string dialect)
    {
        var query = SqlParser.ParseQuery(trinoSql);
        return Rewrite(query, dialect, Infer(query));
    }

    /// <summary>
    /// The already-parsed <paramref name="query"/> in <paramref name="dialect"/>: the same as
    /// <see cref="Rewrite(string, string)"/> without the parse, for a caller that holds the tree.
    /// </summary>
    /// <exception cref="SqlUnsupportedException">The dialect cannot express the query exactly, or is unknown.</exception>
    public string Rewrite(Query query, string dialect)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(dialect);
        return Rewrite(query, dialect, Infer(query));
    }

    /// <summary>
    /// The statement for every engine at once: parses <paramref name="trinoSql"/> once, then for each
    /// <c>(engineName, dialect)</c> gives the SQL or the decline, in the given order.
    /// </summary>
    /// <exception cref="SqlSyntaxException">The text is not a query this parser reads (raised once, for all engines).</exception>
    public IReadOnlyList<SqlRewriteResult> RewriteAll(string trinoSql, IEnumerable<(string EngineName, string Dialect)> engines)
    {
        ArgumentNullException.ThrowIfNull(engines);
        var query = SqlParser.ParseQuery(trinoSql);
        var types = Infer(query);
        var results = new List<SqlRewriteResult>();
        var byDialect = new Dictionary<string, SqlRewriteResult>(StringComparer.OrdinalIgnoreCase);
        foreach (var (engineName, dialect) in engines)
        {
            if (!byDialect.TryGetValue(dialect, out var result))
            {
                try
                {
                    result = new SqlRewriteResult(engineName, dialect, Rewrite(query, dialect, types), null);
                }
                catch (SqlUnsupportedException declined)
                {
                    result = new SqlRewriteResult(engineName, dialect, null, declined);
                }

                byDialect[dialect] = result;
            }

            results.Add(result with { EngineName = engineName });
        }

        return results;
    }

    private TypeInference Infer(Query query)
    {
        var types = new TypeInference(ColumnTypes);
        types.Collect(query);
        return types;
    }

    private static string Rewrite(Query query, string dialect, TypeInference types)
    {
        var printer = PrinterFor(dialect) ?? throw new SqlUnsupportedException(dialect, "no printer for this dialect");
        if (printer.Dialect.IsReference)
        {
            return printer.Print(query);
        }

        if (printer.Dialect.AliasesShadowColumns)
        {
            // On the query as written: lowering's own `toFloat64(price) AS price` reads the column inside its alias only.
            _ = new AliasShadowing(printer.Dialect.Name).RewriteQuery(query);
        }

        var lowering = new DialectLowering(printer.Dialect, types);
        var lowered = StructuralRewrites.Apply(lowering.RewriteQuery(query), printer.Dialect);
        var sql = printer.Print(lowered);
        return lowering.HasOuterJoin && printer.Dialect.OuterJoinSuffix is { } suffix ? sql + suffix : sql;
    }
}
