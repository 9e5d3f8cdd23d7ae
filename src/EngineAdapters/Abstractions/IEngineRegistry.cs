namespace Hera.EngineAdapters.Abstractions;

/// <summary>The engines this silo can run jobs on, by name.</summary>
public interface IEngineRegistry
{
    /// <summary>The engine used when a job names none and its queue routes nowhere.</summary>
    string DefaultEngine { get; }

    /// <summary>Every registered engine name, ordered.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The adapter registered under <paramref name="name"/>, or null.</summary>
    IEngineAdapter? Find(string name);
}
