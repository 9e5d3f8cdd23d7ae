using Hera.Silo.Configuration;
using Hera.Silo.Hosting;

// Content root = the program's folder, so appsettings.json applies wherever the silo is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
SiloOptions options;
try
{
    options = SiloOptions.Parse(builder.Configuration);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"hera-silo: {e.Message}");
    return 2;
}

var app = builder.AddHeraSilo(options).Build().UseHeraSilo();
await app.RunAsync();
return 0;

/// <summary>The silo's entry point; public so tests can host it with <c>WebApplicationFactory</c>.</summary>
public partial class Program;
