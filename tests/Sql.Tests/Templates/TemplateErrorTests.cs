using Hera.Sql.Lexing;
using Hera.Sql.Templates;
using static Hera.Sql.Tests.Templates.Tpl;

namespace Hera.Sql.Tests.Templates;

/// <summary>Every refusal has a stable code, and template mistakes say where they are.</summary>
public sealed class TemplateErrorTests
{
    [Theory]
    [InlineData("SELECT ${a", 1, 8, "} closing ${")]
    [InlineData("SELECT ${}", 1, 8, "${name}")]
    [InlineData("SELECT ${1a}", 1, 8, "${name}")]
    [InlineData("SELECT ${a?upper}", 1, 8, "format string, long")]
    [InlineData("SELECT 1\n<#if a??>x", 2, 11, "</#if> closing the <#if> at line 2, column 1")]
    [InlineData("SELECT 1 </#if>", 1, 10, "found: </#if>")]
    [InlineData("SELECT 1 <#else>", 1, 10, "found: <#else> outside its block")]
    [InlineData("<#if a??>1</#list>", 1, 11, "found: </#list>")]
    [InlineData("<#iff a>1</#if>", 1, 1, "found: <#iff>")]
    [InlineData("<#if a == 1>1</#if>", 1, 1, "a condition")]
    [InlineData("<#if>1</#if>", 1, 1, "a condition")]
    [InlineData("<#if a??>1<#else x>2</#if>", 1, 11, "<#else> without arguments")]
    [InlineData("<#list xs>1</#list>", 1, 1, "<#list name as item>")]
    [InlineData("<#list xs as x>1<#else>2</#list>", 1, 17, "outside its block")]
    [InlineData("<#if a", 1, 1, "> closing the directive")]
    [InlineData("<#-- open", 1, 1, "--> closing <#--")]
    [InlineData("SELECT '%${q}%'", 1, 10, "inside a quoted string")]
    [InlineData("SELECT \"${c}\" FROM t", 1, 9, "inside a quoted identifier")]
    [InlineData("SELECT 1 -- ${q}\n", 1, 13, "inside a comment")]
    [InlineData("SELECT 1 /* ${q} */", 1, 13, "inside a comment")]
    [InlineData("SELECT * FROM t WHERE a = @a", 1, 27, "'@' outside quotes")]
    public void A_template_mistake_is_invalid_template_with_its_position(string template, int line, int column, string message)
    {
        var error = Assert.Throws<SqlTemplateException>(() => SqlTemplate.Parse(template));

        Assert.Equal(SqlTemplateException.InvalidTemplateCode, error.Code);
        Assert.Equal(line, error.Position?.Line);
        Assert.Equal(column, error.Position?.Column);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"at line {line}, column {column}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quotes_comments_and_at_signs_inside_sql_text_are_fine_where_no_value_is()
    {
        var rendered = Render("SELECT 'a@b', \"x@y\" -- it's @ here\n, ${v} /* ' */ FROM t WHERE s = 'it''s'", """{ "v": 1 }""");

        Assert.Equal("SELECT 'a@b', \"x@y\" -- it's @ here\n, @p0 /* ' */ FROM t WHERE s = 'it''s'", rendered.Sql);
    }

    [Fact]
    public void Nesting_is_bounded()
    {
        var ok = string.Concat(Enumerable.Repeat("<#if a??>", 32)) + string.Concat(Enumerable.Repeat("</#if>", 32));
        var deep = "<#if a??>" + ok + "</#if>";

        SqlTemplate.Parse(ok);
        var error = Assert.Throws<SqlTemplateException>(() => SqlTemplate.Parse(deep));

        Assert.Equal(SqlTemplateException.InvalidTemplateCode, error.Code);
        Assert.Contains("at most 32 nested", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_parameter_outside_an_optional_block_is_missing_parameter()
    {
        var error = Fails("SELECT *\nFROM orders WHERE dt = ${day?date}");

        Assert.Equal(SqlTemplateException.MissingParameterCode, error.Code);
        Assert.Equal("day", error.Parameter);
        Assert.Equal(new SourcePosition(32, 2, 24), error.Position);
        Assert.Equal("parameter 'day' is not given at line 2, column 24", error.Message);
    }

    [Theory]
    [InlineData("<#if flag>1</#if>", "{}", SqlTemplateException.MissingParameterCode)]
    [InlineData("<#if flag>1</#if>", """{ "flag": "yes" }""", SqlTemplateException.InvalidParameterCode)]
    [InlineData("<#if flag>1</#if>", """{ "flag": null }""", SqlTemplateException.InvalidParameterCode)]
    [InlineData("<#list xs as x>${x}</#list>", "{}", SqlTemplateException.MissingParameterCode)]
    [InlineData("<#list xs as x>${x}</#list>", """{ "xs": "a" }""", SqlTemplateException.InvalidParameterCode)]
    [InlineData("<#if a??>${b}</#if>", """{ "a": 1 }""", SqlTemplateException.MissingParameterCode)]
    public void Conditions_and_lists_need_their_parameters_of_the_right_kind(string template, string parameters, string code)
    {
        Assert.Equal(code, Fails(template, parameters).Code);
    }

    [Fact]
    public void A_missing_parameter_in_a_branch_not_taken_is_fine()
    {
        Assert.Equal("SELECT 1", Render("SELECT 1<#if a??> + ${b}</#if>").Sql);
    }

    [Fact]
    public void Parameters_that_are_not_an_object_are_invalid_parameter()
    {
        var error = Assert.Throws<SqlTemplateException>(() => SqlTemplate.Parse("SELECT 1").Render(Json("[1]")));

        Assert.Equal(SqlTemplateException.InvalidParameterCode, error.Code);
        Assert.Null(error.Position);
    }

    [Fact]
    public void Arrays_are_bounded()
    {
        var items = string.Join(",", Enumerable.Range(0, 10_001));

        var error = Fails("SELECT 1 WHERE a IN ${xs}", $$"""{ "xs": [{{items}}] }""");

        Assert.Equal(SqlTemplateException.InvalidParameterCode, error.Code);
        Assert.Contains("at most 10000", error.Message, StringComparison.Ordinal);
    }
}
