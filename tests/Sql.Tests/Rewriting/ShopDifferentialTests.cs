using System.Globalization;
using System.Text;
using Hera.EngineAdapters.ClickHouse;
using Hera.EngineAdapters.Demo;
using Hera.EngineAdapters.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Hera.Sql.Tests.Rewriting;

/// <summary>
/// The same Trino query over <c>shop</c> gives the same rows on every engine that accepts it: PostgreSQL and ClickHouse
/// (<c>HERA_TEST_PG</c>, <c>HERA_TEST_CH</c>; without both the tests return early) and SQLite, each loaded here.
/// Rows compare as sorted lists of normalised text (numbers rounded to 4 decimals, since SQLite holds money as REAL),
/// in order when the query ends with ORDER BY over a unique key.
/// </summary>
public sealed class ShopDifferentialTests(ShopDifferentialTests.ShopFixture shop) : IClassFixture<ShopDifferentialTests.ShopFixture>
{
    public static TheoryData<string, bool> Queries() => new()
    {
        { "SELECT count(*) FROM orders", false },
        { "SELECT status, count(*) AS n FROM orders GROUP BY status ORDER BY status", true },
        { "SELECT channel, status, count(*) FROM orders GROUP BY 1, 2 ORDER BY 1, 2", true },
        { "SELECT count(DISTINCT user_id) FROM orders WHERE dt = DATE '2026-01-15'", false },
        { "SELECT dt, sum(quantity * unit_price) AS revenue FROM order_items GROUP BY dt HAVING sum(quantity * unit_price) > 100 ORDER BY dt", true },
        { "SELECT sum(quantity) / count(*), sum(quantity) % 7, max(quantity) / 2 FROM order_items", false },
        { "SELECT avg(price), min(price), max(price) FROM items", false },
        { "SELECT gender, count(*), avg(age) FROM users GROUP BY gender", false },
        { "SELECT coalesce(gender, 'unknown') AS g, count(*) FROM users GROUP BY coalesce(gender, 'unknown')", false },
        { "SELECT name, age FROM users ORDER BY age DESC, user_id LIMIT 15", true },
        { "SELECT name, age FROM users ORDER BY age, user_id LIMIT 15", true },
        { "SELECT user_id, age FROM users ORDER BY age NULLS FIRST, user_id LIMIT 5", true },
        { "SELECT lower(name), upper(city), length(name), strpos(name, 'a') FROM users", false },
        { "SELECT substr(title, 2, 5), reverse(title), concat(title, '/', name) FROM items JOIN sellers USING (seller_id)", false },
        { "SELECT title FROM items WHERE title LIKE '%a%'", false },
        { "SELECT name FROM users WHERE name LIKE 'A%' OR name LIKE '_e%'", false },
        { "SELECT date_trunc('month', dt) AS m, count(*) FROM orders GROUP BY date_trunc('month', dt) ORDER BY m", true },
        { "SELECT date_trunc('week', dt) AS w, count(*) FROM orders GROUP BY 1 ORDER BY 1", true },
        { "SELECT date_trunc('hour', order_ts), date_trunc('day', order_ts) FROM orders", false },
        { "SELECT day_of_week(dt) AS d, count(*) FROM orders GROUP BY 1 ORDER BY 1", true },
        { "SELECT year(dt), month(dt), day(dt), hour(order_ts), minute(order_ts) FROM orders", false },
        { "SELECT date_diff('day', registered_at, DATE '2026-03-01') FROM users", false },
        { "SELECT date_add('day', 7, dt), dt + INTERVAL '1' MONTH, order_ts + INTERVAL '3' HOUR FROM orders", false },
        { "SELECT greatest(quantity, 2), least(unit_price, 10.0), nullif(line_no, 1) FROM order_items", false },
        { "SELECT greatest(age, 30) FROM users", false },
        { "SELECT round(avg(price), 2) FROM items", false },
        { "SELECT CAST(price AS INTEGER), CAST(price AS DOUBLE) / 3 FROM items", false },
        { "SELECT o.order_id, u.name FROM orders AS o JOIN users AS u ON u.user_id = o.user_id", false },
        { "SELECT u.city, count(o.order_id) FROM users AS u LEFT JOIN orders AS o ON o.user_id = u.user_id AND o.status = 'paid' GROUP BY u.city", false },
        { "SELECT u.user_id, o.order_id FROM users AS u LEFT JOIN orders AS o ON o.user_id = u.user_id WHERE o.order_id IS NULL", false },
        { "SELECT s.region, sum(oi.quantity * oi.unit_price) AS revenue FROM order_items AS oi JOIN items AS i ON i.item_id = oi.item_id JOIN sellers AS s ON s.seller_id = i.seller_id GROUP BY s.region ORDER BY s.region", true },
        { "SELECT p.name AS parent, c.name AS category, count(*) AS n FROM items AS i JOIN categories AS c ON c.category_id = i.category_id LEFT JOIN categories AS p ON p.category_id = c.parent_id GROUP BY p.name, c.name", false },
        { "SELECT s.tier, c.name, sum(oi.quantity) FROM order_items AS oi JOIN items AS i ON oi.item_id = i.item_id JOIN sellers AS s ON i.seller_id = s.seller_id JOIN categories AS c ON i.category_id = c.category_id WHERE oi.dt >= DATE '2026-02-01' GROUP BY 1, 2", false },
        { "SELECT o.order_id, i.title FROM orders AS o, order_items AS oi, items AS i WHERE oi.order_id = o.order_id AND i.item_id = oi.item_id AND o.status = 'paid'", false },
        { "SELECT order_id, count(*) FROM orders JOIN order_items USING (order_id) GROUP BY order_id", false },
        { "SELECT * FROM orders WHERE user_id IN (SELECT user_id FROM users WHERE age > 40)", false },
        { "SELECT s.name FROM sellers AS s WHERE EXISTS (SELECT 1 FROM items AS i WHERE i.seller_id = s.seller_id AND i.price > 50)", false },
        { "SELECT s.name FROM sellers AS s WHERE NOT EXISTS (SELECT 1 FROM items AS i WHERE i.seller_id = s.seller_id AND i.price > 90)", false },
        { "SELECT u.name FROM users AS u WHERE EXISTS (SELECT 1 FROM orders AS o WHERE o.user_id = u.user_id)", false },
        { "SELECT title FROM items WHERE price > (SELECT avg(price) FROM items)", false },
        { "WITH paid AS (SELECT * FROM orders WHERE status = 'paid') SELECT channel, count(*) FROM paid GROUP BY channel", false },
        { "WITH a AS (SELECT user_id, count(*) AS n FROM orders GROUP BY user_id), b AS (SELECT n, count(*) AS users FROM a GROUP BY n) SELECT * FROM b", false },
        { "SELECT t.m, t.n FROM (SELECT month(dt) AS m, count(*) AS n FROM orders GROUP BY month(dt)) AS t WHERE t.n > 10", false },
        { "SELECT city FROM users UNION SELECT region FROM sellers ORDER BY 1", true },
        { "SELECT city FROM users UNION ALL SELECT region FROM sellers", false },
        { "SELECT user_id FROM orders INTERSECT SELECT user_id FROM page_views", false },
        { "SELECT user_id FROM users EXCEPT SELECT user_id FROM orders", false },
        { "SELECT count(*) FILTER (WHERE status = 'cancelled'), count(*) FROM orders", false },
        { "SELECT CASE WHEN price >= 50 THEN 'high' WHEN price >= 10 THEN 'mid' ELSE 'low' END AS band, count(*) FROM items GROUP BY 1", false },
        { "SELECT page, count(*) AS views, count(DISTINCT user_id) AS visitors FROM page_views GROUP BY page ORDER BY views DESC, page LIMIT 3", true },
        { "SELECT ab_bucket, count(*) FILTER (WHERE page = 'cart') * 1.0 / count(*) AS cart_rate FROM page_views GROUP BY ab_bucket", false },
        { "SELECT DISTINCT city FROM users ORDER BY city", true },
        { "SELECT user_id FROM users WHERE gender IS DISTINCT FROM 'f'", false },
        { "SELECT name, rank() OVER (ORDER BY price DESC) FROM items JOIN sellers USING (seller_id)", false },
        { "SELECT category_id, parent_id FROM categories WHERE parent_id IS NULL ORDER BY category_id", true },
        { "SELECT item_id, price FROM items WHERE listed_at BETWEEN DATE '2023-01-01' AND DATE '2024-12-31' AND price NOT BETWEEN 10 AND 20", false },
        { "SELECT count(*) FROM page_views WHERE view_ts >= TIMESTAMP '2026-01-15 00:00:00' AND page IN ('cart', 'item')", false },
        { "SELECT trim(name), position('a' IN name), substring(name FROM 2 FOR 3) FROM sellers", false },
        { "SELECT tier, count(*) FROM sellers GROUP BY tier HAVING count(*) >= 1 ORDER BY count(*) DESC, tier", true },
        { "SELECT order_id FROM orders ORDER BY order_ts DESC, order_id LIMIT 5 OFFSET 3", true },
        { "SELECT c.name, p.name FROM categories AS c FULL JOIN categories AS p ON p.category_id = c.parent_id", false },
        { "SELECT c.name, p.name FROM categories AS c LEFT JOIN categories AS p ON p.category_id = c.parent_id", false },
        { "SELECT i.title, s.name FROM items AS i RIGHT JOIN sellers AS s ON s.seller_id = i.seller_id", false },
        { "SELECT seller_id, title, row_number() OVER (PARTITION BY seller_id ORDER BY price DESC, item_id) AS rn FROM items", false },
        { "SELECT u.name, (SELECT count(*) FROM orders AS o WHERE o.user_id = u.user_id) FROM users AS u", false },
        { "SELECT name, coalesce(age, -1), CASE WHEN age IS NULL THEN 'unknown' WHEN age < 30 THEN 'young' ELSE 'older' END FROM users", false },
        { "SELECT name FROM users ORDER BY name LIMIT 20", true },
        { "SELECT approx_distinct(user_id), count_if(status = 'paid'), count(DISTINCT channel) FROM orders", false },
        { "SELECT u.city, count(*) FROM users AS u WHERE u.user_id IN (SELECT o.user_id FROM orders AS o WHERE o.channel = 'app') GROUP BY u.city", false },
        { "SELECT dt, count(*) FROM page_views WHERE dt < DATE '2026-01-10' GROUP BY dt ORDER BY dt DESC", true },
        { "SELECT status, sum(CASE WHEN channel = 'web' THEN 1 ELSE 0 END) AS web FROM orders GROUP BY status ORDER BY web DESC, status", true },
        { "SELECT date_diff('hour', order_ts, TIMESTAMP '2026-03-01 00:00:00') FROM orders", false },
        { "SELECT oi.order_id, sum(oi.quantity) AS q FROM order_items AS oi GROUP BY oi.order_id HAVING sum(oi.quantity) > 5 ORDER BY q DESC, oi.order_id LIMIT 10", true },
        { "SELECT i.category_id, avg(oi.unit_price * oi.quantity) FROM order_items AS oi JOIN items AS i ON i.item_id = oi.item_id GROUP BY i.category_id", false },
        { "SELECT a.user_id, count(*) FROM page_views AS a JOIN users AS b ON a.user_id = b.user_id JOIN orders AS c ON c.user_id = b.user_id AND c.dt = a.dt GROUP BY a.user_id", false },
    };

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Every_engine_that_accepts_the_query_gives_the_same_rows(string sql, bool ordered)
    {
        if (!shop.Available)
        {
            return;
        }

        var results = new List<(string Engine, string Sql, List<string> Rows)>();
        foreach (var rewrite in ShopColumns.Rewriter.RewriteAll(sql, [("pg", "postgres"), ("sqlite", "sqlite"), ("ch", "clickhouse")]))
        {
            if (rewrite.Sql is not { } text)
            {
                continue;
            }

            var rows = rewrite.Dialect switch
            {
                "postgres" => await shop.PostgresAsync(text),
                "sqlite" => shop.Sqlite(text),
                _ => await shop.ClickHouseAsync(text),
            };
            if (!ordered)
            {
                rows.Sort(StringComparer.Ordinal);
            }

            results.Add((rewrite.Dialect, text, rows));
        }

        Assert.True(results.Count >= 2, "at least two engines accept every query of the corpus");
        Assert.NotEmpty(results[0].Rows);
        foreach (var (engine, text, rows) in results.Skip(1))
        {
            Assert.True(
                results[0].Rows.SequenceEqual(rows),
                $"{results[0].Engine} and {engine} differ.\n{results[0].Sql}\n{text}\n{string.Join("\n", results[0].Rows.Take(5))}\n--\n{string.Join("\n", rows.Take(5))}");
        }
    }

    /// <summary>
    /// The three engines with <c>shop</c> loaded at scale 0.001 into places of their own (a PostgreSQL schema and a
    /// ClickHouse database named <c>wtsql_shop_*</c>, a temporary SQLite file), dropped at the end.
    /// </summary>
    public sealed class ShopFixture : IAsyncLifetime
    {
        private const double Scale = 0.001;
        private readonly string? _pg = Environment.GetEnvironmentVariable("HERA_TEST_PG") is { Length: > 0 } pg ? pg : null;
        private readonly string? _chBase = Environment.GetEnvironmentVariable("HERA_TEST_CH") is { Length: > 0 } ch ? ch.TrimEnd('/') : null;
        private readonly string _name = $"wtsql_shop_{Guid.NewGuid():N}";
        private readonly string _sqlitePath = Path.Combine(Path.GetTempPath(), $"wtsql-shop-{Guid.NewGuid():N}.db");
        private readonly HttpClient _http = new();
        private NpgsqlDataSource? _pgSource;

        public bool Available => _pg is not null && _chBase is not null;

        private string ChUrl => $"{_chBase}/?database={_name}";

        public async Task InitializeAsync()
        {
            if (!Available)
            {
                return;
            }

            var generator = new ShopGenerator(Scale);
            await using (var admin = NpgsqlDataSource.Create(_pg!))
            await using (var create = admin.CreateCommand($"CREATE SCHEMA {_name}"))
            {
                await create.ExecuteNonQueryAsync();
            }

            _pgSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(_pg) { SearchPath = _name }.ConnectionString);
            await PostgresShopLoader.LoadAsync(_pgSource, "pg", generator);
            (await _http.PostAsync(_chBase, new StringContent($"CREATE DATABASE {_name}"))).EnsureSuccessStatusCode();
            await using (var adapter = new ClickHouseEngineAdapter("ch", ChUrl))
            {
                await ClickHouseShopLoader.LoadAsync(adapter, generator);
            }

            await SqliteShopLoader.LoadAsync(_sqlitePath, generator);
        }

        public async Task DisposeAsync()
        {
            if (Available)
            {
                await _http.PostAsync(_chBase, new StringContent($"DROP DATABASE IF EXISTS {_name}"));
                await using var admin = NpgsqlDataSource.Create(_pg!);
                await using var drop = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_name} CASCADE");
                await drop.ExecuteNonQueryAsync();
            }

            if (_pgSource is not null)
            {
                await _pgSource.DisposeAsync();
            }

            _http.Dispose();
            SqliteConnection.ClearAllPools();
            File.Delete(_sqlitePath);
        }

        public List<string> Sqlite(string sql)
        {
            using var connection = new SqliteConnection($"Data Source={_sqlitePath};Pooling=False");
            connection.Open();
            SqliteFunctions.Register(connection);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                var fields = new string[reader.FieldCount];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = Normalise(reader.IsDBNull(i) ? null : reader.GetValue(i), null);
                }

                rows.Add(string.Join(" | ", fields));
            }

            return rows;
        }

        public async Task<List<string>> PostgresAsync(string sql)
        {
            await using var command = _pgSource!.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync())
            {
                var fields = new string[reader.FieldCount];
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = Normalise(reader.IsDBNull(i) ? null : reader.GetValue(i), reader.GetDataTypeName(i));
                }

                rows.Add(string.Join(" | ", fields));
            }

            return rows;
        }

        public async Task<List<string>> ClickHouseAsync(string sql)
        {
            using var response = await _http.PostAsync(ChUrl, new StringContent(sql + " FORMAT TabSeparated"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"{sql}: {body}");
            var rows = new List<string>();
            foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var fields = line.Split('\t');
                for (var i = 0; i < fields.Length; i++)
                {
                    fields[i] = fields[i] == "\\N" ? "null" : Normalise(Unescape(fields[i]), null);
                }

                rows.Add(string.Join(" | ", fields));
            }

            return rows;
        }

        private static string Unescape(string field)
        {
            if (!field.Contains('\\', StringComparison.Ordinal))
            {
                return field;
            }

            var sb = new StringBuilder(field.Length);
            for (var i = 0; i < field.Length; i++)
            {
                if (field[i] == '\\' && i + 1 < field.Length)
                {
                    i++;
                    sb.Append(field[i] switch { 't' => '\t', 'n' => '\n', '0' => '\0', var c => c });
                }
                else
                {
                    sb.Append(field[i]);
                }
            }

            return sb.ToString();
        }

        private static string Normalise(object? value, string? typeName) => value switch
        {
            null => "null",
            bool b => b ? "1" : "0",
            DateTime d when typeName == "date" => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            long or int or short or decimal or double or float => Number(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            string s when s.Length > 0 && (char.IsAsciiDigit(s[0]) || s[0] == '-') && !s.Contains(':', StringComparison.Ordinal)
                && s.Count(c => c == '-') <= 1 && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => Number(number),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "null",
        };

        private static string Number(double value) => Math.Round(value, 4).ToString("0.####", CultureInfo.InvariantCulture);
    }
}
