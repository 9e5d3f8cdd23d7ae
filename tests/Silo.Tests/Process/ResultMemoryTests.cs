using Hera.Client;

namespace Hera.Silo.Tests.Process;

/// <summary>
/// Results stream: a million-row job and its download in every format must not grow the silo's memory with
/// the result size. Buffering the rows anywhere (engine, result file writer, gateway) would cost hundreds of
/// megabytes here; streaming costs a few buffers.
/// </summary>
public sealed class ResultMemoryTests : IDisposable
{
    private const int Rows = 1_000_000;
    private const long AllowedGrowthBytes = 64L * 1024 * 1024;

    private readonly TempDirectory _data = new();

    [Fact]
    public async Task A_million_row_result_is_written_and_served_in_bounded_memory()
    {
        await using var silo = await SiloProcess.StartAsync(["--data-dir", _data.Path, "--demo-data", "0", "--worker-slots", "1"]);
        var warm = await silo.Client.SubmitAsync(new HeraJobRequest { Sql = "SELECT 1 AS n, 'x' AS s, 0.5 AS d" }, TimeSpan.FromSeconds(30));
        await DownloadAsync(silo.Client, warm.Id, "application/json");
        var baseline = silo.PeakResidentBytes;

        var job = await silo.Client.SubmitAsync(new HeraJobRequest
        {
            Sql = $"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {Rows}) SELECT x AS n, 'row number ' || x AS s, x * 0.5 AS d FROM c",
        }, TimeSpan.FromSeconds(120));
        Assert.Equal("succeed", job.State);
        Assert.Equal(Rows, job.RowCount);

        // Each format streams: count lines without holding the body.
        Assert.Equal(Rows + 1, await DownloadAsync(silo.Client, job.Id, "application/x-ndjson"));
        Assert.Equal(Rows + 1, await DownloadAsync(silo.Client, job.Id, "text/csv"));
        Assert.True(await DownloadAsync(silo.Client, job.Id, "application/json") >= 0);

        var growth = silo.PeakResidentBytes - baseline;
        Assert.True(growth < AllowedGrowthBytes, $"peak resident memory grew by {growth / (1024 * 1024)} MiB for a {Rows}-row result (baseline {baseline / (1024 * 1024)} MiB)");
    }

    [Fact]
    public async Task A_million_row_interactive_query_streams_to_the_caller_in_bounded_memory()
    {
        await using var silo = await SiloProcess.StartAsync(["--data-dir", _data.Path, "--demo-data", "0", "--worker-slots", "1"]);
        var request = new HeraJobRequest
        {
            Sql = $"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {Rows}) SELECT x AS n, 'row number ' || x AS s, x * 0.5 AS d FROM c",
        };
        using (var warm = await silo.Client.QueryAsync(new HeraJobRequest { Sql = "SELECT 1 AS n" }))
        {
            await warm.Content.ReadAsByteArrayAsync();
        }

        var baseline = silo.PeakResidentBytes;

        Assert.Equal(Rows + 1, await CountLinesAsync(await silo.Client.QueryAsync(request, "application/x-ndjson")));
        Assert.Equal(Rows + 1, await CountLinesAsync(await silo.Client.QueryAsync(request, "text/csv")));
        Assert.True(await CountLinesAsync(await silo.Client.QueryAsync(request, "application/json")) >= 0);

        var growth = silo.PeakResidentBytes - baseline;
        Assert.True(growth < AllowedGrowthBytes, $"peak resident memory grew by {growth / (1024 * 1024)} MiB for a {Rows}-row interactive query (baseline {baseline / (1024 * 1024)} MiB)");
    }

    public void Dispose() => _data.Dispose();

    /// <summary>Reads the whole body in small chunks, returning the number of line feeds seen.</summary>
    private static async Task<long> DownloadAsync(HeraClient client, string id, string mediaType) =>
        await CountLinesAsync(await client.OpenResultAsync(id, mediaType));

    /// <summary>Reads the whole body of <paramref name="answer"/> (disposing it) in small chunks; returns the line feeds seen.</summary>
    private static async Task<long> CountLinesAsync(HttpResponseMessage answer)
    {
        using var response = answer;
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }
}
