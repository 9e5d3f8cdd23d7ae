using Hera.Sql.Lexing;

namespace Hera.Sql.Templates;

/// <summary>
/// A template or its parameters cannot make a statement: always the caller's mistake, served as a 400 problem
/// whose <c>code</c> is <see cref="Code"/>. The message says what is wrong and where, and is meant for the caller
/// as is: <c>parameter 'from': expected a date written yyyy-MM-dd, found "2026-13-01" at line 3, column 18</c>.
/// </summary>
public sealed class SqlTemplateException : Exception
{
    /// <summary>The template text is not a valid template (an unclosed directive, a value inside quotes, ...).</summary>
    public const string InvalidTemplateCode = "invalid_template";

    /// <summary>A rendered part of the template refers to a parameter the job did not give.</summary>
    public const string MissingParameterCode = "missing_parameter";

    /// <summary>A parameter's JSON value has the wrong type or form for where it is used (or parameters is not an object).</summary>
    public const string InvalidParameterCode = "invalid_parameter";

    /// <summary>Creates the exception; <paramref name="message"/> should not repeat the position, which is appended.</summary>
    /// <param name="code">One of the <c>…Code</c> constants of this class.</param>
    /// <param name="message">What is wrong, for the caller.</param>
    /// <param name="position">Where in the template, or null when the problem has no place in it.</param>
    /// <param name="parameter">The parameter concerned, or null.</param>
    public SqlTemplateException(string code, string message, SourcePosition? position = null, string? parameter = null)
        : base(position is { } at ? $"{message} at {at}" : message)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        Code = code;
        Position = position;
        Parameter = parameter;
    }

    /// <summary>The stable problem code: <see cref="InvalidTemplateCode"/>, <see cref="MissingParameterCode"/> or <see cref="InvalidParameterCode"/>.</summary>
    public string Code { get; }

    /// <summary>Where in the template text the problem is (1-based line and column), or null.</summary>
    public SourcePosition? Position { get; }

    /// <summary>The name of the parameter concerned, or null when none is.</summary>
    public string? Parameter { get; }
}
