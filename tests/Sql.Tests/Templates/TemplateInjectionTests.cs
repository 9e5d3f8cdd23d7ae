using Hera.Sql.Parsing;
using Hera.Sql.Syntax;
using Hera.Sql.Templates;
using static Hera.Sql.Tests.Templates.Tpl;

namespace Hera.Sql.Tests.Templates;

/// <summary>
/// Classic injection payloads in parameter values change nothing but the value compared: with placeholders the
/// SQL text does not depend on the value at all; with literals the statement parses to the same tree with only
/// the literal's value changed.
/// </summary>
public sealed class TemplateInjectionTests
{
    private const string Template = "SELECT order_id FROM orders WHERE status = ${status} ORDER BY order_id";

    public static TheoryData<string> Payloads => new()
    {
        "x' OR '1'='1",
        "paid'; DROP TABLE orders; --",
        "1; DROP TABLE t",
        "'--",
        "' --",
        "'/*",
        "*/ OR 1=1 /*",
        "\\' OR 1=1 --",
        "\\",
        "it\\'s",
        "\u2019 OR \u20181\u2019=\u20181",
        "\uFF07 OR 1=1 --",
        "\u02BC OR 1=1",
        "paid\n-- comment\nOR 1=1",
        "paid\r\nUNION SELECT 1",
        "\" OR \"\"=\"",
        "@p1",
        "${status}",
        "<#if x??>",
        "'' OR ''='",
        "paid' UNION ALL SELECT user_id FROM users --",
        "\t\v\f\u00A0\u2028",
        "😀' OR '😀'='😀",
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void With_placeholders_the_text_is_the_same_whatever_the_value(string payload)
    {
        var rendered = SqlTemplate.Parse(Template).Render(Json(JsonObject("status", payload)));

        Assert.Equal("SELECT order_id FROM orders WHERE status = @p0 ORDER BY order_id", rendered.Sql);
        Assert.Equal(payload, Assert.Single(rendered.Parameters).Value);
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void With_literals_the_statement_has_one_comparison_against_one_string_holding_the_payload(string payload)
    {
        var sql = SqlTemplate.Parse(Template).Render(Json(JsonObject("status", payload)), TemplateValueMode.Literals).Sql;

        var query = SqlParser.ParseQuery(sql);

        var select = Assert.IsType<Select>(query.Body);
        var comparison = Assert.IsType<BinaryExpression>(select.Where);
        Assert.Equal(BinaryOperator.Equal, comparison.Operator);
        Assert.Equal("status", Assert.IsType<ColumnReference>(comparison.Left).Name.Last.Value);
        Assert.Equal(payload, Assert.IsType<StringLiteral>(comparison.Right).Value);

        // The same tree as the template with a harmless value, once the value is set aside.
        var reference = SqlParser.ParseQuery("SELECT order_id FROM orders WHERE status = 'v' ORDER BY order_id");
        Assert.Equal(reference, query with { Body = select with { Where = comparison with { Right = new StringLiteral("v", default) } } });
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Payloads_in_an_in_list_and_a_like_list_stay_values(string payload)
    {
        var parameters = Json($$"""{ "ids": [{{JsonString(payload)}}], "words": [{{JsonString(payload)}}, "b"] }""");
        var template = SqlTemplate.Parse(
            "SELECT item_id FROM items WHERE title IN ${ids} AND (<#list words as w>title LIKE ${w}<#sep> OR </#list>)");

        var sql = template.Render(parameters, TemplateValueMode.Literals).Sql;

        var where = Assert.IsType<BinaryExpression>(Assert.IsType<Select>(SqlParser.ParseQuery(sql).Body).Where);
        Assert.Equal(BinaryOperator.And, where.Operator);
        var inList = Assert.IsType<InListExpression>(where.Left);
        Assert.Equal(payload, Assert.IsType<StringLiteral>(Assert.Single(inList.Items)).Value);
        var or = Assert.IsType<BinaryExpression>(where.Right);
        Assert.Equal(BinaryOperator.Or, or.Operator);
        Assert.Equal(payload, Assert.IsType<StringLiteral>(Assert.IsType<LikeExpression>(or.Left).Pattern).Value);
        Assert.Equal("b", Assert.IsType<StringLiteral>(Assert.IsType<LikeExpression>(or.Right).Pattern).Value);
        Assert.Equal(
            "SELECT item_id FROM items WHERE title IN (@p0) AND (title LIKE @p1 OR title LIKE @p2)",
            template.Render(parameters).Sql);
    }

    [Theory]
    [InlineData("1; DROP TABLE t")]
    [InlineData("1 OR 1=1")]
    [InlineData("1--")]
    public void A_typed_slot_refuses_text_instead_of_passing_it_on(string payload)
    {
        var error = Fails("SELECT * FROM orders WHERE order_id = ${id?long}", JsonObject("id", payload));

        Assert.Equal(SqlTemplateException.InvalidParameterCode, error.Code);
    }

    private static string JsonObject(string name, string value) => $$"""{ "{{name}}": {{JsonString(value)}} }""";

    private static string JsonString(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
