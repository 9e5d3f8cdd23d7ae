using System.Globalization;

namespace Hera.Grains.Interfaces.Queues;

/// <summary>Whether a queue takes new jobs and starts its waiting ones.</summary>
public enum QueueState
{
    /// <summary>Accepts submissions; its waiting jobs are picked.</summary>
    Open,

    /// <summary>Refuses submissions (<c>queue_closed</c>); its waiting jobs stay waiting and are not picked.</summary>
    Closed,
}

/// <summary>Wire names of <see cref="QueueState"/>: <c>open</c>, <c>closed</c>.</summary>
public static class QueueStateNames
{
    /// <summary>The wire name of a state.</summary>
    public static string ToWire(this QueueState state) => state switch
    {
        QueueState.Open => "open",
        QueueState.Closed => "closed",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Parses a wire name (case-sensitive); false for anything else.</summary>
    public static bool TryParse(string? wire, out QueueState state)
    {
        (var ok, state) = wire switch
        {
            "open" => (true, QueueState.Open),
            "closed" => (true, QueueState.Closed),
            _ => (false, QueueState.Open),
        };
        return ok;
    }
}

/// <summary>
/// One queue's settings, as set through <c>PUT /v1/queues/{name}</c> and persisted in the grid store. The
/// scheduler orders and limits jobs by them (DESIGN.md "Queue grain + scheduler").
/// </summary>
/// <param name="Name">Queue name: 1 to 64 characters of letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; compared ordinally.</param>
/// <param name="Weight">Priority; a higher weight runs first. Finite, 0 or more.</param>
/// <param name="Capacity">Waiting jobs the queue holds before it refuses more (<c>queue_full</c>); the denominator of the dynamic factor. At least 1.</param>
/// <param name="Parallelism">Jobs of the queue that may run at once. At least 1.</param>
/// <param name="MaxResourceShare">Fraction of the cluster's memory its running jobs may hold, in (0, 1].</param>
/// <param name="Pool">Worker pool its jobs run on (<c>core</c>, <c>non-core</c> or any name): resource isolation.</param>
/// <param name="State">Open or closed.</param>
/// <param name="Engines">
/// Default routing: the candidate engines, in order, of a job that names none; empty means the grid's default
/// engine.
/// </param>
public sealed record QueueDefinition(
    string Name,
    double Weight,
    int Capacity,
    int Parallelism,
    double MaxResourceShare,
    string Pool,
    QueueState State = QueueState.Open,
    IReadOnlyList<string>? Engines = null)
{
    /// <summary>The routing list, never null.</summary>
    public IReadOnlyList<string> Routing => Engines ?? [];

    /// <summary>The pool of the default queue and of a worker given no <c>--worker-pool</c>.</summary>
    public const string DefaultPool = "core";

    /// <summary>Settings of a queue created without them, and of the <c>default</c> queue every grid has.</summary>
    public static QueueDefinition WithDefaults(string name) => new(name, 1, 10_000, 64, 1.0, DefaultPool);

    /// <summary>
    /// What is wrong with these settings, one sentence per problem naming the wire field; empty when valid.
    /// The gateway refuses a queue with problems (<c>invalid_request</c>); the scheduler refuses it too.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!IsValidName(Name))
        {
            problems.Add($"name '{Name}' must be 1 to 64 letters, digits, '-', '_' or '.'");
        }

        if (!double.IsFinite(Weight) || Weight < 0)
        {
            problems.Add(Invariant($"weight must be a finite number, 0 or more; got {Weight}"));
        }

        if (Capacity < 1)
        {
            problems.Add(Invariant($"capacity must be at least 1; got {Capacity}"));
        }

        if (Parallelism < 1)
        {
            problems.Add(Invariant($"parallelism must be at least 1; got {Parallelism}"));
        }

        if (!(MaxResourceShare > 0 && MaxResourceShare <= 1))
        {
            problems.Add(Invariant($"maxResourceShare must be greater than 0 and at most 1; got {MaxResourceShare}"));
        }

        if (Routing.Any(e => !IsValidName(e)))
        {
            problems.Add("engines must be engine names (1 to 64 letters, digits, '-', '_' or '.')");
        }

        if (!IsValidName(Pool))
        {
            problems.Add($"pool '{Pool}' must be 1 to 64 letters, digits, '-', '_' or '.'");
        }

        return problems;
    }

    /// <summary>True for a name usable as a queue or pool name.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A queue as stored: its settings plus bookkeeping.</summary>
/// <param name="Definition">The settings.</param>
/// <param name="Version">Incremented by every write.</param>
/// <param name="CreatedAt">When it was first stored; queues of equal weight and factor are ordered by it.</param>
/// <param name="UpdatedAt">When it was last changed.</param>
public sealed record QueueRecord(QueueDefinition Definition, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
