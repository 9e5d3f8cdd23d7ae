using Hera.Sql.Tests.Parsing;

namespace Hera.Sql.Tests.Rewriting;

/// <summary>SQL's keyword-argument forms read into Trino's functions and print back as calls that parse equal.</summary>
public sealed class SpecialFormTests
{
    [Theory]
    [InlineData("SELECT position('a' IN name) FROM users", "SELECT strpos(name, 'a') FROM users")]
    [InlineData("SELECT substring(name FROM 2 FOR 3) FROM users", "SELECT substring(name, 2, 3) FROM users")]
    [InlineData("SELECT substring(name FROM 2) FROM users", "SELECT substring(name, 2) FROM users")]
    [InlineData("SELECT substring(name, 2, 3) FROM users", "SELECT substring(name, 2, 3) FROM users")]
    [InlineData("SELECT trim(name) FROM users", "SELECT trim(name) FROM users")]
    [InlineData("SELECT trim(name, 'x') FROM users", "SELECT trim(name, 'x') FROM users")]
    [InlineData("SELECT trim(BOTH 'x' FROM name) FROM users", "SELECT trim(name, 'x') FROM users")]
    [InlineData("SELECT trim(LEADING 'x' FROM name) FROM users", "SELECT ltrim(name, 'x') FROM users")]
    [InlineData("SELECT trim(TRAILING FROM name) FROM users", "SELECT rtrim(name) FROM users")]
    [InlineData("SELECT trim('x' FROM name) FROM users", "SELECT trim(name, 'x') FROM users")]
    [InlineData("SELECT EXTRACT(YEAR FROM dt) FROM orders", "SELECT EXTRACT(YEAR FROM dt) FROM orders")]
    [InlineData("SELECT position(lower('A') || 'b' IN name) > 0 FROM users", "SELECT strpos(name, lower('A') || 'b') > 0 FROM users")]
    public void Reads_the_form_and_round_trips(string input, string canonical) => SqlAssert.RoundTrip(input, canonical);

    [Fact]
    public void Position_without_in_is_an_error() =>
        Assert.Equal("Expected: IN, found: , at line 1, column 20", SqlAssert.Error("SELECT position('a', name) FROM users"));
}
