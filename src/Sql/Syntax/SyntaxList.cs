using System.Collections;
using System.Runtime.CompilerServices;

namespace Hera.Sql.Syntax;

/// <summary>
/// An immutable list of syntax elements with structural equality (same length, equal elements in order), so the
/// records that hold lists compare by content. Build one with a collection expression: <c>[a, b]</c>.
/// </summary>
/// <typeparam name="T">The element type, usually a <see cref="SyntaxNode"/>.</typeparam>
[CollectionBuilder(typeof(SyntaxList), nameof(SyntaxList.Create))]
public sealed class SyntaxList<T> : IReadOnlyList<T>, IEquatable<SyntaxList<T>>
{
    private readonly T[] _items;

    /// <summary>Creates a list holding a copy of <paramref name="items"/>.</summary>
    public SyntaxList(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    private SyntaxList(T[] items) => _items = items;

    /// <summary>The empty list (shared).</summary>
    public static SyntaxList<T> Empty { get; } = new(Array.Empty<T>());

    /// <summary>The number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>True when there are no elements.</summary>
    public bool IsEmpty => _items.Length == 0;

    /// <summary>The element at <paramref name="index"/> (0-based).</summary>
    public T this[int index] => _items[index];

    /// <summary>Creates a list from a span (used by collection expressions).</summary>
    internal static SyntaxList<T> From(ReadOnlySpan<T> items) => items.IsEmpty ? Empty : new SyntaxList<T>(items.ToArray());

    /// <summary>
    /// A list over <paramref name="items"/> itself, not copied: the caller built the array for this list and never
    /// writes to it again.
    /// </summary>
    internal static SyntaxList<T> Adopt(T[] items) => items.Length == 0 ? Empty : new SyntaxList<T>(items);

    /// <summary>A list of the elements of <paramref name="items"/>, copied (the shared empty list when there are none).</summary>
    internal static SyntaxList<T> Own(List<T> items) => items.Count == 0 ? Empty : new SyntaxList<T>(items.ToArray());

    /// <summary>True when both lists hold equal elements in the same order.</summary>
    public bool Equals(SyntaxList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SyntaxList<T>);

    /// <summary>A hash of the elements in order.</summary>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>The elements, comma-separated in brackets, for debugging.</summary>
    public override string ToString() => $"[{string.Join(", ", _items)}]";

    /// <summary>Enumerates the elements in order, without allocating (what <c>foreach</c> uses).</summary>
    public Enumerator GetEnumerator() => new(_items);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>Enumerates a <see cref="SyntaxList{T}"/> in order; a struct, so <c>foreach</c> allocates nothing.</summary>
    public struct Enumerator
    {
        private readonly T[] _items;
        private int _index;

        internal Enumerator(T[] items)
        {
            _items = items;
            _index = -1;
        }

        /// <summary>The element at the current position.</summary>
        public readonly T Current => _items[_index];

        /// <summary>Moves to the next element; false past the last.</summary>
        public bool MoveNext() => ++_index < _items.Length;
    }
}

/// <summary>Factory for <see cref="SyntaxList{T}"/>, the target of collection expressions.</summary>
public static class SyntaxList
{
    /// <summary>A list holding a copy of <paramref name="items"/>.</summary>
    public static SyntaxList<T> Create<T>(ReadOnlySpan<T> items) => SyntaxList<T>.From(items);
}
