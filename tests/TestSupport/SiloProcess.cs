using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hera.Client;

namespace Hera.Tests.Support;

/// <summary>
/// A real <c>Hera.Silo</c> child process on a free loopback port, for tests that kill and restart it.
/// Its output is kept so a failing test can show what the silo said.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();

    private SiloProcess(System.Diagnostics.Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HeraClient(new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) });
    }

    /// <summary>The silo's gateway URL.</summary>
    public Uri Address { get; }

    /// <summary>The operating system's id of the silo process.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Peak resident memory of the process so far, in bytes (Linux <c>VmHWM</c>).</summary>
    public long PeakResidentBytes => ReadStatusKilobytes("VmHWM") * 1024;

    /// <summary>Resident memory of the process now, in bytes (Linux <c>VmRSS</c>).</summary>
    public long ResidentBytes => ReadStatusKilobytes("VmRSS") * 1024;

    /// <summary>A client of this silo's gateway.</summary>
    public HeraClient Client { get; }

    /// <summary>Everything the process wrote so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a silo with <paramref name="arguments"/> (plus <c>--urls</c>) and waits until it is healthy.</summary>
    public static async Task<SiloProcess> StartAsync(IEnumerable<string> arguments, TimeSpan? startTimeout = null)
    {
        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(SiloAssemblyPath());
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString().TrimEnd('/'));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, address);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await silo.WaitHealthyAsync(startTimeout ?? TimeSpan.FromSeconds(60));
        return silo;
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a service; waits for the process to exit and returns its code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"could not signal process {_process.Id}");
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        Client.Http.Dispose();
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the silo exited with {_process.ExitCode} during start:\n{Output}");
            }

            try
            {
                using var response = await probe.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the silo was not healthy within {timeout}:\n{Output}");
            }

            // Wait for the process to say something (or a short beat) instead of spinning on connect.
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMilliseconds(100)).Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private long ReadStatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The silo's build output: the test's own output holds <c>Hera.Silo.dll</c> with its runtime config.</summary>
    private static string SiloAssemblyPath()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Hera.Silo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Hera.Silo.dll is not next to the tests", path);
    }
}
