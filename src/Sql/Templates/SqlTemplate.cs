using System.Text.Json;

namespace Hera.Sql.Templates;

/// <summary>
/// A parsed SQL template: Trino SQL with FreeMarker-flavoured parameters, which a job may carry as
/// <c>template</c> + <c>parameters</c> instead of <c>sql</c>. Values are never pasted into the text: each becomes a
/// bound placeholder or a validated, typed literal (<see cref="TemplateValueMode"/>), so a parameter's value can
/// change only the value compared, never the statement's structure. Immutable and thread-safe: parse once, render
/// many times.
/// </summary>
/// <remarks>
/// <para>The language, all of it (names are ASCII letters, digits and <c>_</c>, not starting with a digit):</para>
/// <list type="bullet">
/// <item><c>${name}</c>: the parameter's value, typed by its JSON kind: string, integer (BIGINT), other number
/// (DECIMAL, or DOUBLE if no decimal holds it), <c>true</c>/<c>false</c>, <c>null</c> (SQL NULL). A JSON array
/// becomes a parenthesised list, one value per item, for <c>IN</c>: <c>id IN ${ids}</c> renders
/// <c>id IN (@p0, @p1, @p2)</c>; an empty array is refused. Objects are refused.</item>
/// <item><c>${name?format}</c>: the value must have that type, else <c>invalid_parameter</c>: <c>string</c>,
/// <c>long</c>, <c>number</c> (decimal), <c>double</c>, <c>boolean</c>, <c>date</c> (a JSON string
/// <c>yyyy-MM-dd</c>, bound as a date), <c>datetime</c> (a JSON string <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> or with a
/// space for <c>T</c>, no zone, bound as a timestamp). JSON has no date type, so dates stay strings unless the
/// template asks for <c>?date</c>. <c>null</c> is accepted by every format.</item>
/// <item><c>&lt;#if cond&gt;…&lt;#elseif cond&gt;…&lt;#else&gt;…&lt;/#if&gt;</c>, where cond is <c>name??</c> (given
/// and not null), <c>name?has_content</c> (also not <c>""</c> or <c>[]</c>) or <c>name</c> (must be given as
/// <c>true</c> or <c>false</c>), each optionally after <c>!</c>. Only the branch taken is rendered, so a parameter
/// used only there may be missing: that is how a filter is optional.</item>
/// <item><c>&lt;#list name as item&gt;…&lt;#sep&gt;…&lt;/#list&gt;</c>: the body once per item of a JSON array, with
/// <c>${item}</c> the item, the text after <c>&lt;#sep&gt;</c> between items. An empty array renders nothing.</item>
/// <item><c>&lt;#-- … --&gt;</c>: a comment, dropped.</item>
/// </list>
/// <para>Refused as <c>invalid_template</c>: a value inside a quoted string, quoted identifier or SQL comment
/// (write <c>concat('%', ${q}, '%')</c>, not <c>'%${q}%'</c>), <c>@</c> outside quotes (kept for the placeholders),
/// unknown directives and formats, unclosed blocks, more than 32 nested blocks. Arrays hold at most 10,000 items.</para>
/// </remarks>
public sealed class SqlTemplate
{
    private static readonly JsonElement NoParameters = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly IReadOnlyList<TemplateNode> _nodes;

    private SqlTemplate(string text, IReadOnlyList<TemplateNode> nodes, IReadOnlyList<string> parameterNames)
    {
        Text = text;
        _nodes = nodes;
        ParameterNames = parameterNames;
    }

    /// <summary>The template text as given.</summary>
    public string Text { get; }

    /// <summary>
    /// The parameters the template refers to anywhere (values, conditions, lists; not <c>&lt;#list&gt;</c> item
    /// names), in order of first appearance. Whether each is required depends on the branches taken.
    /// </summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Parses <paramref name="text"/>; the result can be rendered any number of times, on any thread.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="SqlTemplateException">
    /// <see cref="SqlTemplateException.InvalidTemplateCode"/>, with the line and column of the problem.
    /// </exception>
    public static SqlTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (nodes, names) = TemplateParser.Parse(text);
        return new SqlTemplate(text, nodes, names);
    }

    /// <summary>
    /// Renders the template with <paramref name="parameters"/>, a job's <c>parameters</c> JSON object (an undefined
    /// or null element means no parameters). The SQL is trimmed of leading and trailing white space.
    /// </summary>
    /// <param name="parameters">Parameter name to JSON value.</param>
    /// <param name="mode">Placeholders (the default; values travel beside the text) or validated literals.</param>
    /// <exception cref="SqlTemplateException">
    /// <see cref="SqlTemplateException.MissingParameterCode"/> for a parameter a rendered part needs but that is not
    /// given; <see cref="SqlTemplateException.InvalidParameterCode"/> for a value of the wrong type or form, or when
    /// <paramref name="parameters"/> is not an object. The position is that of the reference in the template.
    /// </exception>
    public RenderedSql Render(JsonElement parameters, TemplateValueMode mode = TemplateValueMode.Placeholders)
    {
        parameters = parameters.ValueKind switch
        {
            JsonValueKind.Object => parameters,
            JsonValueKind.Undefined or JsonValueKind.Null => NoParameters,
            _ => throw new SqlTemplateException(
                SqlTemplateException.InvalidParameterCode,
                $"parameters must be a JSON object of name to value, found {TemplateValues.Describe(parameters)}"),
        };
        return new TemplateRenderer(parameters, mode, Text.Length).Render(_nodes);
    }
}
