using Hera.Sql.Lexing;

namespace Hera.Sql.Templates;

/// <summary>A piece of a parsed template; immutable, so one parsed template renders on many threads.</summary>
internal abstract record TemplateNode(SourcePosition Position);

/// <summary>SQL text copied as is.</summary>
internal sealed record TextNode(string Text, SourcePosition Position) : TemplateNode(Position);

/// <summary><c>${name}</c> or <c>${name?format}</c>: a value (or, for a JSON array, a parenthesised list of values).</summary>
internal sealed record ValueNode(string Name, ValueFormat Format, SourcePosition Position) : TemplateNode(Position);

/// <summary><c>&lt;#if&gt;</c> with its <c>&lt;#elseif&gt;</c> branches and optional <c>&lt;#else&gt;</c>.</summary>
internal sealed record IfNode(IReadOnlyList<IfBranch> Branches, IReadOnlyList<TemplateNode> Else, SourcePosition Position)
    : TemplateNode(Position);

/// <summary>One condition and the nodes rendered when it is the first to hold.</summary>
internal sealed record IfBranch(TemplateCondition Condition, IReadOnlyList<TemplateNode> Body);

/// <summary><c>[!]name</c>, <c>[!]name??</c> or <c>[!]name?has_content</c>.</summary>
internal sealed record TemplateCondition(string Name, ConditionTest Test, bool Negated, SourcePosition Position);

/// <summary>What a condition asks of its parameter.</summary>
internal enum ConditionTest
{
    /// <summary><c>name</c>: the parameter must be given and be true or false.</summary>
    IsTrue,

    /// <summary><c>name??</c>: given and not null.</summary>
    Exists,

    /// <summary><c>name?has_content</c>: given, not null, and not an empty string or array.</summary>
    HasContent,
}

/// <summary><c>&lt;#list name as item&gt;body&lt;#sep&gt;separator&lt;/#list&gt;</c>.</summary>
internal sealed record ListNode(
    string Name,
    string Variable,
    IReadOnlyList<TemplateNode> Body,
    IReadOnlyList<TemplateNode> Separator,
    SourcePosition Position) : TemplateNode(Position);

/// <summary>The type a value must have, from the <c>?format</c> of <c>${name?format}</c>.</summary>
internal enum ValueFormat
{
    /// <summary>No format: the JSON kind decides (string, integer, decimal, boolean, null).</summary>
    Auto,

    /// <summary><c>?string</c>: a JSON string.</summary>
    String,

    /// <summary><c>?long</c>: a JSON integer within BIGINT range.</summary>
    Long,

    /// <summary><c>?number</c>: a JSON number held exactly as a decimal.</summary>
    Number,

    /// <summary><c>?double</c>: a finite JSON number as a double.</summary>
    Double,

    /// <summary><c>?boolean</c>: true or false.</summary>
    Boolean,

    /// <summary><c>?date</c>: a JSON string <c>yyyy-MM-dd</c> naming a real date.</summary>
    Date,

    /// <summary><c>?datetime</c>: a JSON string <c>yyyy-MM-ddTHH:mm:ss[.fffffff]</c> (or a space for T), no zone.</summary>
    DateTime,
}
