using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hera.Silo.Tests.Cluster;

/// <summary>
/// A PostgreSQL server of the test's own (initdb into a temporary directory, loopback only, a free port), so a
/// test can stop and start it under load without disturbing the shared test server. Uses the server binaries
/// Debian's <c>postgresql</c> package installs (<c>scripts/test-services.sh</c> installs them); run as the
/// <c>postgres</c> user when the tests run as root, since PostgreSQL refuses to run as root.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _bin;
    private readonly int _port;

    private PostgresServer(string bin, int port) => (_bin, _port) = (bin, port);

    /// <summary>An Npgsql connection string for the server's <c>postgres</c> database as user <c>hera</c>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=hera;Database=postgres;Timeout=5";

    private string DataDirectory => Path.Combine(_root.Path, "data");

    /// <summary>Creates and starts a new server.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
        var server = new PostgresServer(bin ?? throw new InvalidOperationException("no PostgreSQL server under /usr/lib/postgresql: run scripts/test-services.sh start"), FreePort());
        if (IsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", server._root.Path]);
        }

        await server.PgAsync("initdb", ["-D", server.DataDirectory, "-U", "hera", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Stops the server (fast: open connections are cut, as a crash or a restart cuts them).</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"]);

    /// <summary>Starts the stopped server and waits until it accepts connections.</summary>
    public Task StartServerAsync() => PgAsync("pg_ctl", [
        "-D", DataDirectory, "-l", Path.Combine(_root.Path, "server.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -k {_root.Path} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
    ]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        _root.Dispose();
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task PgAsync(string tool, IReadOnlyList<string> arguments) =>
        IsRoot
            ? RunAsync("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
