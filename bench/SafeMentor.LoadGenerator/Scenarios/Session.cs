using System.Globalization;
using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Relay;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>
/// The two servers of a measurement, started fresh for it: the relay (with its cohort of signed-in, consented
/// pairs) and the bare hub, each a child process with its own CPU and memory.
/// </summary>
internal sealed class Session : IAsyncDisposable
{
    private Session(RelayServer relay, BareHubServer bare, RelayApi api, Cohort cohort, IReadOnlyDictionary<string, string> settings, TimeSpan setupTime)
    {
        Relay = relay;
        Bare = bare;
        Api = api;
        Cohort = cohort;
        Settings = settings;
        SetupTime = setupTime;
    }

    public RelayServer Relay { get; }

    public BareHubServer Bare { get; }

    public RelayApi Api { get; }

    public Cohort Cohort { get; }

    /// <summary>The relay settings this session raised (environment variable names and values).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public TimeSpan SetupTime { get; }

    /// <summary>The servers in the order to measure them in repeat <paramref name="repeat"/>: alternating, so neither always goes first.</summary>
    public IEnumerable<HubServer> Targets(int repeat) => repeat % 2 == 0 ? [Relay, Bare] : [Bare, Relay];

    public static async Task<Session> StartAsync(LoadOptions options, int pairs, int idleAccounts, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var relayStarting = RelayServer.StartAsync(options.ServerDll, settings, cancellationToken);
        var bareStarting = BareHubServer.StartAsync(options.ParallelInvocations, cancellationToken);
        try
        {
            await Task.WhenAll(relayStarting, bareStarting);
        }
        catch
        {
            // Task.WhenAll has waited for both: dispose whichever did start.
            if (relayStarting.IsCompletedSuccessfully)
            {
                await relayStarting.Result.DisposeAsync();
            }

            if (bareStarting.IsCompletedSuccessfully)
            {
                await bareStarting.Result.DisposeAsync();
            }

            throw;
        }

        var relay = relayStarting.Result;
        var bare = bareStarting.Result;
        RelayApi? api = null;
        try
        {
            api = new RelayApi(relay.BaseAddress);
            var invite = relay.CoordinatorInvite ?? throw new InvalidOperationException("The relay did not print a first-start coordinator invite.");
            var cohort = await Cohort.CreateAsync(api, invite, pairs, idleAccounts, cancellationToken);
            var setup = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            Console.Error.WriteLine($"  relay ready in {relay.Process.StartupTime.TotalSeconds:0.0} s, bare hub in {bare.Process.StartupTime.TotalSeconds:0.0} s (both started at once), accounts in {(setup - relay.Process.StartupTime).TotalSeconds:0.0} s");
            return new Session(relay, bare, api, cohort, settings, setup);
        }
        catch
        {
            api?.Dispose();
            await bare.DisposeAsync();
            await relay.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Signs in again every account whose token is more than 2 minutes old, so that connections opened next have at
    /// least 13 minutes before the relay closes them at the token's 15-minute expiry. Called before every phase
    /// that opens connections, outside the measured time.
    /// </summary>
    public Task RefreshTokensAsync(CancellationToken cancellationToken)
        => Cohort.RefreshTokensAsync(Api, TimeSpan.FromMinutes(2), cancellationToken);

    /// <summary>
    /// The settings the bench raises on the relay for a session that opens up to <paramref name="connections"/>
    /// connections, <paramref name="connectionsPerAccount"/> per account, and queues up to
    /// <paramref name="queued"/> envelopes of <paramref name="size"/> bytes.
    /// </summary>
    public static Dictionary<string, string> RaisedSettings(LoadOptions options, int connections, int connectionsPerAccount, int queued, int size)
    {
        var settings = new Dictionary<string, string>
        {
            // Per-account send rate: the bench sends far faster from one account than any person would.
            ["SafeMentor__Relay__SendsPerSecond"] = I(100_000),
            ["SafeMentor__Relay__SendBurst"] = I(100_000),
            ["SafeMentor__Relay__MaxInFlightPerConnection"] = I(options.ParallelInvocations),

            // Account creation and sign-in for a whole cohort come from one address within seconds.
            ["SafeMentor__RateLimits__AnonymousPerAddressPerMinute"] = I(1_000_000),
            ["SafeMentor__RateLimits__AnonymousPerSecond"] = I(100_000),
            ["SafeMentor__Keys__BundleRequestsPerMinute"] = I(100_000),

            // Hub connections skip negotiation, so each is one upgraded socket; plain HTTP needs only what set-up and
            // sign-ins use at once. The relay refuses caps that would not fit below its descriptor limit.
            ["SafeMentor__Connections__MaxConcurrent"] = I(2_000),
            ["SafeMentor__Connections__MaxUpgraded"] = I(connections + 1_000),
        };
        if (connectionsPerAccount > 5)
        {
            settings["SafeMentor__Auth__MaxConnectionsPerAccount"] = I(connectionsPerAccount);
        }

        if (queued > 0)
        {
            settings["SafeMentor__Relay__MaxQueuedEnvelopes"] = I(Math.Max(queued, 2_000));
            settings["SafeMentor__Relay__MaxQueuedBytes"] = I(Math.Max((long)queued * size * 2, 32L * 1024 * 1024));
        }

        foreach (var (key, value) in options.RelaySettings)
        {
            settings[key] = value;
        }

        return settings;
    }

    public async ValueTask DisposeAsync()
    {
        Cohort.Dispose();
        Api.Dispose();
        await Bare.DisposeAsync();
        await Relay.DisposeAsync();
    }

    private static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
}
