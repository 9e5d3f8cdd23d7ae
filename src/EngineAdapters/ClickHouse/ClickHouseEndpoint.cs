using System.Net.Http.Headers;
using System.Text;

namespace Hera.EngineAdapters.ClickHouse;

/// <summary>
/// Where and as whom to reach a ClickHouse server, parsed from a base URL such as
/// <c>http://user:password@host:8123/?database=shop</c>. User and password (percent-encoded in the URL) travel as
/// HTTP Basic authentication, never in the query string where server logs would keep them; <c>database</c> is the
/// only query parameter accepted, so a mistyped one fails at construction instead of being ignored.
/// </summary>
/// <param name="BaseUri">Scheme, host, port and path, without user info or query.</param>
/// <param name="User">The ClickHouse user, or null for the server's <c>default</c>.</param>
/// <param name="Password">The password, or null.</param>
/// <param name="Database">The database unqualified names resolve in, or null for the user's default.</param>
internal sealed record ClickHouseEndpoint(Uri BaseUri, string? User, string? Password, string? Database)
{
    /// <summary>Parses <paramref name="baseUrl"/>.</summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) URL, or a query parameter other than <c>database</c>.</exception>
    public static ClickHouseEndpoint Parse(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{baseUrl}' is not an absolute http:// or https:// URL.", nameof(baseUrl));
        }

        string? user = null;
        string? password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        string? database = null;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            if (key != "database" || equals < 0)
            {
                throw new ArgumentException($"The ClickHouse URL may carry only '?database=name', not '{pair}'.", nameof(baseUrl));
            }

            database = Uri.UnescapeDataString(pair[(equals + 1)..]);
        }

        var baseUri = new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri;
        return new ClickHouseEndpoint(baseUri, user, password, string.IsNullOrEmpty(database) ? null : database);
    }

    /// <summary>The Basic authorization header, or null when no user was given.</summary>
    public AuthenticationHeaderValue? Authorization =>
        User is null ? null : new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

    /// <summary>The request URI with <paramref name="parameters"/> (and <see cref="Database"/>) as its query string.</summary>
    public Uri RequestUri(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new StringBuilder();
        if (Database is not null)
        {
            Append(query, "database", Database);
        }

        foreach (var (key, value) in parameters)
        {
            Append(query, key, value);
        }

        return new UriBuilder(BaseUri) { Query = query.ToString() }.Uri;
    }

    /// <summary>The URL without the password, for messages and logs.</summary>
    public override string ToString() =>
        User is null ? BaseUri.ToString() : new UriBuilder(BaseUri) { UserName = Uri.EscapeDataString(User) }.Uri.ToString();

    private static void Append(StringBuilder query, string key, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
    }
}
