using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hera.Sql.Templates;

/// <summary>
/// Renders parsed nodes against one call's parameters. Only the branches taken are evaluated, so a parameter used
/// only inside <c>&lt;#if name??&gt;</c> may be missing. One instance per render; not thread-safe.
/// </summary>
internal sealed class TemplateRenderer
{
    /// <summary>The most items one array may expand to, in <c>${list}</c> or <c>&lt;#list&gt;</c>.</summary>
    internal const int MaxListItems = 10_000;

    private readonly JsonElement _parameters;
    private readonly TemplateValueMode _mode;
    private readonly StringBuilder _sql;
    private readonly Dictionary<string, object?> _bound = [];
    private readonly List<(string Name, JsonElement Value)> _loopVariables = [];

    public TemplateRenderer(JsonElement parameters, TemplateValueMode mode, int sizeHint)
    {
        _parameters = parameters;
        _mode = mode;
        _sql = new StringBuilder(sizeHint + 64);
    }

    public RenderedSql Render(IReadOnlyList<TemplateNode> nodes)
    {
        RenderNodes(nodes);
        return new RenderedSql(_sql.ToString().Trim(), _bound);
    }

    private void RenderNodes(IReadOnlyList<TemplateNode> nodes)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode text:
                    _sql.Append(text.Text);
                    break;
                case ValueNode value:
                    RenderValue(value);
                    break;
                case IfNode block:
                    RenderNodes(block.Branches.FirstOrDefault(b => Holds(b.Condition))?.Body ?? block.Else);
                    break;
                case ListNode list:
                    RenderList(list);
                    break;
                default:
                    throw new InvalidOperationException($"TemplateParser never makes a {node.GetType().Name}.");
            }
        }
    }

    private void RenderValue(ValueNode node)
    {
        var value = Require(node.Name, node);
        if (value.ValueKind != JsonValueKind.Array)
        {
            Emit(Scalar(value, node));
            return;
        }

        // An array is a parenthesised list, for IN: x IN ${ids} -> x IN (@p0, @p1).
        var count = CheckItemCount(node.Name, value, node);
        if (count == 0)
        {
            throw TemplateValues.Invalid(node.Name, "an empty array, which has no SQL list form; guard it with <#if name?has_content>", node.Position);
        }

        _sql.Append('(');
        var first = true;
        foreach (var item in value.EnumerateArray())
        {
            _sql.Append(first ? string.Empty : ", ");
            first = false;
            Emit(Scalar(item, node));
        }

        _sql.Append(')');
    }

    private void RenderList(ListNode list)
    {
        var value = Require(list.Name, list);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw TemplateValues.Invalid(list.Name, $"expected an array for <#list>, found {TemplateValues.Describe(value)}", list.Position);
        }

        CheckItemCount(list.Name, value, list);
        var first = true;
        foreach (var item in value.EnumerateArray())
        {
            if (!first)
            {
                RenderNodes(list.Separator);
            }

            first = false;
            _loopVariables.Add((list.Variable, item));
            RenderNodes(list.Body);
            _loopVariables.RemoveAt(_loopVariables.Count - 1);
        }
    }

    private object? Scalar(JsonElement value, ValueNode node) =>
        value.ValueKind is JsonValueKind.Array or JsonValueKind.Object
            ? throw TemplateValues.Invalid(node.Name, $"expected a string, number, boolean or null, found {TemplateValues.Describe(value)}", node.Position)
            : TemplateValues.Convert(value, node.Format, node.Name, node.Position);

    private void Emit(object? value)
    {
        if (_mode == TemplateValueMode.Literals)
        {
            TemplateValues.WriteLiteral(_sql, value);
            return;
        }

        var name = "p" + _bound.Count.ToString(CultureInfo.InvariantCulture);
        _bound.Add(name, value);
        _sql.Append('@').Append(name);
    }

    private bool Holds(TemplateCondition condition)
    {
        var found = TryLookup(condition.Name, out var value);
        var present = found && value.ValueKind != JsonValueKind.Null;
        var holds = condition.Test switch
        {
            ConditionTest.Exists => present,
            ConditionTest.HasContent => present && value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!.Length > 0,
                JsonValueKind.Array => value.GetArrayLength() > 0,
                _ => true,
            },
            _ => !found
                ? throw Missing(condition.Name, condition.Position)
                : value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw TemplateValues.Invalid(condition.Name, $"expected true or false, found {TemplateValues.Describe(value)}; test presence with name??", condition.Position),
                },
        };
        return holds != condition.Negated;
    }

    private JsonElement Require(string name, TemplateNode node) =>
        TryLookup(name, out var value) ? value : throw Missing(name, node.Position);

    private bool TryLookup(string name, out JsonElement value)
    {
        // Innermost loop variable first: an item name shadows a parameter of the same name.
        for (var i = _loopVariables.Count - 1; i >= 0; i--)
        {
            if (_loopVariables[i].Name == name)
            {
                value = _loopVariables[i].Value;
                return true;
            }
        }

        return _parameters.TryGetProperty(name, out value);
    }

    private static int CheckItemCount(string name, JsonElement array, TemplateNode node)
    {
        var count = array.GetArrayLength();
        return count <= MaxListItems
            ? count
            : throw TemplateValues.Invalid(name, $"an array of {count} items; at most {MaxListItems} are accepted", node.Position);
    }

    private static SqlTemplateException Missing(string name, Lexing.SourcePosition position) =>
        new(SqlTemplateException.MissingParameterCode, $"parameter '{name}' is not given", position, name);
}
