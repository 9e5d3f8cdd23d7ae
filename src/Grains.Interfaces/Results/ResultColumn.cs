namespace Hera.Grains.Interfaces.Results;

/// <summary>A result column: its name and Hera's engine-neutral type name.</summary>
/// <param name="Name">Column name as the engine reports it.</param>
/// <param name="Type">One of <see cref="ResultTypes"/>' names, possibly with precision (<c>decimal(12,2)</c>).</param>
public sealed record ResultColumn(string Name, string Type);

/// <summary>Engine-neutral type names used on the wire (Trino's spelling).</summary>
public static class ResultTypes
{
    /// <summary>64-bit integer.</summary>
    public const string BigInt = "bigint";

    /// <summary>32-bit integer.</summary>
    public const string Integer = "integer";

    /// <summary>IEEE double.</summary>
    public const string Double = "double";

    /// <summary>Exact decimal; written as <c>decimal(p,s)</c> when precision is known.</summary>
    public const string Decimal = "decimal";

    /// <summary>Text.</summary>
    public const string Varchar = "varchar";

    /// <summary>True/false.</summary>
    public const string Boolean = "boolean";

    /// <summary>Calendar date, serialised <c>yyyy-MM-dd</c>.</summary>
    public const string Date = "date";

    /// <summary>Date and time without zone, serialised <c>yyyy-MM-dd HH:mm:ss[.fff]</c>.</summary>
    public const string Timestamp = "timestamp";

    /// <summary>Bytes, serialised base64.</summary>
    public const string VarBinary = "varbinary";

    /// <summary>The engine gave no type (for example an all-NULL expression).</summary>
    public const string Unknown = "unknown";
}
