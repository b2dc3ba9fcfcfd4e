using Microsoft.AspNetCore.Http.Connections.Client;
using SafeMentor.LoadGenerator.Relay;

namespace SafeMentor.LoadGenerator.Hosting;

/// <summary>
/// The built relay (<c>SafeMentor.Server.dll</c>) as a child process with a fresh data folder in the temporary
/// directory, the settings the bench raises, and the first-start coordinator invite read from its console.
/// </summary>
internal sealed class RelayServer : HubServer
{
    private readonly string _serverDll;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private ChildProcess _process;

    private RelayServer(string serverDll, IReadOnlyDictionary<string, string> settings, int port, string dataDirectory, ChildProcess process, string? invite)
        : base("relay", port)
    {
        _serverDll = serverDll;
        _settings = settings;
        DataDirectory = dataDirectory;
        _process = process;
        CoordinatorInvite = invite;
    }

    public override ChildProcess Process => _process;

    public string DataDirectory { get; }

    /// <summary>The one-time coordinator invite printed on first start.</summary>
    public string? CoordinatorInvite { get; }

    public static async Task<RelayServer> StartAsync(string serverDll, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "safementor-load", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort();
        string? invite = null;
        try
        {
            var process = await StartProcessAsync(serverDll, settings, port, dataDirectory, line =>
            {
                var at = line.IndexOf("smi_", StringComparison.Ordinal);
                if (at >= 0 && line.Contains("invite", StringComparison.Ordinal))
                {
                    invite = line[at..].Trim();
                }
            }, cancellationToken);
            return new RelayServer(serverDll, settings, port, dataDirectory, process, invite);
        }
        catch
        {
            Directory.Delete(dataDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>Stops the relay as a service manager would (SIGTERM) and starts it again on the same port and data folder.</summary>
    public override async Task<(TimeSpan Stop, TimeSpan Start)> RestartAsync(CancellationToken cancellationToken)
    {
        var stopping = System.Diagnostics.Stopwatch.GetTimestamp();
        await _process.StopAsync(TimeSpan.FromSeconds(30));
        var stopped = System.Diagnostics.Stopwatch.GetElapsedTime(stopping);
        await _process.DisposeAsync();
        _process = await StartProcessAsync(_serverDll, _settings, Port, DataDirectory, null, cancellationToken);
        return (stopped, _process.StartupTime);
    }

    public override async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temporary folder's own clean-up.
        }
    }

    protected override Uri HubAddress(BenchAccount account) => Hub;

    protected override void ConfigureConnection(HttpConnectionOptions options, BenchAccount account)
        => options.AccessTokenProvider = () => Task.FromResult(account.AccessToken);

    private static Task<ChildProcess> StartProcessAsync(
        string serverDll, IReadOnlyDictionary<string, string> settings, int port, string dataDirectory, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["SafeMentor__DataDirectory"] = dataDirectory,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        return ChildProcess.StartAsync(
            "relay",
            serverDll,
            ["--urls", $"http://127.0.0.1:{port}"],
            environment,
            dataDirectory,
            line => line.Contains("Now listening", StringComparison.Ordinal),
            onLine,
            cancellationToken);
    }
}
