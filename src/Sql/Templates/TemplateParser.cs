using System.Collections.Frozen;
using Hera.Sql.Lexing;

namespace Hera.Sql.Templates;

// Design note.
//
// One pass over the characters, recursive descent over directives: ParseNodes reads text, values and nested
// blocks until the end or a directive that belongs to its caller (<#elseif>, <#else>, <#sep>, a closing tag),
// which it hands back. Nesting is bounded by MaxDepth, so hostile templates cannot overflow the stack.
//
// The SQL text between directives is followed with a small quote/comment state machine, in template order. Why:
// a value must land where SQL reads a value. ${x} inside '...' would become the text '@p0' (or, in literal mode,
// a quote inside a quote), and inside a -- comment a literal holding a line break would end the comment and turn
// the rest of the value into SQL. Both are refused as invalid_template. '@' outside quotes is refused too, so
// the @pN placeholders Hera writes are the only ones the engines see.

/// <summary>Parses template text into nodes; errors are <see cref="SqlTemplateException"/> with <c>invalid_template</c>.</summary>
internal sealed class TemplateParser
{
    /// <summary>The deepest nesting of <c>&lt;#if&gt;</c> and <c>&lt;#list&gt;</c> blocks accepted.</summary>
    internal const int MaxDepth = 32;

    private static readonly FrozenDictionary<string, ValueFormat> Formats = new Dictionary<string, ValueFormat>
    {
        ["string"] = ValueFormat.String,
        ["long"] = ValueFormat.Long,
        ["number"] = ValueFormat.Number,
        ["double"] = ValueFormat.Double,
        ["boolean"] = ValueFormat.Boolean,
        ["date"] = ValueFormat.Date,
        ["datetime"] = ValueFormat.DateTime,
    }.ToFrozenDictionary();

    private static readonly FrozenSet<string> Directives = FrozenSet.Create("if", "elseif", "else", "list", "sep");

    private readonly string _text;
    private readonly List<string> _names = [];
    private readonly List<string> _loopVariables = [];
    private int _pos;
    private SqlState _state;
    private int _depth;
    private int _countedTo;
    private int _line = 1;
    private int _lineStart;

    private TemplateParser(string text) => _text = text;

    private enum SqlState
    {
        Code,
        SingleQuoted,
        DoubleQuoted,
        LineComment,
        BlockComment,
    }

    /// <summary>The nodes of <paramref name="text"/> and the parameter names it refers to, in order of first use.</summary>
    public static (IReadOnlyList<TemplateNode> Nodes, IReadOnlyList<string> Names) Parse(string text)
    {
        var parser = new TemplateParser(text);
        var nodes = parser.ParseNodes(out var stop);
        return stop is null ? (nodes, parser._names) : throw parser.Stray(stop);
    }

    private List<TemplateNode> ParseNodes(out Directive? stop)
    {
        var nodes = new List<TemplateNode>();
        var textStart = _pos;
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            var next = CharAt(_pos + 1);
            if (c == '$' && next == '{')
            {
                AddText(nodes, textStart);
                nodes.Add(ReadValue());
                textStart = _pos;
            }
            else if (c == '<' && (next == '#' || (next == '/' && CharAt(_pos + 2) == '#')))
            {
                AddText(nodes, textStart);
                var directive = ReadDirective();
                textStart = _pos;
                if (directive is null)
                {
                    continue;
                }

                if (directive.Closing || directive.Name is "elseif" or "else" or "sep")
                {
                    stop = directive;
                    return nodes;
                }

                nodes.Add(directive.Name == "if" ? ParseIf(directive) : ParseList(directive));
                textStart = _pos;
            }
            else
            {
                StepSql(c, next);
            }
        }

        AddText(nodes, textStart);
        stop = null;
        return nodes;
    }

    private IfNode ParseIf(Directive open)
    {
        Enter(open);
        var branches = new List<IfBranch>();
        var condition = ParseCondition(open);
        while (true)
        {
            var body = ParseNodes(out var stop);
            branches.Add(new IfBranch(condition, body));
            switch (stop)
            {
                case null:
                    throw Unclosed(open);
                case { Closing: true, Name: "if" }:
                    _depth--;
                    return new IfNode(branches, [], open.Position);
                case { Closing: false, Name: "elseif" }:
                    condition = ParseCondition(stop);
                    break;
                case { Closing: false, Name: "else" }:
                    NoArguments(stop);
                    var otherwise = ParseNodes(out var end);
                    ExpectClosing(open, end);
                    _depth--;
                    return new IfNode(branches, otherwise, open.Position);
                default:
                    throw Stray(stop);
            }
        }
    }

    private ListNode ParseList(Directive open)
    {
        Enter(open);
        var words = open.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length != 3 || words[1] != "as" || !IsName(words[0]) || !IsName(words[2]))
        {
            throw Invalid("<#list name as item>", $"<#list {open.Arguments}>", open.Position);
        }

        AddName(words[0]);
        _loopVariables.Add(words[2]);
        var body = ParseNodes(out var stop);
        IReadOnlyList<TemplateNode> separator = [];
        if (stop is { Closing: false, Name: "sep" })
        {
            NoArguments(stop);
            separator = ParseNodes(out stop);
        }

        ExpectClosing(open, stop);
        _loopVariables.RemoveAt(_loopVariables.Count - 1);
        _depth--;
        return new ListNode(words[0], words[2], body, separator, open.Position);
    }

    private TemplateCondition ParseCondition(Directive directive)
    {
        var text = directive.Arguments;
        var negated = text.StartsWith('!');
        text = negated ? text[1..].TrimStart() : text;
        var (name, test) = text.EndsWith("??", StringComparison.Ordinal) ? (text[..^2], ConditionTest.Exists)
            : text.EndsWith("?has_content", StringComparison.Ordinal) ? (text[..^12], ConditionTest.HasContent)
            : (text, ConditionTest.IsTrue);
        if (!IsName(name))
        {
            throw Invalid("a condition: name, name?? or name?has_content, optionally after !", $"<#{directive.Name} {directive.Arguments}>", directive.Position);
        }

        AddName(name);
        return new TemplateCondition(name, test, negated, directive.Position);
    }

    private ValueNode ReadValue()
    {
        var position = PositionAt(_pos);
        if (_state != SqlState.Code)
        {
            var where = _state switch
            {
                SqlState.SingleQuoted => "inside a quoted string: write the value on its own, e.g. concat('%', ${q}, '%')",
                SqlState.DoubleQuoted => "inside a quoted identifier: values cannot name columns or tables",
                _ => "inside a comment",
            };
            throw new SqlTemplateException(SqlTemplateException.InvalidTemplateCode, $"a value ${{...}} {where}", position);
        }

        var end = _text.IndexOf('}', _pos + 2);
        if (end < 0)
        {
            throw Invalid("} closing ${", "end of template", position);
        }

        var content = _text[(_pos + 2)..end].Trim();
        _pos = end + 1;
        var question = content.IndexOf('?', StringComparison.Ordinal);
        var name = question < 0 ? content : content[..question].TrimEnd();
        var format = ValueFormat.Auto;
        if (!IsName(name) || (question >= 0 && !Formats.TryGetValue(content[(question + 1)..].Trim(), out format)))
        {
            throw Invalid(
                "${name} or ${name?format} with format string, long, number, double, boolean, date or datetime",
                $"${{{content}}}",
                position);
        }

        AddName(name);
        return new ValueNode(name, format, position);
    }

    /// <summary>Reads a directive or closing tag at <c>&lt;</c>; null for a <c>&lt;#-- comment --&gt;</c>, which leaves nothing.</summary>
    private Directive? ReadDirective()
    {
        var position = PositionAt(_pos);
        if (string.CompareOrdinal(_text, _pos, "<#--", 0, 4) == 0)
        {
            var close = _text.IndexOf("-->", _pos + 4, StringComparison.Ordinal);
            _pos = close >= 0 ? close + 3 : throw Invalid("--> closing <#--", "end of template", position);
            return null;
        }

        var closing = _text[_pos + 1] == '/';
        _pos += closing ? 3 : 2;
        var nameStart = _pos;
        while (_pos < _text.Length && char.IsAsciiLetterLower(_text[_pos]))
        {
            _pos++;
        }

        var name = _text[nameStart.._pos];
        var end = _text.IndexOf('>', _pos);
        if (end < 0)
        {
            throw Invalid("> closing the directive", "end of template", position);
        }

        var arguments = _text[_pos..end].Trim();
        _pos = end + 1;
        if (!Directives.Contains(name) || (closing && (name is not ("if" or "list") || arguments.Length > 0)))
        {
            var shown = closing ? $"</#{name}{(arguments.Length > 0 ? " " + arguments : string.Empty)}>" : $"<#{name}>";
            throw Invalid("a directive: <#if>, <#elseif>, <#else>, </#if>, <#list>, <#sep>, </#list> or <#-- -->", shown, position);
        }

        return new Directive(name, arguments, closing, position);
    }

    /// <summary>Follows the SQL text one character (or a two-character opener) on, tracking quotes and comments.</summary>
    private void StepSql(char c, char next)
    {
        var width = 1;
        _state = (_state, c) switch
        {
            (SqlState.Code, '\'') => SqlState.SingleQuoted,
            (SqlState.Code, '"') => SqlState.DoubleQuoted,
            (SqlState.Code, '-') when next == '-' => Wide(SqlState.LineComment, ref width),
            (SqlState.Code, '/') when next == '*' => Wide(SqlState.BlockComment, ref width),
            (SqlState.Code, '@') => throw new SqlTemplateException(
                SqlTemplateException.InvalidTemplateCode,
                "'@' outside quotes: values are written ${name}, and @ is kept for the placeholders Hera binds",
                PositionAt(_pos)),
            (SqlState.SingleQuoted, '\'') or (SqlState.DoubleQuoted, '"') or (SqlState.LineComment, '\n') => SqlState.Code,
            (SqlState.BlockComment, '*') when next == '/' => Wide(SqlState.Code, ref width),
            _ => _state,
        };
        _pos += width;
    }

    private static SqlState Wide(SqlState state, ref int width)
    {
        width = 2;
        return state;
    }

    private void AddText(List<TemplateNode> nodes, int start)
    {
        if (_pos > start)
        {
            nodes.Add(new TextNode(_text[start.._pos], PositionAt(start)));
        }
    }

    private void AddName(string name)
    {
        if (!_loopVariables.Contains(name) && !_names.Contains(name))
        {
            _names.Add(name);
        }
    }

    private void Enter(Directive open)
    {
        if (++_depth > MaxDepth)
        {
            throw Invalid($"at most {MaxDepth} nested <#if> and <#list> blocks", $"<#{open.Name}>", open.Position);
        }
    }

    private void ExpectClosing(Directive open, Directive? stop)
    {
        if (stop is null)
        {
            throw Unclosed(open);
        }

        if (!stop.Closing || stop.Name != open.Name)
        {
            throw Stray(stop);
        }
    }

    private static void NoArguments(Directive directive)
    {
        if (directive.Arguments.Length > 0)
        {
            throw Invalid($"<#{directive.Name}> without arguments", $"<#{directive.Name} {directive.Arguments}>", directive.Position);
        }
    }

    private SqlTemplateException Unclosed(Directive open) =>
        Invalid($"</#{open.Name}> closing the <#{open.Name}> at {open.Position}", "end of template", PositionAt(_text.Length));

    private SqlTemplateException Stray(Directive directive) =>
        Invalid("text, ${value} or a block", directive.Closing ? $"</#{directive.Name}>" : $"<#{directive.Name}> outside its block", directive.Position);

    private static SqlTemplateException Invalid(string expected, string found, SourcePosition position) =>
        new(SqlTemplateException.InvalidTemplateCode, $"Expected: {expected}, found: {found}", position);

    private static bool IsName(string text)
    {
        if (text.Length == 0 || !(char.IsAsciiLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private char CharAt(int index) => index < _text.Length ? _text[index] : '\0';

    /// <summary>The position of <paramref name="offset"/>; counts line breaks forward from the last call, so calls are cheap in text order.</summary>
    private SourcePosition PositionAt(int offset)
    {
        if (offset < _countedTo)
        {
            (_countedTo, _line, _lineStart) = (0, 1, 0);
        }

        for (; _countedTo < offset; _countedTo++)
        {
            if (_text[_countedTo] == '\n')
            {
                _line++;
                _lineStart = _countedTo + 1;
            }
        }

        return new SourcePosition(offset, _line, offset - _lineStart + 1);
    }

    private sealed record Directive(string Name, string Arguments, bool Closing, SourcePosition Position);
}
