using System.Globalization;
using SafeMentor.LoadGenerator.BareHub;
using SafeMentor.LoadGenerator.Relay;

namespace SafeMentor.LoadGenerator.Hosting;

/// <summary>The bare hub: this program started again in <c>bare-hub</c> mode, as a child process of its own.</summary>
internal sealed class BareHubServer : HubServer
{
    private readonly int _parallelInvocations;
    private ChildProcess _process;

    private BareHubServer(int port, int parallelInvocations, ChildProcess process)
        : base("bare hub", port)
    {
        _parallelInvocations = parallelInvocations;
        _process = process;
    }

    public override ChildProcess Process => _process;

    public static async Task<BareHubServer> StartAsync(int parallelInvocations, CancellationToken cancellationToken)
    {
        var port = FreePort();
        return new BareHubServer(port, parallelInvocations, await StartProcessAsync(port, parallelInvocations, cancellationToken));
    }

    /// <summary>Stops the bare hub and starts it again on the same port.</summary>
    public override async Task<(TimeSpan Stop, TimeSpan Start)> RestartAsync(CancellationToken cancellationToken)
    {
        var stopping = System.Diagnostics.Stopwatch.GetTimestamp();
        await _process.StopAsync(TimeSpan.FromSeconds(30));
        var stopped = System.Diagnostics.Stopwatch.GetElapsedTime(stopping);
        await _process.DisposeAsync();
        _process = await StartProcessAsync(Port, _parallelInvocations, cancellationToken);
        return (stopped, _process.StartupTime);
    }

    public override ValueTask DisposeAsync() => _process.DisposeAsync();

    protected override Uri HubAddress(BenchAccount account)
        => new($"{Hub}?{QueryStringUserIdProvider.Parameter}={Uri.EscapeDataString(account.AccountId)}");

    private static Task<ChildProcess> StartProcessAsync(int port, int parallelInvocations, CancellationToken cancellationToken)
        => ChildProcess.StartAsync(
            "bare-hub",
            typeof(BareHubHost).Assembly.Location,
            ["bare-hub", "--urls", $"http://127.0.0.1:{port}", "--parallel-invocations", parallelInvocations.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            AppContext.BaseDirectory,
            line => line.StartsWith(BareHubHost.ReadyLine, StringComparison.Ordinal),
            null,
            cancellationToken);
}
