using System.Text.Json;
using Hera.Grains.Engines;
using Hera.Grains.Interfaces.Jobs;
using Hera.Sql.Templates;

namespace Hera.Grains.Execution;

/// <summary>
/// What each engine runs for a job: the job's Trino SQL rewritten into that engine's dialect (or the reason the
/// engine cannot express it), native SQL as written, and a template job's values bound to their placeholders.
/// Callers write one dialect; this is the one place where it becomes many.
/// </summary>
public sealed class StatementPreparation(EngineCatalog catalog, SqlDialects dialects)
{
    /// <summary>The statement for <paramref name="engine"/>, or a decline saying why that engine cannot run it.</summary>
    public PreparedStatement For(JobSpec spec, string engine)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var values = Values(spec);
        if (spec.Dialect == JobSpec.NativeDialect)
        {
            return new PreparedStatement(engine, spec.Sql, values, null);
        }

        var kind = catalog.Find(engine)?.Kind ?? throw new ArgumentException($"engine '{engine}' is not registered", nameof(engine));
        var rewritten = dialects.Rewrite(spec.Sql, kind);
        return new PreparedStatement(engine, rewritten.Sql ?? string.Empty, values, rewritten.Declined);
    }

    /// <summary>The statement for every engine in <paramref name="engines"/>, in order.</summary>
    public IReadOnlyList<PreparedStatement> ForAll(JobSpec spec, IEnumerable<string> engines)
    {
        ArgumentNullException.ThrowIfNull(engines);
        return [.. engines.Select(engine => For(spec, engine))];
    }

    /// <summary>A template job's values by placeholder name (re-rendered from what the caller sent); null otherwise.</summary>
    private static IReadOnlyDictionary<string, object?>? Values(JobSpec spec)
    {
        if (spec.Template is null)
        {
            return null;
        }

        using var values = JsonDocument.Parse(spec.TemplateValues ?? "{}");
        return SqlTemplate.Parse(spec.Template).Render(values.RootElement).Parameters;
    }
}

/// <summary>What one engine runs for a job.</summary>
/// <param name="Engine">The engine.</param>
/// <param name="Sql">The statement in the engine's dialect; empty when declined.</param>
/// <param name="Parameters">Values bound to <c>@name</c> placeholders, or null.</param>
/// <param name="Declined">Why the engine cannot run the job's SQL (<c>sql_unsupported</c>), or null.</param>
public sealed record PreparedStatement(string Engine, string Sql, IReadOnlyDictionary<string, object?>? Parameters, string? Declined);
