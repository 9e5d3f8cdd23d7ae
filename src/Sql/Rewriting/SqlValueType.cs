namespace Hera.Sql.Rewriting;

/// <summary>
/// The coarse type of a value, as far as the lowering needs it: whether <c>/</c> divides integers, whether a
/// date-time function gets a DATE or a TIMESTAMP. <see cref="Unknown"/> whenever it cannot be told from literals,
/// casts, functions and the column catalog; rules that depend on the type then decline rather than guess.
/// </summary>
public enum SqlValueType
{
    /// <summary>Not known.</summary>
    Unknown,

    /// <summary>The NULL literal: takes the type of whatever it meets.</summary>
    Null,

    /// <summary>BOOLEAN.</summary>
    Boolean,

    /// <summary>TINYINT, SMALLINT, INTEGER or BIGINT.</summary>
    Integer,

    /// <summary>DECIMAL(p, s).</summary>
    Decimal,

    /// <summary>REAL or DOUBLE.</summary>
    Double,

    /// <summary>VARCHAR or CHAR.</summary>
    String,

    /// <summary>DATE.</summary>
    Date,

    /// <summary>TIMESTAMP (with or without time zone).</summary>
    Timestamp,

    /// <summary>An INTERVAL.</summary>
    Interval,
}
