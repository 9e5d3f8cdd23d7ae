using Hera.Silo.Configuration;
using Hera.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
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
