using Hera.Grains.Interfaces.Errors;
using Hera.Sql;

namespace Hera.ClientGateway.Problems;

/// <summary>The <c>invalid_sql</c> problem, one spelling for every endpoint that reads SQL.</summary>
public static class SqlProblems
{
    /// <summary><c>invalid_sql</c> with the parser's message as detail and its <c>position</c> (line, column, offset).</summary>
    public static HeraProblemException InvalidSql(SqlSyntaxException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(ProblemCodes.InvalidSql, e.Message, new Dictionary<string, object?>
        {
            ["position"] = new { line = e.Position.Line, column = e.Position.Column, offset = e.Position.Offset },
        });
    }
}
