namespace Hera.Grains.Interfaces.Jobs;

/// <summary>The task types of the seed. Wire values.</summary>
public static class JobTypes
{
    /// <summary>Interactive query whose rows come back to the caller; runs in a worker slot.</summary>
    public const string Adhoc = "adhoc";

    /// <summary>Multi-statement transformation script; runs in a child process.</summary>
    public const string Etl = "etl";

    /// <summary>Large result written as a downloadable file.</summary>
    public const string Export = "export";

    /// <summary>Loads a file into an engine table.</summary>
    public const string Import = "import";

    /// <summary>Every known type.</summary>
    public static IReadOnlyList<string> All { get; } = [Adhoc, Etl, Export, Import];
}

/// <summary>How a job uses its candidate engines. Wire values.</summary>
public static class ExecutionModes
{
    /// <summary>Try the engines in order; move on only after a transient engine failure.</summary>
    public const string Failover = "failover";

    /// <summary>Start on several engines; the first success wins and the others are cancelled.</summary>
    public const string Race = "race";

    /// <summary>Every known mode.</summary>
    public static IReadOnlyList<string> All { get; } = [Failover, Race];
}
