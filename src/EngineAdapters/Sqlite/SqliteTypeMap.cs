using System.Collections.Frozen;
using System.Globalization;
using Hera.Grains.Interfaces.Results;
using SQLitePCL;

namespace Hera.EngineAdapters.Sqlite;

/// <summary>
/// Decides a result column's engine-neutral type (<see cref="ResultTypes"/>) from SQLite's declared column type,
/// or, for expressions, from the storage class of the first row. The rules, in order:
/// <list type="number">
/// <item>A declared type whose name (before any parenthesis, case-insensitive) is in <see cref="DeclaredNames"/>
/// maps by that table. <c>INTEGER</c>, <c>BIGINT</c> and <c>INT8</c> are <c>bigint</c> (INTEGER is SQLite's 64-bit
/// rowid type); <c>INT</c>, <c>INT4</c>, <c>MEDIUMINT</c>, <c>SMALLINT</c>, <c>INT2</c> and <c>TINYINT</c> are
/// <c>integer</c>, the SQL-standard 32-bit spelling warehouses use. <c>DECIMAL(p,s)</c>/<c>NUMERIC(p,s)</c> become
/// <c>decimal(p,s)</c>, and <c>decimal(p,0)</c> when only p is given.</item>
/// <item>Any other declared type follows SQLite's own affinity rules: containing INT is <c>bigint</c>;
/// CHAR, CLOB or TEXT is <c>varchar</c>; BLOB is <c>varbinary</c>; REAL, FLOA or DOUB is <c>double</c>.</item>
/// <item>Otherwise (an expression, or a declared type with numeric affinity such as <c>JSON</c>) the first row's
/// storage class decides: INTEGER <c>bigint</c>, REAL <c>double</c>, TEXT <c>varchar</c>, BLOB <c>varbinary</c>,
/// NULL (or no row at all) <c>unknown</c>.</item>
/// </list>
/// </summary>
internal static class SqliteTypeMap
{
    /// <summary>Declared type names Hera recognises, and what they map to.</summary>
    internal static readonly FrozenDictionary<string, (string Type, SqliteValueKind Kind)> DeclaredNames =
        new Dictionary<string, (string, SqliteValueKind)>(StringComparer.OrdinalIgnoreCase)
        {
            ["INTEGER"] = (ResultTypes.BigInt, SqliteValueKind.Integer),
            ["BIGINT"] = (ResultTypes.BigInt, SqliteValueKind.Integer),
            ["INT8"] = (ResultTypes.BigInt, SqliteValueKind.Integer),
            ["UNSIGNED BIG INT"] = (ResultTypes.BigInt, SqliteValueKind.Integer),
            ["INT"] = (ResultTypes.Integer, SqliteValueKind.Integer),
            ["INT4"] = (ResultTypes.Integer, SqliteValueKind.Integer),
            ["MEDIUMINT"] = (ResultTypes.Integer, SqliteValueKind.Integer),
            ["SMALLINT"] = (ResultTypes.Integer, SqliteValueKind.Integer),
            ["INT2"] = (ResultTypes.Integer, SqliteValueKind.Integer),
            ["TINYINT"] = (ResultTypes.Integer, SqliteValueKind.Integer),
            ["REAL"] = (ResultTypes.Double, SqliteValueKind.Double),
            ["DOUBLE"] = (ResultTypes.Double, SqliteValueKind.Double),
            ["DOUBLE PRECISION"] = (ResultTypes.Double, SqliteValueKind.Double),
            ["FLOAT"] = (ResultTypes.Double, SqliteValueKind.Double),
            ["FLOAT8"] = (ResultTypes.Double, SqliteValueKind.Double),
            ["DECIMAL"] = (ResultTypes.Decimal, SqliteValueKind.Decimal),
            ["NUMERIC"] = (ResultTypes.Decimal, SqliteValueKind.Decimal),
            ["TEXT"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["VARCHAR"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["CHAR"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["CHARACTER"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["NCHAR"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["NVARCHAR"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["CLOB"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["STRING"] = (ResultTypes.Varchar, SqliteValueKind.Text),
            ["BOOLEAN"] = (ResultTypes.Boolean, SqliteValueKind.Boolean),
            ["BOOL"] = (ResultTypes.Boolean, SqliteValueKind.Boolean),
            ["DATE"] = (ResultTypes.Date, SqliteValueKind.Date),
            ["DATETIME"] = (ResultTypes.Timestamp, SqliteValueKind.Timestamp),
            ["TIMESTAMP"] = (ResultTypes.Timestamp, SqliteValueKind.Timestamp),
            ["BLOB"] = (ResultTypes.VarBinary, SqliteValueKind.Blob),
            ["VARBINARY"] = (ResultTypes.VarBinary, SqliteValueKind.Blob),
            ["BINARY"] = (ResultTypes.VarBinary, SqliteValueKind.Blob),
            ["BYTEA"] = (ResultTypes.VarBinary, SqliteValueKind.Blob),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>SQLite's affinity rules (section 3.1 of its datatype documentation), checked in this order.</summary>
    private static readonly (string Fragment, string Type, SqliteValueKind Kind)[] AffinityRules =
    [
        ("INT", ResultTypes.BigInt, SqliteValueKind.Integer),
        ("CHAR", ResultTypes.Varchar, SqliteValueKind.Text),
        ("CLOB", ResultTypes.Varchar, SqliteValueKind.Text),
        ("TEXT", ResultTypes.Varchar, SqliteValueKind.Text),
        ("BLOB", ResultTypes.VarBinary, SqliteValueKind.Blob),
        ("REAL", ResultTypes.Double, SqliteValueKind.Double),
        ("FLOA", ResultTypes.Double, SqliteValueKind.Double),
        ("DOUB", ResultTypes.Double, SqliteValueKind.Double),
    ];

    /// <summary>
    /// The type of a column declared as <paramref name="declaredType"/> (null for expressions) whose first row
    /// holds a value of SQLite storage class <paramref name="firstRowStorage"/> (<c>SQLITE_NULL</c> when there is no row).
    /// </summary>
    public static SqliteColumnType Map(string? declaredType, int firstRowStorage)
    {
        var declared = declaredType?.Trim();
        if (string.IsNullOrEmpty(declared))
        {
            return FromStorage(firstRowStorage);
        }

        var open = declared.IndexOf('(', StringComparison.Ordinal);
        var name = string.Join(' ', (open < 0 ? declared : declared[..open]).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (DeclaredNames.TryGetValue(name, out var known))
        {
            return known.Kind == SqliteValueKind.Decimal
                ? DecimalType(open < 0 ? null : declared[(open + 1)..])
                : new SqliteColumnType(known.Type, known.Kind);
        }

        foreach (var (fragment, type, kind) in AffinityRules)
        {
            if (name.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return new SqliteColumnType(type, kind);
            }
        }

        return FromStorage(firstRowStorage);
    }

    private static SqliteColumnType FromStorage(int storage) => storage switch
    {
        raw.SQLITE_INTEGER => new SqliteColumnType(ResultTypes.BigInt, SqliteValueKind.Stored),
        raw.SQLITE_FLOAT => new SqliteColumnType(ResultTypes.Double, SqliteValueKind.Stored),
        raw.SQLITE_TEXT => new SqliteColumnType(ResultTypes.Varchar, SqliteValueKind.Stored),
        raw.SQLITE_BLOB => new SqliteColumnType(ResultTypes.VarBinary, SqliteValueKind.Stored),
        _ => new SqliteColumnType(ResultTypes.Unknown, SqliteValueKind.Stored),
    };

    /// <summary><c>decimal(p,s)</c> from the text after the parenthesis (<c>12, 2)</c>), or bare <c>decimal</c>.</summary>
    private static SqliteColumnType DecimalType(string? arguments)
    {
        var parts = arguments?.TrimEnd(')', ' ').Split(',', StringSplitOptions.TrimEntries) ?? [];
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var precision)
            && precision > 0)
        {
            var scale = 0;
            if (parts.Length == 2
                && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out scale) || scale > precision))
            {
                return new SqliteColumnType(ResultTypes.Decimal, SqliteValueKind.Decimal);
            }

            return new SqliteColumnType(
                string.Create(CultureInfo.InvariantCulture, $"{ResultTypes.Decimal}({precision},{scale})"),
                SqliteValueKind.Decimal,
                scale);
        }

        return new SqliteColumnType(ResultTypes.Decimal, SqliteValueKind.Decimal);
    }
}

/// <summary>How values of a result column are converted for <see cref="Abstractions.IRowStream.GetValue"/>.</summary>
internal enum SqliteValueKind
{
    /// <summary>Each value as stored: long, double, string or byte[] (expression columns).</summary>
    Stored,

    /// <summary>Integers as long.</summary>
    Integer,

    /// <summary>Floating point as double.</summary>
    Double,

    /// <summary>Exact decimals, rounded to the declared scale.</summary>
    Decimal,

    /// <summary>Text as string.</summary>
    Text,

    /// <summary>0/1 (or 'true'/'false') as bool.</summary>
    Boolean,

    /// <summary>'yyyy-MM-dd' text as DateOnly.</summary>
    Date,

    /// <summary>'yyyy-MM-dd HH:mm:ss[.fff]' text as DateTime.</summary>
    Timestamp,

    /// <summary>Bytes as byte[].</summary>
    Blob,
}

/// <summary>A result column's neutral type name and how its values are read.</summary>
/// <param name="Type">The <see cref="ResultTypes"/> name, possibly with precision.</param>
/// <param name="Kind">The value conversion.</param>
/// <param name="Scale">Decimal places of a <c>decimal(p,s)</c> column; null otherwise.</param>
internal sealed record SqliteColumnType(string Type, SqliteValueKind Kind, int? Scale = null);
