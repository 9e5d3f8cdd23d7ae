using System.CommandLine;
using System.Text.Json;
using Hera.Cli.Output;
using Hera.Client;

namespace Hera.Cli.Commands;

/// <summary>
/// <c>hera health</c>: the gateway's <c>/healthz</c> answer, one field a line. A non-success answer is reported as
/// an <c>unhealthy</c> problem (exit 3).
/// </summary>
internal sealed class HealthCommand : Command
{
    private readonly CliSession _session;

    /// <summary>Builds the command; its action runs against <paramref name="session"/>'s gateway.</summary>
    public HealthCommand(CliSession session)
        : base("health", "Show the gateway's /healthz answer.")
    {
        _session = session;
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // HeraClient has no health call; /healthz is a plain JSON object outside /v1, so read it directly.
        using var response = await _session.Connect(parse).Http.GetAsync("healthz", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HeraApiException((int)response.StatusCode, "unhealthy", $"/healthz answered {(int)response.StatusCode}: {body}");
        }

        using var health = JsonDocument.Parse(body);
        var table = new TextTable(["field", "value"]);
        foreach (var field in health.RootElement.EnumerateObject())
        {
            table.Add(field.Name, field.Value.ValueKind == JsonValueKind.Array
                ? string.Join(',', field.Value.EnumerateArray().Select(v => v.ToString()))
                : field.Value.ToString());
        }

        await table.WriteAsync(_session.Output, header: false).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
