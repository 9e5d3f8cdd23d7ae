using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Writes rows in ClickHouse's <c>TabSeparated</c> input format into a reusable UTF-8 buffer: values separated by
/// tabs, rows ended by <c>\n</c>, <c>\N</c> for null, text escaped with <see cref="ClickHouseLiterals.Escapes"/>
/// (which TabSeparated input reads back exactly), dates <c>yyyy-MM-dd</c>, timestamps <c>yyyy-MM-dd HH:mm:ss</c>
/// (read by the server in its own time zone, and written back in it, so the wall-clock time round-trips).
/// Not thread-safe.
/// </summary>
internal sealed class ClickHouseTsvWriter
{
    /// <summary>CLR type to its text form; every value Hera loads has one of these types.</summary>
    private static readonly FrozenDictionary<Type, Func<object, string>> Formats = new Dictionary<Type, Func<object, string>>
    {
        [typeof(int)] = value => ((int)value).ToString(CultureInfo.InvariantCulture),
        [typeof(long)] = value => ((long)value).ToString(CultureInfo.InvariantCulture),
        [typeof(decimal)] = value => ((decimal)value).ToString(CultureInfo.InvariantCulture),
        [typeof(double)] = value => ((double)value).ToString("R", CultureInfo.InvariantCulture),
        [typeof(bool)] = value => (bool)value ? "1" : "0",
        [typeof(string)] = value => ClickHouseLiterals.Escape((string)value),
        [typeof(DateOnly)] = value => ((DateOnly)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        [typeof(DateTime)] = value => ((DateTime)value).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
    }.ToFrozenDictionary();

    private readonly ArrayBufferWriter<byte> _buffer = new(1024 * 1024);

    /// <summary>Rows written since the last <see cref="Clear"/>.</summary>
    public int Rows { get; private set; }

    /// <summary>The bytes written since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Appends one row.</summary>
    /// <exception cref="ArgumentException">A value of a type not in <see cref="Formats"/>.</exception>
    public void WriteRow(object?[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            if (i > 0)
            {
                Append("\t");
            }

            var value = row[i];
            Append(value is null ? "\\N"
                : Formats.TryGetValue(value.GetType(), out var format) ? format(value)
                : throw new ArgumentException($"Cannot write a {value.GetType().Name} as TabSeparated.", nameof(row)));
        }

        Append("\n");
        Rows++;
    }

    /// <summary>Forgets the written rows, keeping the buffer for the next batch.</summary>
    public void Clear()
    {
        _buffer.ResetWrittenCount();
        Rows = 0;
    }

    private void Append(string text)
    {
        var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
