using System.Collections.Frozen;
using Hera.EngineAdapters.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Hera.EngineAdapters.Postgres;

/// <summary>
/// Binds <see cref="EngineCommand.Parameters"/> natively: each value travels separately from the SQL text with the
/// PostgreSQL type <see cref="Types"/> gives its CLR type, so a string is only ever compared as a value. Npgsql
/// rewrites the <c>@name</c> placeholders to <c>$n</c> (skipping quoted text and comments). Null is sent untyped, so
/// the server infers its type from the context (<c>@p::int</c>, <c>col = @p</c>); where it cannot, the statement
/// fails with SQLSTATE 42P18 as the caller's mistake. A placeholder with no value reaches the server verbatim and
/// fails there (PostgreSQL reads <c>@</c> as an operator).
/// </summary>
internal static class PostgresParameters
{
    /// <summary>Accepted CLR type to the PostgreSQL type it is sent as.</summary>
    internal static readonly FrozenDictionary<Type, NpgsqlDbType> Types = new Dictionary<Type, NpgsqlDbType>
    {
        [typeof(long)] = NpgsqlDbType.Bigint,
        [typeof(double)] = NpgsqlDbType.Double,
        [typeof(decimal)] = NpgsqlDbType.Numeric,
        [typeof(string)] = NpgsqlDbType.Text,
        [typeof(bool)] = NpgsqlDbType.Boolean,
        [typeof(DateOnly)] = NpgsqlDbType.Date,
        // A DateTime is a wall-clock time whatever its Kind (see Normalise); Npgsql refuses UTC ones for timestamp.
        [typeof(DateTime)] = NpgsqlDbType.Timestamp,
    }.ToFrozenDictionary();

    /// <summary>Adds <paramref name="parameters"/> to <paramref name="command"/>; throws for a value of another type.</summary>
    public static void Bind(string engine, NpgsqlCommand command, IReadOnlyDictionary<string, object?>? parameters)
    {
        if (parameters is null)
        {
            return;
        }

        foreach (var (name, value) in parameters)
        {
            if (value is null)
            {
                command.Parameters.Add(new NpgsqlParameter { ParameterName = name, Value = DBNull.Value });
                continue;
            }

            if (!Types.TryGetValue(value.GetType(), out var type))
            {
                throw PostgresErrors.Caller(
                    engine,
                    PostgresErrors.InvalidParameterCode,
                    $"parameter @{name}: a {value.GetType().Name} cannot be bound; use long, double, decimal, string, bool, DateOnly, DateTime or null.");
            }

            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = Normalise(value) });
        }
    }

    private static object Normalise(object value) =>
        value is DateTime timestamp ? DateTime.SpecifyKind(timestamp, DateTimeKind.Unspecified) : value;
}
