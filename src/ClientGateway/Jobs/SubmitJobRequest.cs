using System.Globalization;
using System.Text.Json;
using Hera.ClientGateway.Problems;
using Hera.Grains.Interfaces.Errors;
using Hera.Grains.Interfaces.Jobs;
using Hera.Sql;
using Hera.Sql.Parsing;
using Hera.Sql.Templates;

namespace Hera.ClientGateway.Jobs;

/// <summary>
/// The body of <c>POST /v1/jobs</c> as sent: every member optional at this stage, so that validation can name
/// exactly what is missing or wrong instead of failing on the first type mismatch.
/// </summary>
public sealed record SubmitJobRequest
{
    /// <summary>The statement to run (this or <see cref="Template"/> is required).</summary>
    public string? Sql { get; init; }

    /// <summary>A SQL template (FreeMarker-flavoured, <c>docs/sql-templates.md</c>) rendered with <see cref="Parameters"/>; instead of <see cref="Sql"/>.</summary>
    public string? Template { get; init; }

    /// <summary><c>trino</c> (default: parsed and rewritten for each engine) or <c>native</c> (sent as written).</summary>
    public string? Dialect { get; init; }

    /// <summary>Queue name; default <c>default</c>.</summary>
    public string? Queue { get; init; }

    /// <summary><c>adhoc | etl | export | import</c>; default <c>adhoc</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Candidate engines in preference order.</summary>
    public List<string>? Engines { get; init; }

    /// <summary><c>failover | race</c>; default <c>failover</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Budget from submission to finish, seconds; default 300.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Memory estimate in MiB.</summary>
    public int? MemoryMb { get; init; }

    /// <summary>Engine parameters for this task (strings, numbers or booleans); with a <see cref="Template"/>, the template's values instead.</summary>
    public Dictionary<string, JsonElement>? Parameters { get; init; }

    /// <summary>Free labels (<c>business</c>, <c>account</c>, ...), string values.</summary>
    public Dictionary<string, string>? Labels { get; init; }

    /// <summary>For <c>race</c>: milliseconds before the next engine starts (hedging), or <c>"auto"</c>; absent starts all at once.</summary>
    public JsonElement? Hedge { get; init; }

    /// <summary>Longest accepted timeout: seven days.</summary>
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;

    /// <summary>Checks every member and builds the spec; throws <c>invalid_request</c> naming the member.</summary>
    public JobSpec ToSpec()
    {
        var dialect = Dialect ?? JobSpec.TrinoDialect;
        if (dialect is not (JobSpec.TrinoDialect or JobSpec.NativeDialect))
        {
            throw Invalid($"'dialect' must be '{JobSpec.TrinoDialect}' or '{JobSpec.NativeDialect}'; got '{dialect}'");
        }

        var (sql, templateValues) = (Sql, Template) switch
        {
            (not null, not null) => throw Invalid("give either 'sql' or 'template', not both"),
            (null, { } template) when dialect == JobSpec.TrinoDialect => Render(template),
            (null, not null) => throw Invalid("a 'template' is written in the trino dialect"),
            (_, null) when string.IsNullOrWhiteSpace(Sql) => throw Invalid("the body needs a non-empty 'sql' member (or a 'template')"),
            _ => (Sql!, null),
        };

        CheckSql(sql, dialect);

        var type = Type ?? JobTypes.Adhoc;
        if (!JobTypes.All.Contains(type))
        {
            throw Invalid($"'type' must be one of {string.Join(", ", JobTypes.All)}; got '{type}'");
        }

        var mode = Mode ?? ExecutionModes.Failover;
        if (!ExecutionModes.All.Contains(mode))
        {
            throw Invalid($"'mode' must be one of {string.Join(", ", ExecutionModes.All)}; got '{mode}'");
        }

        if (Queue is not null && string.IsNullOrWhiteSpace(Queue))
        {
            throw Invalid("'queue' must not be empty");
        }

        var timeout = TimeoutSeconds ?? JobSpec.DefaultTimeoutSeconds;
        if (timeout is < 1 or > MaxTimeoutSeconds)
        {
            throw Invalid($"'timeoutSeconds' must be between 1 and {MaxTimeoutSeconds}; got {timeout}");
        }

        if (MemoryMb is < 1)
        {
            throw Invalid($"'memoryMb' must be at least 1; got {MemoryMb}");
        }

        if (Engines is not null && Engines.Any(string.IsNullOrWhiteSpace))
        {
            throw Invalid("'engines' must hold engine names, not empty strings");
        }

        return new JobSpec(
            sql, Queue ?? JobSpec.DefaultQueue, type, Engines?.Distinct().ToList() ?? [], mode, timeout, MemoryMb,
            Template is null ? ParametersAsStrings() : new Dictionary<string, string>(), Labels ?? new Dictionary<string, string>(), HedgeDelay(mode),
            dialect, Template, templateValues);
    }

    /// <summary>Renders the template with the job's parameters (values as placeholders), refusing with the template's codes.</summary>
    private (string Sql, string Values) Render(string template)
    {
        var values = JsonSerializer.SerializeToElement(Parameters ?? []);
        try
        {
            var rendered = SqlTemplate.Parse(template).Render(values);
            return (rendered.Sql, values.GetRawText());
        }
        catch (SqlTemplateException e)
        {
            var code = e.Code switch
            {
                SqlTemplateException.MissingParameterCode => ProblemCodes.MissingParameter,
                SqlTemplateException.InvalidParameterCode => ProblemCodes.InvalidParameter,
                _ => ProblemCodes.InvalidTemplate,
            };
            var extensions = new Dictionary<string, object?> { ["parameter"] = e.Parameter };
            if (e.Position is { } at)
            {
                extensions["position"] = new { line = at.Line, column = at.Column, offset = at.Offset };
            }

            throw new HeraProblemException(code, e.Message, extensions);
        }
    }

    private int? HedgeDelay(string mode)
    {
        if (Hedge is not { } hedge || hedge.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (mode != ExecutionModes.Race)
        {
            throw Invalid("'hedge' applies to mode 'race' only");
        }

        return hedge.ValueKind switch
        {
            JsonValueKind.String when hedge.GetString() == "auto" => JobSpec.AutoHedge,
            JsonValueKind.Number when hedge.TryGetInt32(out var ms) && ms is >= 0 and <= 600_000 => ms,
            _ => throw Invalid($"'hedge' must be \"auto\" or milliseconds from 0 to 600000; got {hedge.GetRawText()}"),
        };
    }

    private Dictionary<string, string> ParametersAsStrings()
    {
        var result = new Dictionary<string, string>();
        foreach (var (name, value) in Parameters ?? [])
        {
            result[name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw Invalid($"parameter '{name}' must be a string, number or boolean; got {value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture)}"),
            };
        }

        return result;
    }

    /// <summary>
    /// Refuses SQL that can never run (nothing but comments, an unterminated string, quoted identifier or comment)
    /// with <c>invalid_sql</c> and the position, before anything is stored. Anything else goes to the engine,
    /// whose own verdict ends the job as <c>sql_error</c>.
    /// </summary>
    private static void CheckSql(string sql, string dialect)
    {
        try
        {
            SqlText.CheckSubmittable(sql);
            if (dialect == JobSpec.TrinoDialect)
            {
                // The query must parse as Trino; the engines see it rewritten for them.
                _ = SqlParser.ParseQuery(sql);
            }
        }
        catch (SqlSyntaxException e)
        {
            throw SqlProblems.InvalidSql(e);
        }
    }

    private static HeraProblemException Invalid(string detail) => new(ProblemCodes.InvalidRequest, detail);
}
