using System.Collections.Concurrent;

namespace Hera.EngineAdapters.Postgres;

/// <summary>
/// The statement texts an adapter has seen run with a plain result: its first result with columns held only types
/// Hera reads in binary (<see cref="PostgresTypeMap.Known"/>), or there was none. Such a statement needs no describe
/// before it runs (the describe only decides which columns to ask for in text format), so its next run sends the
/// attempt's settings and the statement in one round trip. A run that finds another type after all (the schema
/// changed) forgets the text and runs again the long way (see <see cref="PostgresRowStream"/>).
/// </summary>
/// <remarks>
/// Bounded: past <see cref="Capacity"/> texts the set starts again empty, which costs each statement one describe;
/// dashboards repeat a few hundred texts with bound parameters, so in practice it never fills.
/// </remarks>
internal sealed class PostgresStatementShapes
{
    /// <summary>Texts remembered at most.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, bool> _plain = new(StringComparer.Ordinal);
    private long _shortStarts;

    /// <summary>Statements started the short way (settings and statement in one round trip), for tests and metrics.</summary>
    public long ShortStarts => Interlocked.Read(ref _shortStarts);

    /// <summary>True when <paramref name="sql"/> last ran with a plain result.</summary>
    public bool IsPlain(string sql) => _plain.ContainsKey(sql);

    /// <summary>Counts a statement started the short way.</summary>
    public void CountShortStart() => Interlocked.Increment(ref _shortStarts);

    /// <summary>Remembers that <paramref name="sql"/> ran with a plain result.</summary>
    public void RememberPlain(string sql)
    {
        if (_plain.Count >= Capacity)
        {
            _plain.Clear();
        }

        _plain.TryAdd(sql, true);
    }

    /// <summary>Forgets <paramref name="sql"/>: its result was not plain this time.</summary>
    public void Forget(string sql) => _plain.TryRemove(sql, out _);
}
