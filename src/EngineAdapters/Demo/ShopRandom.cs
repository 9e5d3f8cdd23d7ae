namespace Hera.EngineAdapters.Demo;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood): a tiny generator whose output is fixed by its algorithm, unlike
/// <see cref="Random"/>'s unspecified one. Each entity gets its own generator seeded from (seed, stream, id), so
/// any row can be produced on its own (an order line can look up its item's price) in any order, and every run on
/// every machine draws the same numbers. Only integer arithmetic and exact double scaling are used.
/// </summary>
internal struct ShopRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    private ulong _state;

    /// <summary>The generator for entity <paramref name="id"/> of <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public ShopRandom(ulong seed, ShopStream stream, long id)
    {
        _state = Mix(seed ^ Mix(((ulong)stream * Golden) + (ulong)id));
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        _state += Golden;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>); <paramref name="bound"/> must be positive.</summary>
    public long Next(long bound) => (long)(((UInt128)NextUInt64() * (ulong)bound) >> 64);

    /// <summary>Uniform in [0, <paramref name="bound"/>) as an int.</summary>
    public int Next(int bound) => (int)Next((long)bound);

    /// <summary>True with probability <paramref name="percent"/>/100.</summary>
    public bool Percent(int percent) => Next(100) < percent;

    /// <summary>A uniformly chosen element of <paramref name="items"/>.</summary>
    public T Pick<T>(T[] items) => items[Next(items.Length)];

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}

/// <summary>Independent random streams, one per kind of entity. Values are part of the generated data: never renumber.</summary>
internal enum ShopStream : ulong
{
    Sellers = 1,
    Items = 2,
    Users = 3,
    Orders = 4,
    OrderLines = 5,
    PageViews = 6,
    AbBuckets = 7,
}
