using System.Globalization;
using System.Text;
using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Printing;

// Design note.
//
// The printer writes one line with canonical spacing: keywords upper-case, one space between tokens, ", " between
// list items, "AS" before every alias, and parentheses only where the tree's shape needs them (by the same
// precedence table the parser uses, below). It is stateless: every method takes the StringBuilder it writes to,
// so one instance serves all threads.
//
// Dialect printers (PostgreSQL, SQLite, ClickHouse) derive from this class with their own SqlDialect tables
// (function names and argument order, type names, OFFSET/LIMIT order, identifier quotes) and override the
// protected virtual hooks only for what tables cannot say: literal forms, a whole function call, a data type.

/// <summary>
/// Prints a syntax tree as SQL text in one dialect. The base writes Trino's syntax, reading the
/// <see cref="SqlDialect"/> tables for names that differ; derived printers override the virtual hooks.
/// Stateless and thread-safe.
/// </summary>
public abstract partial class SqlPrinter
{
    /// <summary>Binding strength, loosest first; an operand weaker than its slot needs parentheses.</summary>
    private protected enum Precedence
    {
        Or = 1,
        And,
        Not,
        Predicate,
        Concat,
        Additive,
        Multiplicative,
        Unary,
        Primary,
    }

    /// <summary>Creates a printer for <paramref name="dialect"/>.</summary>
    protected SqlPrinter(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        Dialect = dialect;
        _writeExpression = WriteExpression;
        _writeOrderItem = WriteOrderItem;
        _writeCommonTableExpression = WriteCommonTableExpression;
        _writeIdentifier = WriteIdentifier;
        _writeSelectItem = WriteSelectItem;
        _writeRelation = WriteRelation;
        _writeDataTypeArgument = WriteDataTypeArgument;
    }

    // The list writers, bound once: a method group passed to WriteList would allocate a delegate per list.
    private readonly Action<StringBuilder, Expression> _writeExpression;
    private readonly Action<StringBuilder, OrderItem> _writeOrderItem;
    private readonly Action<StringBuilder, CommonTableExpression> _writeCommonTableExpression;
    private readonly Action<StringBuilder, Identifier> _writeIdentifier;
    private readonly Action<StringBuilder, SelectItem> _writeSelectItem;
    private readonly Action<StringBuilder, Relation> _writeRelation;
    private readonly Action<StringBuilder, DataTypeArgument> _writeDataTypeArgument;

    // One builder per thread, reused by Print(Query): a statement prints to about 1 KB, which a fresh builder of
    // 256 characters reached by growing three times. Builders that grew past MaxCachedCapacity are not kept.
    private const int CachedCapacity = 2048;
    private const int MaxCachedCapacity = 16 * 1024;

    [ThreadStatic]
    private static StringBuilder? t_cachedBuilder;

    /// <summary>The dialect's tables.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The query as SQL text, on one line, without a trailing <c>;</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    public string Print(Query query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sb = t_cachedBuilder ?? new StringBuilder(CachedCapacity);
        t_cachedBuilder = null;
        try
        {
            WriteQuery(sb, query);
            return sb.ToString();
        }
        finally
        {
            if (sb.Capacity <= MaxCachedCapacity)
            {
                t_cachedBuilder = sb.Clear();
            }
        }
    }

    /// <summary>The expression as SQL text.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="expression"/> is null.</exception>
    public string Print(Expression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var sb = new StringBuilder(64);
        WriteExpression(sb, expression);
        return sb.ToString();
    }

    /// <summary>
    /// Writes a name: bare when it was written bare and reads back as the same name, else quoted with
    /// <see cref="SqlDialect.IdentifierQuote"/>.
    /// </summary>
    protected virtual void WriteIdentifier(StringBuilder sb, Identifier identifier)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(identifier);
        if (!identifier.Quoted && IsBare(identifier.Value))
        {
            sb.Append(identifier.Value);
            return;
        }

        var (open, close) = Dialect.IdentifierQuote;
        sb.Append(open).Append(identifier.Value.Replace(close, close + close, StringComparison.Ordinal)).Append(close);
    }

    /// <summary>
    /// Writes a function call: the name and argument order from <see cref="SqlDialect.Functions"/>, then
    /// DISTINCT, the arguments, FILTER and OVER.
    /// </summary>
    protected virtual void WriteFunctionCall(StringBuilder sb, FunctionCall call)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(call);
        var arguments = (IReadOnlyList<Expression>)call.Arguments;
        if (call.Name.Parts.Count == 1
            && Dialect.Functions.TryGetValue(call.Name.Last.Value.ToLowerInvariant(), out var mapping))
        {
            sb.Append(mapping.Name);
            arguments = mapping.ArgumentOrder is { } order ? [.. order.Select(i => call.Arguments[i])] : arguments;
        }
        else if (call.Name.Parts is [{ Quoted: false } only] && IsWord(only.Value))
        {
            // A reserved word before "(" still reads as a call (trim), so function names need no quotes.
            sb.Append(only.Value);
        }
        else
        {
            WriteQualifiedName(sb, call.Name);
        }

        sb.Append('(');
        if (call.Star)
        {
            sb.Append('*');
        }

        sb.Append(call.Distinct ? "DISTINCT " : string.Empty);
        WriteList(sb, arguments, _writeExpression);
        sb.Append(')');
        if (call.Filter is not null)
        {
            sb.Append(" FILTER (WHERE ");
            WriteExpression(sb, call.Filter);
            sb.Append(')');
        }

        if (call.Over is not null)
        {
            sb.Append(" OVER ");
            WriteWindow(sb, call.Over);
        }
    }

    /// <summary>Writes a data type: the name from <see cref="SqlDialect.TypeNames"/>, its parameters, WITH TIME ZONE.</summary>
    protected virtual void WriteDataType(StringBuilder sb, DataType type)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(type);
        sb.Append(Dialect.TypeNames.TryGetValue(type.Name, out var name) ? name : type.Name);
        if (!type.Arguments.IsEmpty)
        {
            sb.Append('(');
            WriteList(sb, type.Arguments, _writeDataTypeArgument);
            sb.Append(')');
        }

        sb.Append(type.WithTimeZone ? " WITH TIME ZONE" : string.Empty);
    }

    /// <summary>Writes a literal in the dialect's form.</summary>
    protected virtual void WriteLiteral(StringBuilder sb, Literal literal)
    {
        ArgumentNullException.ThrowIfNull(sb);
        switch (literal)
        {
            case IntegerLiteral integer:
                sb.Append(integer.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case DecimalLiteral number:
                sb.Append(number.Text);
                break;
            case DoubleLiteral number:
                sb.Append(number.Text);
                break;
            case StringLiteral text:
                WriteDialectString(sb, text.Value);
                break;
            case BooleanLiteral boolean:
                sb.Append(boolean.Value ? Dialect.BooleanLiterals.True : Dialect.BooleanLiterals.False);
                break;
            case NullLiteral:
                sb.Append("NULL");
                break;
            case TypedLiteral { Type: "DATE" } date:
                WriteTypedLiteral(sb, Dialect.DateLiteral, date.Value);
                break;
            case TypedLiteral { Type: "TIMESTAMP" } timestamp:
                WriteTypedLiteral(sb, Dialect.TimestampLiteral, timestamp.Value);
                break;
            case TypedLiteral typed:
                sb.Append(typed.Type).Append(' ');
                WriteDialectString(sb, typed.Value);
                break;
            case IntervalLiteral interval:
                WriteInterval(sb, interval);
                break;
            default:
                throw Unprintable(literal);
        }
    }

    /// <summary>Writes OFFSET and LIMIT (each with a leading space) in the dialect's order.</summary>
    protected virtual void WriteOffsetAndLimit(StringBuilder sb, Query query)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(query);
        if (Dialect.OffsetBeforeLimit)
        {
            WriteClause(sb, " OFFSET ", query.Offset);
            WriteClause(sb, " LIMIT ", query.Limit);
        }
        else
        {
            WriteClause(sb, " LIMIT ", query.Limit);
            WriteClause(sb, " OFFSET ", query.Offset);
        }
    }

    /// <summary>Writes a string literal: single quotes, an inner quote doubled.</summary>
    protected static void WriteString(StringBuilder sb, string value)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(value);
        sb.Append('\'').Append(value.Replace("'", "''", StringComparison.Ordinal)).Append('\'');
    }

    /// <summary>
    /// Writes a string literal in the dialect's form: single quotes, an inner quote doubled, and a backslash doubled
    /// where <see cref="SqlDialect.BackslashEscapes"/>.
    /// </summary>
    protected void WriteDialectString(StringBuilder sb, string value)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(value);
        if (!Dialect.BackslashEscapes || !value.Contains('\\', StringComparison.Ordinal))
        {
            WriteString(sb, value);
            return;
        }

        sb.Append('\'').Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append('\'');
    }

    /// <summary>Writes a dotted name, each part through <see cref="WriteIdentifier"/>.</summary>
    protected void WriteQualifiedName(StringBuilder sb, QualifiedName name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < name.Parts.Count; i++)
        {
            sb.Append(i > 0 ? "." : string.Empty);
            WriteIdentifier(sb, name.Parts[i]);
        }
    }

    /// <summary>Writes <paramref name="items"/> separated by <c>", "</c>.</summary>
    protected static void WriteList<T>(StringBuilder sb, IReadOnlyList<T> items, Action<StringBuilder, T> write)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(write);
        for (var i = 0; i < items.Count; i++)
        {
            sb.Append(i > 0 ? ", " : string.Empty);
            write(sb, items[i]);
        }
    }

    private void WriteClause(StringBuilder sb, string keyword, Expression? expression)
    {
        if (expression is not null)
        {
            sb.Append(keyword);
            WriteExpression(sb, expression);
        }
    }

    private void WriteTypedLiteral(StringBuilder sb, string form, string value)
    {
        var at = form.IndexOf("{0}", StringComparison.Ordinal);
        sb.Append(form, 0, at);
        WriteDialectString(sb, value);
        sb.Append(form, at + 3, form.Length - at - 3);
    }

    private void WriteDataTypeArgument(StringBuilder sb, DataTypeArgument argument)
    {
        switch (argument)
        {
            case NumericTypeArgument number:
                sb.Append(number.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case TypeTypeArgument type:
                WriteDataType(sb, type.Type);
                break;
            default:
                throw Unprintable(argument);
        }
    }

    private static void WriteInterval(StringBuilder sb, IntervalLiteral interval)
    {
        sb.Append(interval.Negative ? "INTERVAL -" : "INTERVAL ");
        WriteString(sb, interval.Value);
        sb.Append(' ').Append(FieldName(interval.From));
        if (interval.To is { } to)
        {
            sb.Append(" TO ").Append(FieldName(to));
        }
    }

    private static string FieldName(IntervalField field) => field switch
    {
        IntervalField.Year => "YEAR",
        IntervalField.Month => "MONTH",
        IntervalField.Day => "DAY",
        IntervalField.Hour => "HOUR",
        IntervalField.Minute => "MINUTE",
        IntervalField.Second => "SECOND",
        _ => field.ToString().ToUpperInvariant(),
    };

    /// <summary>True when <paramref name="name"/> reads back bare as itself: a word that is not a reserved keyword.</summary>
    private static bool IsBare(string name) => IsWord(name) && !IsReservedWord(name);

    /// <summary>
    /// True when <paramref name="name"/> upper-cased (invariant) is a reserved keyword. ASCII names are looked up
    /// ignoring case without building the upper-case string; others keep the exact upper-casing rule, under which
    /// a non-ASCII letter may map to an ASCII one (U+017F ſ to S).
    /// </summary>
    private static bool IsReservedWord(string name) =>
        Ascii.IsValid(name) ? SqlKeywords.IsReservedIgnoreCase(name) : SqlKeywords.IsReserved(name.ToUpperInvariant());

    /// <summary>True when <paramref name="name"/> is a letter or underscore followed by letters, digits and underscores.</summary>
    private static bool IsWord(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static NotSupportedException Unprintable(SyntaxNode node) =>
        new($"The printer has no form for {node.GetType().Name}.");
}
