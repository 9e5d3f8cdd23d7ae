using System.Globalization;

namespace Hera.Grains.Interfaces.Engines;

/// <summary>The engine kinds Hera has adapters for. Wire values.</summary>
public static class EngineKinds
{
    /// <summary>An SQLite database file (the embedded <c>local</c> engine).</summary>
    public const string Sqlite = "sqlite";

    /// <summary>PostgreSQL over its wire protocol (stands in for Hologres and Greenplum).</summary>
    public const string Postgres = "postgres";

    /// <summary>ClickHouse over its HTTP interface.</summary>
    public const string ClickHouse = "clickhouse";

    /// <summary>Every kind.</summary>
    public static IReadOnlyList<string> All { get; } = [Sqlite, Postgres, ClickHouse];
}

/// <summary>
/// An engine as registered through <c>PUT /v1/engines/{name}</c> and persisted in the grid store: what it is,
/// how to reach it, how many statements it may run at once, and its engine-level parameters (the second layer
/// of parameter assembly, after the kind's defaults).
/// </summary>
/// <param name="Name">Registry name: 1 to 64 letters, digits, <c>-</c>, <c>_</c> or <c>.</c>.</param>
/// <param name="Kind">One of <see cref="EngineKinds"/>.</param>
/// <param name="Connection">How to reach it: a file path (sqlite), an Npgsql connection string (postgres), an HTTP
/// base URL (clickhouse).</param>
/// <param name="MaxConcurrency">Statements it may run at once; the scheduler holds jobs beyond it. At least 1.</param>
/// <param name="Parameters">Engine parameters (session settings) applied to every statement on it.</param>
public sealed record EngineDefinition(
    string Name,
    string Kind,
    string Connection,
    int MaxConcurrency,
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Concurrency of an engine registered without one.</summary>
    public const int DefaultMaxConcurrency = 8;

    /// <summary>What is wrong with the definition, one sentence per problem naming the wire field; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Queues.QueueDefinition.IsValidName(Name))
        {
            problems.Add($"name '{Name}' must be 1 to 64 letters, digits, '-', '_' or '.'");
        }

        if (!EngineKinds.All.Contains(Kind))
        {
            problems.Add($"kind must be one of {string.Join(", ", EngineKinds.All)}; got '{Kind}'");
        }

        if (string.IsNullOrWhiteSpace(Connection))
        {
            problems.Add("connection must not be empty");
        }

        if (MaxConcurrency < 1)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"maxConcurrency must be at least 1; got {MaxConcurrency}"));
        }

        if (Parameters.Keys.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("parameters must have non-empty names");
        }

        return problems;
    }
}

/// <summary>An engine as stored: its definition plus bookkeeping.</summary>
/// <param name="Definition">The definition.</param>
/// <param name="Version">Incremented by every write.</param>
/// <param name="CreatedAt">When it was first stored.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record EngineRecord(EngineDefinition Definition, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The layers of engine parameters an operator sets at run time, between the engine's and the task's.</summary>
public static class ParameterLayers
{
    /// <summary>Per business type: the job's <c>labels.business</c>.</summary>
    public const string Business = "business";

    /// <summary>Per account: the job's <c>labels.account</c>.</summary>
    public const string Account = "account";

    /// <summary>Both, in the order they apply (later overrides earlier).</summary>
    public static IReadOnlyList<string> All { get; } = [Business, Account];
}

/// <summary>
/// One entry of a parameter layer, e.g. business <c>ads</c>: parameters by target, where a target is an engine
/// name or an engine kind (a name's entry overrides its kind's within the same layer entry).
/// </summary>
/// <param name="Layer">One of <see cref="ParameterLayers"/>.</param>
/// <param name="Key">The business type or account it applies to.</param>
/// <param name="Targets">Engine name or kind → parameter name → value.</param>
/// <param name="Version">Incremented by every write.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record ParameterLayerRecord(
    string Layer,
    string Key,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Targets,
    long Version,
    DateTimeOffset UpdatedAt);
