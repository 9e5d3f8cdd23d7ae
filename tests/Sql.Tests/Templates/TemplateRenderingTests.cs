using Hera.Sql.Parsing;
using Hera.Sql.Printing;
using Hera.Sql.Templates;
using static Hera.Sql.Tests.Templates.Tpl;

namespace Hera.Sql.Tests.Templates;

/// <summary>What a template renders to: placeholders and their typed values, blocks, lists, literals.</summary>
public sealed class TemplateRenderingTests
{
    [Fact]
    public void Each_value_becomes_a_numbered_placeholder_with_its_typed_value()
    {
        var rendered = Render(
            "SELECT * FROM orders WHERE status = ${status} AND order_id > ${id} AND channel = ${status}",
            """{ "status": "paid", "id": 42 }""");

        Assert.Equal("SELECT * FROM orders WHERE status = @p0 AND order_id > @p1 AND channel = @p2", rendered.Sql);
        Assert.Equal(new Dictionary<string, object?> { ["p0"] = "paid", ["p1"] = 42L, ["p2"] = "paid" }, rendered.Parameters);
    }

    [Theory]
    [InlineData("42", typeof(long))]
    [InlineData("-9223372036854775808", typeof(long))]
    [InlineData("9223372036854775808", typeof(decimal))]
    [InlineData("1.50", typeof(decimal))]
    [InlineData("1e400", null)]
    [InlineData("1e300", typeof(double))]
    [InlineData("\"2026-01-01\"", typeof(string))]
    [InlineData("true", typeof(bool))]
    [InlineData("null", null)]
    public void Without_a_format_the_json_kind_decides_the_type(string json, Type? expected)
    {
        if (json == "1e400")
        {
            Assert.Equal(SqlTemplateException.InvalidParameterCode, Fails("SELECT ${v}", $$"""{ "v": {{json}} }""").Code);
            return;
        }

        var value = Render("SELECT ${v}", $$"""{ "v": {{json}} }""").Parameters["p0"];

        Assert.Equal(expected, value?.GetType());
    }

    [Fact]
    public void Formats_type_and_validate_values()
    {
        var rendered = Render(
            "SELECT ${d?date}, ${t?datetime}, ${t2?datetime}, ${n?long}, ${x?number}, ${r?double}, ${s?string}, ${b?boolean}",
            """{ "d": "2026-02-28", "t": "2026-02-28T10:11:12.5", "t2": "2026-02-28 10:11:12", "n": 7, "x": 2.25, "r": 2, "s": "é", "b": false }""");

        Assert.Equal(
            new object?[] { new DateOnly(2026, 2, 28), new DateTime(2026, 2, 28, 10, 11, 12, 500), new DateTime(2026, 2, 28, 10, 11, 12), 7L, 2.25m, 2d, "é", false },
            rendered.Parameters.Values.ToArray());
    }

    [Theory]
    [InlineData("${d?date}", """{ "d": "2026-02-30" }""")]
    [InlineData("${d?date}", """{ "d": "2026-2-3" }""")]
    [InlineData("${d?date}", """{ "d": "2026-02-03' OR '1'='1" }""")]
    [InlineData("${d?date}", """{ "d": 20260203 }""")]
    [InlineData("${t?datetime}", """{ "t": "2026-02-03T10:00:00Z" }""")]
    [InlineData("${n?long}", """{ "n": "1; DROP TABLE t" }""")]
    [InlineData("${n?long}", """{ "n": 1.5 }""")]
    [InlineData("${s?string}", """{ "s": 1 }""")]
    [InlineData("${b?boolean}", """{ "b": "true" }""")]
    [InlineData("${v}", """{ "v": { "a": 1 } }""")]
    [InlineData("${v}", """{ "v": [] }""")]
    [InlineData("${v}", """{ "v": [[1]] }""")]
    [InlineData("${v}", """{ "v": "a\u0000b" }""")]
    public void A_value_of_the_wrong_type_or_form_is_invalid_parameter(string value, string parameters)
    {
        var error = Fails("SELECT " + value, parameters);

        Assert.Equal(SqlTemplateException.InvalidParameterCode, error.Code);
        Assert.NotNull(error.Parameter);
        Assert.Equal(1, error.Position?.Line);
    }

    [Fact]
    public void Null_binds_sql_null_whatever_the_format()
    {
        Assert.Null(Render("SELECT ${d?date}", """{ "d": null }""").Parameters["p0"]);
        Assert.Equal("SELECT NULL", Literal("SELECT ${d?date}", """{ "d": null }"""));
    }

    [Fact]
    public void An_array_value_expands_to_a_parenthesised_list_for_in()
    {
        var rendered = Render("SELECT * FROM items WHERE item_id IN ${ids?long}", """{ "ids": [3, 1, 2] }""");

        Assert.Equal("SELECT * FROM items WHERE item_id IN (@p0, @p1, @p2)", rendered.Sql);
        Assert.Equal([3L, 1L, 2L], rendered.Parameters.Values);
        Assert.Equal("SELECT * FROM items WHERE item_id IN (3, 1, 2)", Literal("SELECT * FROM items WHERE item_id IN ${ids?long}", """{ "ids": [3, 1, 2] }"""));
    }

    [Fact]
    public void An_optional_block_renders_only_when_its_parameter_is_given()
    {
        const string template = """
            SELECT order_id FROM orders
            WHERE dt >= ${from?date}
            <#if channel??>  AND channel = ${channel}
            </#if>ORDER BY order_id
            """;

        Assert.Equal("SELECT order_id FROM orders\nWHERE dt >= @p0\nORDER BY order_id", Render(template, """{ "from": "2026-01-01" }""").Sql);
        Assert.Equal("SELECT order_id FROM orders\nWHERE dt >= @p0\nORDER BY order_id", Render(template, """{ "from": "2026-01-01", "channel": null }""").Sql);
        Assert.Equal(
            "SELECT order_id FROM orders\nWHERE dt >= @p0\n  AND channel = @p1\nORDER BY order_id",
            Render(template, """{ "from": "2026-01-01", "channel": "app" }""").Sql);
    }

    [Theory]
    [InlineData("""{ "detail": true }""", "SELECT dt, channel")]
    [InlineData("""{ "detail": false, "byChannel": true }""", "SELECT channel")]
    [InlineData("""{ "detail": false }""", "SELECT dt")]
    public void If_elseif_else_takes_the_first_branch_that_holds(string parameters, string expected)
    {
        Assert.Equal(expected, Render("SELECT <#if detail>dt, channel<#elseif byChannel??>channel<#else>dt</#if>", parameters).Sql);
    }

    [Theory]
    [InlineData("{}", "b")]
    [InlineData("""{ "q": null }""", "b")]
    [InlineData("""{ "q": "" }""", "b")]
    [InlineData("""{ "q": [] }""", "b")]
    [InlineData("""{ "q": "x" }""", "a")]
    [InlineData("""{ "q": [1] }""", "a")]
    [InlineData("""{ "q": 0 }""", "a")]
    public void Has_content_is_false_for_missing_null_empty_string_and_empty_array(string parameters, string expected)
    {
        Assert.Equal(expected, Render("<#if q?has_content>a<#else>b</#if>", parameters).Sql);
        Assert.Equal(expected == "a" ? "b" : "a", Render("<#if !q?has_content>a<#else>b</#if>", parameters).Sql);
    }

    [Fact]
    public void A_list_repeats_its_body_per_item_with_the_separator_between()
    {
        const string template = "SELECT item_id FROM items WHERE <#list words as w>lower(title) LIKE ${w}<#sep> OR </#list>";

        var rendered = Render(template, """{ "words": ["%kaffee%", "%thé%"] }""");

        Assert.Equal("SELECT item_id FROM items WHERE lower(title) LIKE @p0 OR lower(title) LIKE @p1", rendered.Sql);
        Assert.Equal(["%kaffee%", "%thé%"], rendered.Parameters.Values);
        Assert.Equal("SELECT item_id FROM items WHERE", Render(template, """{ "words": [] }""").Sql);
        Assert.Equal(["words"], SqlTemplate.Parse(template).ParameterNames);
    }

    [Fact]
    public void Comments_leave_nothing()
    {
        Assert.Equal("SELECT 1", Render("<#-- counts ${nothing} -->SELECT 1").Sql);
    }

    [Fact]
    public void Parameter_names_are_listed_in_order_of_first_use()
    {
        var template = SqlTemplate.Parse("SELECT ${a} <#if b??>${c}</#if> <#list xs as x>${x} ${a}</#list>");

        Assert.Equal(["a", "b", "c", "xs"], template.ParameterNames);
    }

    [Theory]
    [InlineData("""{ "v": 42 }""", "SELECT 42")]
    [InlineData("""{ "v": -42 }""", "SELECT (-42)")]
    [InlineData("""{ "v": -9223372036854775808 }""", "SELECT (-9223372036854775807 - 1)")]
    [InlineData("""{ "v": 1.50 }""", "SELECT 1.50")]
    [InlineData("""{ "v": -0.5 }""", "SELECT (-0.5)")]
    [InlineData("""{ "v": "it's" }""", "SELECT 'it''s'")]
    [InlineData("""{ "v": true }""", "SELECT TRUE")]
    [InlineData("""{ "v": null }""", "SELECT NULL")]
    public void Literal_mode_writes_typed_trino_literals(string parameters, string expected)
    {
        Assert.Equal(expected, Literal("SELECT ${v}", parameters));
        SqlParser.ParseQuery(expected);
    }

    [Fact]
    public void Literal_mode_writes_dates_timestamps_and_doubles_in_their_typed_forms()
    {
        Assert.Equal(
            "SELECT DATE '2026-01-31', TIMESTAMP '2026-01-31 10:00:00', TIMESTAMP '2026-01-31 10:00:00.25', 2.5E0, (-1E+300)",
            Literal(
                "SELECT ${d?date}, ${t?datetime}, ${f?datetime}, ${r?double}, ${big?double}",
                """{ "d": "2026-01-31", "t": "2026-01-31T10:00:00", "f": "2026-01-31T10:00:00.250", "r": 2.5, "big": -1e300 }"""));
        Assert.Empty(Render("SELECT ${v}", """{ "v": 1 }""", TemplateValueMode.Literals).Parameters);
    }

    [Fact]
    public void A_negative_literal_after_a_minus_does_not_start_a_comment()
    {
        var sql = Literal("SELECT 1-${v} AS n", """{ "v": -5 }""");

        Assert.Equal("SELECT 1-(-5) AS n", sql);
        Assert.Equal(SqlParser.ParseQuery("SELECT 1 - (-5) AS n"), SqlParser.ParseQuery(sql));
    }

    [Fact]
    public void Rendered_literal_sql_parses_as_trino()
    {
        const string template = """
            SELECT o.channel, count(*) AS orders
            FROM orders o
            WHERE o.dt BETWEEN ${from?date} AND ${to?date}
            <#if statuses?has_content>  AND o.status IN ${statuses?string}
            </#if><#if minId??>  AND o.order_id >= ${minId?long}
            </#if>GROUP BY o.channel
            ORDER BY o.channel
            """;

        var sql = Literal(template, """{ "from": "2026-01-01", "to": "2026-01-31", "statuses": ["paid", "shipped"], "minId": 10 }""");

        Assert.Equal(
            "SELECT o.channel, count(*) AS orders FROM orders AS o WHERE o.dt BETWEEN DATE '2026-01-01' AND DATE '2026-01-31' "
            + "AND o.status IN ('paid', 'shipped') AND o.order_id >= 10 GROUP BY o.channel ORDER BY o.channel",
            TrinoPrinter.Instance.Print(SqlParser.ParseQuery(sql)));
    }

    [Fact]
    public void Missing_or_null_parameters_object_means_no_parameters()
    {
        var template = SqlTemplate.Parse("SELECT 1<#if x??>, ${x}</#if>");

        Assert.Equal("SELECT 1", template.Render(default).Sql);
        Assert.Equal("SELECT 1", template.Render(Json("null")).Sql);
    }

    [Fact]
    public void A_parsed_template_renders_the_same_on_many_threads()
    {
        var template = SqlTemplate.Parse("SELECT ${a} <#list xs as x>${x}<#sep>,</#list>");
        var parameters = Json("""{ "a": 1, "xs": [1, 2, 3] }""");

        var results = Enumerable.Range(0, 64).AsParallel().Select(_ => template.Render(parameters).Sql).Distinct().ToList();

        Assert.Equal(["SELECT @p0 @p1,@p2,@p3"], results);
    }

    [Fact]
    public void The_example_of_docs_sql_templates_renders_as_documented()
    {
        const string template = """
            SELECT o.channel, count(*) AS orders
            FROM orders o
            WHERE o.dt BETWEEN ${from?date} AND ${to?date}
            <#if statuses?has_content>  AND o.status IN ${statuses}
            </#if><#if !includeCancelled>  AND o.status <> 'cancelled'
            </#if><#if words??>  AND (<#list words as w>o.channel LIKE ${w}<#sep> OR </#list>)
            </#if>GROUP BY o.channel
            ORDER BY o.channel
            """;

        var rendered = Render(template, """{ "from": "2026-01-01", "to": "2026-01-31", "statuses": ["paid", "shipped"], "includeCancelled": false }""");

        Assert.Equal(
            "SELECT o.channel, count(*) AS orders\nFROM orders o\nWHERE o.dt BETWEEN @p0 AND @p1\n  AND o.status IN (@p2, @p3)\n"
            + "  AND o.status <> 'cancelled'\nGROUP BY o.channel\nORDER BY o.channel",
            rendered.Sql);
        Assert.Equal([new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), "paid", "shipped"], rendered.Parameters.Values);
    }
}
