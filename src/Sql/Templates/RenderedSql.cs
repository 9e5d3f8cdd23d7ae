namespace Hera.Sql.Templates;

/// <summary>
/// A rendered template: Trino SQL text and the values bound to its placeholders, ready to become an engine command
/// (<c>EngineCommand(Sql, attemptId, Parameters: Parameters)</c>).
/// </summary>
/// <param name="Sql">
/// The statement. With <see cref="TemplateValueMode.Placeholders"/> every value is a placeholder <c>@p0</c>,
/// <c>@p1</c>, ... numbered in text order; with <see cref="TemplateValueMode.Literals"/> every value is a typed,
/// escaped literal and there are no placeholders.
/// </param>
/// <param name="Parameters">
/// Placeholder name (without <c>@</c>) to value: null, <see cref="long"/>, <see cref="decimal"/>,
/// <see cref="double"/>, <see cref="string"/>, <see cref="bool"/>, <see cref="DateOnly"/> or <see cref="DateTime"/>
/// (the types engine commands bind). Empty with <see cref="TemplateValueMode.Literals"/>.
/// </param>
public sealed record RenderedSql(string Sql, IReadOnlyDictionary<string, object?> Parameters);

/// <summary>How <see cref="SqlTemplate.Render"/> writes values into the SQL text.</summary>
public enum TemplateValueMode
{
    /// <summary>
    /// Each value becomes a placeholder <c>@pN</c> and travels beside the text, bound by the engine (SQLite,
    /// PostgreSQL) or rendered by its adapter (ClickHouse). The text does not depend on the values at all.
    /// </summary>
    Placeholders,

    /// <summary>
    /// Each value becomes a Trino literal after validation: <c>42</c>, <c>(-7)</c>, <c>1.50</c>, <c>2.5E0</c>,
    /// <c>'it''s'</c>, <c>TRUE</c>, <c>NULL</c>, <c>DATE '2026-01-31'</c>, <c>TIMESTAMP '2026-01-31 10:00:00'</c>.
    /// For paths that need one self-contained text (printing for another dialect, logging, EXPLAIN). The string form
    /// is Trino's and PostgreSQL's (a backslash is an ordinary character); use placeholders for engines that read
    /// backslash escapes in strings, whose adapters escape bound values themselves.
    /// </summary>
    Literals,
}
