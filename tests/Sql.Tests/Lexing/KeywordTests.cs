using Hera.Sql.Lexing;

namespace Hera.Sql.Tests.Lexing;

/// <summary>Keywords against names: case, reservation, and words that only look like keywords.</summary>
public sealed class KeywordTests
{
    /// <summary>The keywords the analytic subset of the grammar needs, as listed in the SQL layer's brief.</summary>
    public static TheoryData<string> AnalyticKeywords => new(
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "WITH", "UNION", "INTERSECT",
        "EXCEPT", "ALL", "DISTINCT", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "ON", "USING", "AS",
        "AND", "OR", "NOT", "IN", "EXISTS", "BETWEEN", "LIKE", "ESCAPE", "IS", "NULL", "TRUE", "FALSE", "CASE", "WHEN",
        "THEN", "ELSE", "END", "CAST", "TRY_CAST", "DATE", "TIMESTAMP", "INTERVAL", "OVER", "PARTITION", "ROWS",
        "RANGE", "ASC", "DESC", "NULLS", "FIRST", "LAST", "FETCH");

    [Theory]
    [MemberData(nameof(AnalyticKeywords))]
    public void Every_keyword_the_analytic_grammar_needs_is_recognised_in_any_case(string keyword)
    {
        var capitalised = keyword[0] + keyword[1..].ToLowerInvariant();
        foreach (var spelling in new[] { keyword, keyword.ToLowerInvariant(), capitalised })
        {
            var token = Lex.Single(spelling);

            Assert.Equal(TokenKind.Keyword, token.Kind);
            Assert.Equal(keyword, token.Value);
            Assert.True(token.IsKeyword(keyword));
        }
    }

    [Fact]
    public void Keyword_values_are_shared_strings_not_new_ones()
    {
        var first = Lex.Single("select");
        var second = Lex.Single("SeLeCt");

        Assert.Same(first.Value, second.Value);
    }

    [Fact]
    public void A_keyword_keeps_its_spelling_in_the_source_text()
    {
        const string Sql = "SELECT Last FROM t";

        var last = Lex.Tokens(Sql)[1];

        Assert.Equal("LAST", last.Value);
        Assert.Equal("Last", last.SourceText(Sql));
    }

    [Theory]
    [InlineData("SELECT", true)]
    [InlineData("FROM", true)]
    [InlineData("CURRENT_DATE", true)]
    [InlineData("LIMIT", false)]
    [InlineData("DATE", false)]
    [InlineData("FIRST", false)]
    public void Reserved_words_are_told_from_non_reserved_keywords(string keyword, bool reserved)
    {
        Assert.Equal(reserved, SqlKeywords.IsReserved(keyword));
    }

    [Fact]
    public void The_keyword_lists_are_upper_case_and_disjoint()
    {
        var all = SqlKeywords.Reserved.Concat(SqlKeywords.NonReserved).ToList();

        Assert.All(all, k => Assert.Equal(k.ToUpperInvariant(), k));
        Assert.Empty(SqlKeywords.Reserved.Intersect(SqlKeywords.NonReserved));
    }

    [Theory]
    [InlineData("OrderDate")]
    [InlineData("order_items")]
    [InlineData("selected")]
    [InlineData("from_date")]
    [InlineData("_select")]
    [InlineData("t1")]
    [InlineData("_")]
    public void Other_words_are_identifiers_kept_as_written(string word)
    {
        var token = Lex.Single(word);

        Assert.Equal(TokenKind.Identifier, token.Kind);
        Assert.Equal(word, token.Value);
    }

    [Theory]
    [InlineData("Café")]
    [InlineData("数据")]
    [InlineData("數據表_1")]
    [InlineData("Cafe\u0301")]
    [InlineData("naïve_数据2")]
    [InlineData("𠀀字")]
    public void Identifiers_may_hold_non_ascii_letters(string word)
    {
        var token = Lex.Single(word);

        Assert.Equal(TokenKind.Identifier, token.Kind);
        Assert.Equal(word, token.Value);
    }

    [Fact]
    public void A_word_with_a_non_ascii_lookalike_letter_is_not_a_keyword()
    {
        var token = Lex.Single("lımıt");

        Assert.Equal(TokenKind.Identifier, token.Kind);
    }

    [Fact]
    public void A_double_quoted_keyword_is_a_name()
    {
        var token = Lex.Single("\"select\"");

        Assert.Equal(TokenKind.QuotedIdentifier, token.Kind);
        Assert.Equal("select", token.Value);
        Assert.False(token.IsKeyword("SELECT"));
    }
}
