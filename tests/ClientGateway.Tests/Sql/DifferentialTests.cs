using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Hera.Sql.Parsing;
using Npgsql;
using Xunit.Abstractions;

namespace Hera.ClientGateway.Tests.Sql;

/// <summary>A silo whose <c>local</c> engine holds the <c>shop</c> warehouse at the default scale and seed.</summary>
public sealed class ShopGatewayFactory : HeraGatewayFactory
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["demo-data"] = "small",
        ["worker-slots"] = "2",
        ["silo-id"] = "differential",
    };
}

/// <summary>
/// The differential harness of issue 5: every query of <c>differential-queries.sql</c> (Trino, over <c>shop</c>) runs
/// through the gateway on SQLite, PostgreSQL and ClickHouse holding the same rows, and every engine that accepts a
/// query must return the same rows (floating values within rounding). Prints how many each engine accepted. Needs
/// the real servers (<c>HERA_TEST_PG</c>, <c>HERA_TEST_CH</c>); each gets its own schema or database here.
/// </summary>
public sealed class DifferentialTests(ShopGatewayFactory factory, ITestOutputHelper output) : IClassFixture<ShopGatewayFactory>, IAsyncLifetime
{
    private static readonly string[] Engines = ["local", "dpg", "dch"];

    private readonly HttpClient _http = factory.CreateClient();
    private readonly string _space = "hera_diff_" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _pg = Environment.GetEnvironmentVariable("HERA_TEST_PG") is { Length: > 0 } pg
        ? pg : throw new InvalidOperationException("HERA_TEST_PG is not set: run scripts/test-services.sh start first");

    private readonly string _ch = Environment.GetEnvironmentVariable("HERA_TEST_CH") is { Length: > 0 } ch
        ? ch : throw new InvalidOperationException("HERA_TEST_CH is not set: run scripts/test-services.sh start first");

    public async Task InitializeAsync()
    {
        await using (var pg = NpgsqlDataSource.Create(_pg))
        {
            await using var create = pg.CreateCommand($"CREATE SCHEMA {_space}");
            await create.ExecuteNonQueryAsync();
        }

        using (var ch = new HttpClient())
        {
            using var created = await ch.PostAsync(_ch, new StringContent($"CREATE DATABASE {_space}"));
            created.EnsureSuccessStatusCode();
        }

        await PutEngineAsync("dpg", "postgres", $"{_pg};Search Path={_space}");
        await PutEngineAsync("dch", "clickhouse", $"{_ch.TrimEnd('/')}/?database={_space}");
        foreach (var engine in new[] { "dpg", "dch" })
        {
            using var loaded = await _http.PostAsync($"/v1/engines/{engine}/demo-data", Json("""{"scale": 0.01}"""));
            Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
        }
    }

    public async Task DisposeAsync()
    {
        await using (var pg = NpgsqlDataSource.Create(_pg))
        {
            await using var drop = pg.CreateCommand($"DROP SCHEMA IF EXISTS {_space} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }

        using var ch = new HttpClient();
        using var dropped = await ch.PostAsync(_ch, new StringContent($"DROP DATABASE IF EXISTS {_space}"));
    }

    [Fact]
    public async Task Every_engine_that_accepts_a_query_returns_the_same_rows()
    {
        var corpus = DifferentialCorpus.Load();
        var accepted = Engines.ToDictionary(e => e, _ => 0);
        var declined = Engines.ToDictionary(e => e, _ => new List<string>());
        var failures = new List<string>();
        foreach (var query in corpus)
        {
            var answers = new Dictionary<string, Answer>();
            foreach (var engine in Engines)
            {
                var answer = await RunAsync(query.Sql, engine);
                switch (answer.Outcome)
                {
                    case "rows":
                        accepted[engine]++;
                        answers[engine] = answer;
                        break;
                    case "sql_unsupported":
                        declined[engine].Add($"{query.Name}: {answer.Detail}");
                        break;
                    default:
                        failures.Add($"{query.Name} on {engine}: accepted but failed, {answer.Outcome}: {answer.Detail}");
                        break;
                }
            }

            var ordered = !SqlParser.ParseQuery(query.Sql).OrderBy.IsEmpty;
            var reference = answers.FirstOrDefault();
            foreach (var (engine, answer) in answers.Skip(1))
            {
                if (Disagreement(reference.Value, answer, ordered) is { } why)
                {
                    failures.Add($"{query.Name}: {reference.Key} and {engine} disagree: {why}");
                }
            }
        }

        output.WriteLine($"{corpus.Count} queries; accepted: {string.Join(", ", Engines.Select(e => $"{e} {accepted[e]}"))}");
        foreach (var engine in Engines)
        {
            foreach (var line in declined[engine])
            {
                output.WriteLine($"declined by {engine}: {line}");
            }
        }

        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        // SQLite and PostgreSQL lack nothing this corpus uses; ClickHouse 18.16 declines what it truly lacks.
        Assert.Equal(corpus.Count, accepted["local"]);
        Assert.Equal(corpus.Count, accepted["dpg"]);
        Assert.True(accepted["dch"] >= corpus.Count / 2, $"ClickHouse accepted only {accepted["dch"]} of {corpus.Count}");
    }

    private async Task<Answer> RunAsync(string sql, string engine)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query")
        {
            Content = Json(JsonSerializer.Serialize(new { sql, engines = new[] { engine } })),
        };
        request.Headers.Accept.ParseAdd("application/x-ndjson");
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using var problem = JsonDocument.Parse(body);
            return new Answer(problem.RootElement.GetProperty("code").GetString()!, problem.RootElement.GetProperty("detail").GetString(), []);
        }

        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rows = lines.Skip(1).Select(line =>
        {
            using var row = JsonDocument.Parse(line);
            return row.RootElement.EnumerateArray().Select(Cell.From).ToArray();
        }).ToList();
        return new Answer("rows", null, rows);
    }

    /// <summary>Why two answers differ, or null: same row count, and the same cells row by row (sorted first when unordered).</summary>
    private static string? Disagreement(Answer a, Answer b, bool ordered)
    {
        if (a.Rows.Count != b.Rows.Count)
        {
            return $"{a.Rows.Count} rows against {b.Rows.Count}";
        }

        var left = ordered ? a.Rows : [.. a.Rows.OrderBy(Key, StringComparer.Ordinal)];
        var right = ordered ? b.Rows : [.. b.Rows.OrderBy(Key, StringComparer.Ordinal)];
        for (var i = 0; i < left.Count; i++)
        {
            if (left[i].Length != right[i].Length)
            {
                return $"row {i + 1} has {left[i].Length} columns against {right[i].Length}";
            }

            for (var c = 0; c < left[i].Length; c++)
            {
                if (!left[i][c].Matches(right[i][c]))
                {
                    return $"row {i + 1}, column {c + 1}: {left[i][c]} against {right[i][c]} ({Key(left[i])} | {Key(right[i])})";
                }
            }
        }

        return null;
    }

    private static string Key(Cell[] row) => string.Join("|", row.Select(c => c.SortKey));

    private async Task PutEngineAsync(string name, string kind, string connection)
    {
        using var response = await _http.PutAsync($"/v1/engines/{name}", Json(JsonSerializer.Serialize(new { kind, connection, maxConcurrency = 4 })));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private sealed record Answer(string Outcome, string? Detail, List<Cell[]> Rows);

    /// <summary>One value, compared as engines may rightly differ: numbers within rounding, booleans as 1/0.</summary>
    private sealed record Cell(string? Text, double? Number)
    {
        public string SortKey => Number is { } n ? Math.Round(n, 4).ToString("F4", CultureInfo.InvariantCulture) : Text ?? "\u0000null";

        public static Cell From(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Null => new(null, null),
            JsonValueKind.Number => new(null, value.GetDouble()),
            JsonValueKind.True => new(null, 1),
            JsonValueKind.False => new(null, 0),
            _ => new(value.GetString(), null),
        };

        public bool Matches(Cell other) => (Number, other.Number) switch
        {
            ({ } a, { } b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b))),
            _ => Text == other.Text && Number is null && other.Number is null,
        };

        public override string ToString() => Number?.ToString(CultureInfo.InvariantCulture) ?? (Text is null ? "NULL" : $"'{Text}'");
    }
}

/// <summary>The queries of <c>differential-queries.sql</c>: <c>-- name:</c> lines, hints, a <c>;</c> line between queries.</summary>
internal static class DifferentialCorpus
{
    public static IReadOnlyList<(string Name, string Sql)> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Sql", "differential-queries.sql");
        var queries = new List<(string, string)>();
        string? name = null;
        var sql = new StringBuilder();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim() == ";")
            {
                if (name is not null && sql.Length > 0)
                {
                    queries.Add((name, sql.ToString().Trim()));
                }

                (name, sql) = (null, new StringBuilder());
            }
            else if (line.StartsWith("-- name:", StringComparison.Ordinal))
            {
                name = line["-- name:".Length..].Trim();
            }
            else if (!line.StartsWith("--", StringComparison.Ordinal))
            {
                sql.AppendLine(line);
            }
        }

        return queries;
    }
}
