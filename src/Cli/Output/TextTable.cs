namespace Hera.Cli.Output;

/// <summary>
/// An aligned plain-text table: a header, a rule, then the rows; columns separated by two spaces, right-aligned
/// where asked (numbers). Cells longer than <see cref="MaxCellWidth"/> are cut with an ellipsis.
/// </summary>
internal sealed class TextTable(IReadOnlyList<string> headers, IReadOnlyList<bool>? rightAligned = null)
{
    /// <summary>Widest cell printed, in characters.</summary>
    public const int MaxCellWidth = 60;

    private readonly List<string[]> _rows = [];

    /// <summary>Rows added so far.</summary>
    public int Count => _rows.Count;

    /// <summary>Adds a row; its cells line up with the headers (missing cells print empty).</summary>
    public void Add(params string[] cells) => _rows.Add(cells);

    /// <summary>Writes the table to <paramref name="writer"/>; without <paramref name="header"/>, only the rows.</summary>
    public async Task WriteAsync(TextWriter writer, bool header = true)
    {
        var widths = headers.Select((h, i) => Math.Min(MaxCellWidth, _rows.Select(r => Cell(r, i).Length).Append(header ? h.Length : 0).Max())).ToArray();
        if (header)
        {
            await WriteLineAsync(writer, [.. headers], widths).ConfigureAwait(false);
            await writer.WriteLineAsync(string.Join("  ", widths.Select(w => new string('-', w)))).ConfigureAwait(false);
        }

        foreach (var row in _rows)
        {
            await WriteLineAsync(writer, row, widths).ConfigureAwait(false);
        }
    }

    private async Task WriteLineAsync(TextWriter writer, string[] cells, int[] widths)
    {
        var padded = widths.Select((w, i) =>
        {
            var cell = Cut(Cell(cells, i), w);
            return rightAligned is not null && i < rightAligned.Count && rightAligned[i] ? cell.PadLeft(w) : cell.PadRight(w);
        });
        await writer.WriteLineAsync(string.Join("  ", padded).TrimEnd()).ConfigureAwait(false);
    }

    private static string Cell(string[] row, int index) => index < row.Length ? row[index] : "";

    private static string Cut(string cell, int width) => cell.Length <= width ? cell : cell[..(width - 1)] + "…";
}
