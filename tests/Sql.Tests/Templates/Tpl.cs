using System.Text.Json;
using Hera.Sql.Templates;

namespace Hera.Sql.Tests.Templates;

/// <summary>Shorthands for template specifications: parameters written as JSON text.</summary>
internal static class Tpl
{
    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static RenderedSql Render(string template, string parameters = "{}", TemplateValueMode mode = TemplateValueMode.Placeholders) =>
        SqlTemplate.Parse(template).Render(Json(parameters), mode);

    public static string Literal(string template, string parameters = "{}") =>
        Render(template, parameters, TemplateValueMode.Literals).Sql;

    public static SqlTemplateException Fails(string template, string parameters = "{}", TemplateValueMode mode = TemplateValueMode.Placeholders) =>
        Assert.Throws<SqlTemplateException>(() => Render(template, parameters, mode));
}
