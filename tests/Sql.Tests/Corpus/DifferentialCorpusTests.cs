using Hera.Sql.Parsing;

namespace Hera.Sql.Tests.Corpus;

/// <summary>
/// The differential-harness corpus (<c>tests/ClientGateway.Tests/Sql/differential-queries.sql</c>, copied next to
/// this assembly by the csproj) is well formed, large enough, and parses wherever it does not declare a parser gap.
/// </summary>
public sealed class DifferentialCorpusTests
{
    private static readonly IReadOnlyList<CorpusQuery> Queries = CorpusQuery.Load(
        Path.Combine(AppContext.BaseDirectory, "Corpus", "differential-queries.sql"));

    public static TheoryData<string> Names => [.. Queries.Select(q => q.Name)];

    [Fact]
    public void The_corpus_holds_at_least_70_queries_with_unique_kebab_names()
    {
        Assert.True(Queries.Count >= 70, $"{Queries.Count} queries");
        Assert.Equal(Queries.Count, Queries.Select(q => q.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Queries, q => Assert.Matches("^[a-z0-9]+(-[a-z0-9]+)*$", q.Name));
        Assert.All(Queries, q => Assert.False(string.IsNullOrWhiteSpace(q.Sql), q.Name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_query_parses_unless_it_declares_a_parser_gap(string name)
    {
        var query = Queries.Single(q => q.Name == name);
        if (query.ParserGap is not null)
        {
            // A declared gap must be real: when the parser learns the construct, the hint has to go.
            Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseQuery(query.Sql));
            return;
        }

        SqlParser.ParseQuery(query.Sql);
    }

    [Fact]
    public void Queries_with_limit_order_their_rows()
    {
        Assert.All(
            Queries.Where(q => q.ParserGap is null),
            q =>
            {
                var parsed = SqlParser.ParseQuery(q.Sql);
                Assert.True(parsed.Limit is null || !parsed.OrderBy.IsEmpty, $"{q.Name}: LIMIT without ORDER BY");
            });
    }

    /// <summary>One entry of the corpus: its name, hint lines and text.</summary>
    private sealed record CorpusQuery(string Name, string? ParserGap, IReadOnlyList<string> Expectations, string Sql)
    {
        private const string NamePrefix = "-- name:";
        private const string GapPrefix = "-- parser-gap:";
        private const string ExpectPrefix = "-- expect:";

        /// <summary>Reads the file: pieces separated by a line holding only <c>;</c>, each opening with <c>-- name:</c>.</summary>
        public static IReadOnlyList<CorpusQuery> Load(string path)
        {
            var pieces = File.ReadAllText(path).ReplaceLineEndings("\n").Split("\n;\n");
            var queries = new List<CorpusQuery>();
            foreach (var piece in pieces)
            {
                var lines = piece.Split('\n').SkipWhile(line => !line.StartsWith(NamePrefix, StringComparison.Ordinal)).ToList();
                if (lines.Count == 0)
                {
                    Assert.True(string.IsNullOrWhiteSpace(piece) || piece.TrimStart().StartsWith("--", StringComparison.Ordinal), $"a piece without a name: {piece}");
                    continue;
                }

                var hints = lines.Skip(1).TakeWhile(line => line.StartsWith("-- ", StringComparison.Ordinal)).ToList();
                queries.Add(new CorpusQuery(
                    lines[0][NamePrefix.Length..].Trim(),
                    hints.FirstOrDefault(h => h.StartsWith(GapPrefix, StringComparison.Ordinal))?[GapPrefix.Length..].Trim(),
                    [.. hints.Where(h => h.StartsWith(ExpectPrefix, StringComparison.Ordinal)).Select(h => h[ExpectPrefix.Length..].Trim())],
                    string.Join('\n', lines.Skip(1 + hints.Count)).Trim()));
            }

            return queries;
        }
    }
}
