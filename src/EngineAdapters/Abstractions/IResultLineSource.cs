using System.Buffers;

namespace Hera.EngineAdapters.Abstractions;

/// <summary>
/// An optional capability of an <see cref="IRowStream"/> whose engine sends rows as text: it writes its remaining
/// rows as Hera result lines (one JSON array per row and <c>\n</c>, each value exactly as
/// <see cref="Grains.Interfaces.Results.ResultJson.WriteValue"/> writes what <see cref="IRowStream.GetValue"/> would
/// return) straight from the engine's bytes, without a value object per field. A result writer that finds it uses it
/// instead of reading value by value; the bytes are the same either way.
/// </summary>
public interface IResultLineSource
{
    /// <summary>
    /// Appends every remaining row to <paramref name="buffer"/> as a result line. Whenever the buffer holds at least
    /// <paramref name="flushThresholdBytes"/>, writes it to <paramref name="destination"/> and empties it; what is
    /// left at the end is the caller's to write. Returns the number of rows. Failures are those of
    /// <see cref="IRowStream.ReadAsync"/>, including a value that does not fit its column's type.
    /// </summary>
    ValueTask<long> WriteRowLinesAsync(
        ArrayBufferWriter<byte> buffer, Stream destination, int flushThresholdBytes, CancellationToken cancellationToken);
}
