using Hera.Sql.Lexing;

namespace Hera.Sql;

/// <summary>
/// SQL text that cannot be read: a caller mistake, served as the <c>invalid_sql</c> problem with
/// <see cref="Position"/>. The message has the sqlparser-rs shape,
/// <c>Expected: closing quote ', found: end of input at line 3, column 14</c>, and is meant for the caller as is.
/// </summary>
public sealed class SqlSyntaxException : Exception
{
    /// <summary>Creates the exception; the message is built from the three parts.</summary>
    /// <param name="expected">What would have been valid here, e.g. <c>a statement</c>.</param>
    /// <param name="found">What is there instead: <c>end of input</c> or the offending token's text.</param>
    /// <param name="position">Where the problem is; for an unterminated literal or comment, where it opens.</param>
    public SqlSyntaxException(string expected, string found, SourcePosition position)
        : base($"Expected: {expected}, found: {found} at {position}")
    {
        Expected = expected;
        Found = found;
        Position = position;
    }

    /// <summary>What would have been valid at <see cref="Position"/>.</summary>
    public string Expected { get; }

    /// <summary>What is at <see cref="Position"/> instead (<c>end of input</c> when the text ran out).</summary>
    public string Found { get; }

    /// <summary>Where the problem is.</summary>
    public SourcePosition Position { get; }
}
