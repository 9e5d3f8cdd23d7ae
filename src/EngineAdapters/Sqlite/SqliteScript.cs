namespace Hera.EngineAdapters.Sqlite;

/// <summary>Tells whether the rest of a script (after a statement SQLite prepared) holds another statement.</summary>
internal static class SqliteScript
{
    /// <summary>
    /// True when <paramref name="utf8"/> contains anything besides whitespace, semicolons and comments
    /// (<c>-- to end of line</c>, <c>/* to */</c>, an unterminated one running to the end, as in SQLite's tokenizer).
    /// </summary>
    public static bool HasMoreStatements(ReadOnlySpan<byte> utf8)
    {
        var i = 0;
        while (i < utf8.Length)
        {
            var current = utf8[i];
            if (current is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f' or (byte)';')
            {
                i++;
            }
            else if (current == '-' && i + 1 < utf8.Length && utf8[i + 1] == '-')
            {
                var end = utf8[i..].IndexOf((byte)'\n');
                i = end < 0 ? utf8.Length : i + end + 1;
            }
            else if (current == '/' && i + 1 < utf8.Length && utf8[i + 1] == '*')
            {
                var end = utf8[(i + 2)..].IndexOf("*/"u8);
                i = end < 0 ? utf8.Length : i + 2 + end + 2;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
