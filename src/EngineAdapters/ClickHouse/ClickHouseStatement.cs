using System.Text;
using Hera.EngineAdapters.Abstractions;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Turns a command's SQL into the text sent to ClickHouse: <c>@name</c> placeholders outside literals, quoted
/// identifiers and comments become <see cref="ClickHouseLiterals"/>, and statements whose output a row stream cannot
/// read faithfully are refused up front as <see cref="EngineFailureKind.CallerSql"/> with
/// <see cref="ClickHouseErrors.UnsupportedCode"/> (see <see cref="Unsupported"/>).
/// </summary>
internal static class ClickHouseStatement
{
    /// <summary>
    /// Top-level constructs refused, each with why and what to write instead. Found by the keyword pair, outside
    /// parentheses, quotes and comments.
    /// </summary>
    internal static readonly (string First, string Second, string Reason)[] Unsupported =
    [
        // TabSeparated writes the totals row after an empty line, which a one-column result cannot tell from ''.
        ("WITH", "TOTALS", "WITH TOTALS appends a row that the TabSeparated stream cannot tell apart from data; compute totals in a separate query or with UNION ALL."),
    ];

    /// <summary>The SQL to send for <paramref name="sql"/> with <paramref name="parameters"/> bound.</summary>
    /// <exception cref="EngineException">A placeholder without a value, a value ClickHouse cannot hold, or an unsupported construct.</exception>
    public static string Prepare(string engine, string sql, IReadOnlyDictionary<string, object?>? parameters)
    {
        var pieces = ClickHouseSqlScanner.Scan(sql);
        CheckSupported(engine, sql, pieces);
        if (!pieces.Exists(piece => piece.Kind == SqlPieceKind.Placeholder))
        {
            return sql;
        }

        var text = new StringBuilder(sql.Length + 64);
        foreach (var piece in pieces)
        {
            if (piece.Kind == SqlPieceKind.Placeholder)
            {
                text.Append(Bind(engine, sql.Substring(piece.Start + 1, piece.Length - 1), parameters));
            }
            else
            {
                text.Append(sql, piece.Start, piece.Length);
            }
        }

        return text.ToString();
    }

    private static string Bind(string engine, string name, IReadOnlyDictionary<string, object?>? parameters)
    {
        if (parameters is null || !parameters.TryGetValue(name, out var value))
        {
            throw ClickHouseErrors.Caller(engine, ClickHouseErrors.MissingParameterCode, $"parameter @{name} has no value");
        }

        try
        {
            return ClickHouseLiterals.Render(value);
        }
        catch (ArgumentException exception)
        {
            throw ClickHouseErrors.Caller(engine, ClickHouseErrors.InvalidParameterCode, $"parameter @{name}: {exception.Message}");
        }
    }

    private static void CheckSupported(string engine, string sql, List<SqlPiece> pieces)
    {
        var significant = pieces.Where(piece => piece.IsSignificant).ToList();
        var depth = 0;
        for (var i = 0; i < significant.Count; i++)
        {
            var piece = significant[i];
            depth += piece.Is(sql, '(') ? 1 : piece.Is(sql, ')') ? -1 : 0;
            if (depth != 0 || i + 1 >= significant.Count)
            {
                continue;
            }

            foreach (var (first, second, reason) in Unsupported)
            {
                if (piece.Is(sql, first) && significant[i + 1].Is(sql, second))
                {
                    throw ClickHouseErrors.Caller(engine, ClickHouseErrors.UnsupportedCode, reason);
                }
            }
        }

        CheckNoOwnFormat(engine, sql, significant);
    }

    /// <summary>
    /// The adapter picks the output format (<c>default_format</c>); a trailing <c>FORMAT X</c> would override it
    /// and the stream would misread the rows. INSERT is exempt: its FORMAT names the input that follows.
    /// </summary>
    private static void CheckNoOwnFormat(string engine, string sql, List<SqlPiece> significant)
    {
        var end = significant.Count;
        while (end > 0 && significant[end - 1].Is(sql, ';'))
        {
            end--;
        }

        if (end >= 3
            && significant[end - 2].Is(sql, "FORMAT")
            && significant[end - 1].Kind is SqlPieceKind.Word or SqlPieceKind.QuotedIdentifier
            && !significant[0].Is(sql, "INSERT"))
        {
            throw ClickHouseErrors.Caller(
                engine,
                ClickHouseErrors.UnsupportedCode,
                "The statement chooses its own output format; Hera reads TabSeparatedWithNamesAndTypes. Remove the FORMAT clause.");
        }
    }
}
