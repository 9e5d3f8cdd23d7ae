using System.Buffers;
using Hera.Sql.Lexing;
using Hera.Sql.Syntax;

namespace Hera.Sql.Parsing;

// Design note.
//
// A hand-written recursive-descent parser over the token list of SqlLexer, with an index (sqlparser-rs'
// src/parser/mod.rs is the model). One method per grammar rule, split by family: this file holds the entry
// points and token helpers, .Query.cs the query and set-operation rules, .Select.cs the SELECT clauses,
// .Relations.cs FROM and joins, .Expressions.cs and .Primaries.cs the expression levels, .Types.cs data types.
//
// Expression precedence follows Trino's grammar, loosest first: OR, AND, NOT, the predicate (comparison, IS, IN,
// BETWEEN, LIKE: one per operand, not chained), ||, + -, * / %, unary - +. One method per level down to the
// predicate; the three left-associative arithmetic levels share one precedence-climbing loop. Parentheses leave
// no node; the tree's shape is the grouping.
//
// Depth guard: every rule that can recurse into itself (queries, expressions, NOT and unary chains, relations,
// data types) enters a nesting level; past MaxDepth it throws SqlSyntaxException rather than letting hostile or
// generated SQL overflow the stack, which would kill the process.
//
// Errors: each throws SqlSyntaxException with what was expected and the offending token, at that token's
// position. Expected-words: a keyword upper-case (AS), punctuation as itself ()), or a phrase (an expression,
// an identifier, a data type, end of statement).

/// <summary>
/// Parses the analytic subset of Trino SQL into the syntax tree of <see cref="Syntax"/>: WITH, SELECT [DISTINCT],
/// joins with ON and USING, derived tables, subqueries (scalar, IN, EXISTS), GROUP BY (ordinals included), HAVING,
/// window functions with frames, ORDER BY with NULLS FIRST/LAST, OFFSET/LIMIT, UNION/INTERSECT/EXCEPT, CASE,
/// CAST and TRY_CAST, typed and interval literals. Stateless for callers: use the static methods, which are
/// thread-safe.
/// </summary>
public sealed partial class SqlParser
{
    /// <summary>
    /// The deepest nesting accepted (parentheses, subqueries, NOT and sign chains, nested types); deeper text is a
    /// <see cref="SqlSyntaxException"/> that says <c>Expected: at most 200 levels of nesting</c>.
    /// </summary>
    public const int MaxDepth = 200;

    // Non-reserved keywords that may follow a relation or a select item, so they are not read as an alias there.
    private static readonly HashSet<string> ClauseKeywords = ["LIMIT", "OFFSET", "FETCH", "WINDOW"];

    private readonly string _sql;
    // The tokens, in an array rented from ArrayPool<Token>.Shared for the parse and returned by Release; the
    // first _count are the statement's, the last of them EndOfInput.
    private Token[] _tokens;
    private readonly int _count;
    private int _index;
    private int _depth;

    // A stack the list rules build their lists on (see BeginList), rented with the tokens: a list in progress
    // occupies _scratch[mark.._scratchTop), and an inner list (arguments inside a select item) is built and popped
    // above it before the outer one continues. Saves a List<T> and its regrowth per list.
    private object?[] _scratch;
    private int _scratchTop;

    private SqlParser(string sql)
    {
        _sql = sql;
        _tokens = ArrayPool<Token>.Shared.Rent(SqlLexer.InitialCapacity(sql));
        _scratch = ArrayPool<object?>.Shared.Rent(64);
        try
        {
            _count = SqlLexer.TokenizeInto(sql, ref _tokens, pooled: true);
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>
    /// Parses one query statement: <paramref name="sql"/> must hold exactly one query, optionally followed by
    /// <c>;</c>, with any white space and comments around it.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="sql"/> is null.</exception>
    /// <exception cref="SqlSyntaxException">
    /// The text is not such a query: the message says what was expected, what was found and where
    /// (<c>Expected: an expression, found: FROM at line 1, column 8</c>).
    /// </exception>
    public static Query ParseQuery(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var parser = new SqlParser(sql);
        try
        {
            var query = parser.ParseQuery();
            parser.TryToken(TokenKind.Semicolon);
            parser.ExpectEnd();
            return query;
        }
        finally
        {
            parser.Release();
        }
    }

    /// <summary>Parses <paramref name="sql"/> as one expression with nothing after it (no <c>;</c>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="sql"/> is null.</exception>
    /// <exception cref="SqlSyntaxException">The text is not one expression.</exception>
    public static Expression ParseExpression(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var parser = new SqlParser(sql);
        try
        {
            var expression = parser.ParseExpression();
            parser.ExpectEnd();
            return expression;
        }
        finally
        {
            parser.Release();
        }
    }

    private ref readonly Token Current => ref _tokens[_index];

    private ref readonly Token Peek(int ahead = 1) => ref _tokens[Math.Min(_index + ahead, _count - 1)];

    /// <summary>Returns the token array to the pool (cleared, so it holds no strings); the parser is done.</summary>
    private void Release()
    {
        ArrayPool<Token>.Shared.Return(_tokens, clearArray: true);
        _tokens = [];
        ArrayPool<object?>.Shared.Return(_scratch, clearArray: true);
        _scratch = [];
    }

    /// <summary>Starts a list on the scratch stack; returns the mark to pass to <see cref="EndList{T}"/>.</summary>
    private int BeginList() => _scratchTop;

    /// <summary>Adds <paramref name="item"/> to the list being built at the top of the scratch stack.</summary>
    private void Push(object item)
    {
        if (_scratchTop == _scratch.Length)
        {
            var larger = ArrayPool<object?>.Shared.Rent(_scratch.Length * 2);
            Array.Copy(_scratch, larger, _scratchTop);
            ArrayPool<object?>.Shared.Return(_scratch, clearArray: true);
            _scratch = larger;
        }

        _scratch[_scratchTop++] = item;
    }

    /// <summary>The items pushed since <paramref name="mark"/>, in order, as a list; pops them.</summary>
    private SyntaxList<T> EndList<T>(int mark)
        where T : class
    {
        var count = _scratchTop - mark;
        if (count == 0)
        {
            return SyntaxList<T>.Empty;
        }

        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = (T)_scratch[mark + i]!;
        }

        Array.Clear(_scratch, mark, count);
        _scratchTop = mark;
        return SyntaxList<T>.Adopt(items);
    }

    private void ExpectEnd()
    {
        if (!At(TokenKind.EndOfInput))
        {
            throw Unexpected("end of statement");
        }
    }

    private Token Advance()
    {
        var token = Current;
        if (token.Kind != TokenKind.EndOfInput)
        {
            _index++;
        }

        return token;
    }

    private bool At(TokenKind kind) => Current.Kind == kind;

    private bool AtKeyword(string keyword) => Current.IsKeyword(keyword);

    private bool TryKeyword(string keyword)
    {
        if (!AtKeyword(keyword))
        {
            return false;
        }

        _index++;
        return true;
    }

    private bool TryToken(TokenKind kind)
    {
        if (!At(kind))
        {
            return false;
        }

        _index++;
        return true;
    }

    private Token ExpectKeyword(string keyword) => AtKeyword(keyword) ? Advance() : throw Unexpected(keyword);

    private Token Expect(TokenKind kind, string expected) => At(kind) ? Advance() : throw Unexpected(expected);

    private Token ExpectRightParen() => Expect(TokenKind.RightParen, ")");

    private SqlSyntaxException Unexpected(string expected) => new(expected, Current.Describe(_sql), Current.Start);

    /// <summary>Enters one nesting level; dispose the result to leave it.</summary>
    private DepthScope Nest()
    {
        if (++_depth > MaxDepth)
        {
            throw Unexpected($"at most {MaxDepth} levels of nesting");
        }

        return new DepthScope(this);
    }

    /// <summary>True when the token after the current <c>(</c> starts a query.</summary>
    private bool AtParenthesisedQuery() =>
        At(TokenKind.LeftParen) && (Peek().IsKeyword("SELECT") || Peek().IsKeyword("WITH"));

    private readonly struct DepthScope(SqlParser parser) : IDisposable
    {
        public void Dispose() => parser._depth--;
    }
}
