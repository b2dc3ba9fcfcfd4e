using System.CommandLine;
using SafeMentor.LoadGenerator;
using SafeMentor.LoadGenerator.BareHub;
using SafeMentor.LoadGenerator.Scenarios;

// dotnet build -c Release server/SafeMentor.Server
// dotnet run -c Release --project bench/SafeMentor.LoadGenerator -- --quick
// Starts the built relay and a bare SignalR hub as child processes and reports every figure as a ratio to the bare hub.
var server = new Option<string>("--server") { Description = "The built relay, SafeMentor.Server.dll (Release build)", DefaultValueFactory = _ => DefaultServerDll() };
var scenario = new Option<string[]>("--scenario") { Description = "Scenarios to run: names, parts of names or * patterns (default: all; --list shows them)", AllowMultipleArgumentsPerToken = true };
var seconds = new Option<double>("--seconds") { Description = "Length of each measured window-mode and fixed-rate run", DefaultValueFactory = _ => 10 };
var warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured load before a scenario's first repeat", DefaultValueFactory = _ => 10 };
var repeat = new Option<int>("--repeat") { Description = "Repeats of each scenario; the report gives median (min–max)", DefaultValueFactory = _ => 1 };
var quick = new Option<bool>("--quick") { Description = $"Every scenario briefly, as a smoke check: 2 s runs, 0.5 s warm-up, counts divided by {LoadOptions.QuickDivisor}" };
var size = new Option<int>("--size") { Description = "Ciphertext bytes per envelope (314 to 65536)", DefaultValueFactory = _ => 1024 };
var output = new Option<string?>("--out") { Description = "Also write the markdown report to this file" };
var offlinePairs = new Option<int>("--offline-pairs") { Description = "Pairs for the offline and restart scenarios (default 100)" };
var idlePerAccount = new Option<int>("--idle-per-account") { Description = "Idle connections per account", DefaultValueFactory = _ => 100 };
var idleSeconds = new Option<double>("--idle-seconds") { Description = "How long idle connections are held while their CPU is measured", DefaultValueFactory = _ => 5 };
var parallel = new Option<int>("--parallel-invocations") { Description = "Hub invocations a connection may have running at once, on the bare hub and (as MaxInFlightPerConnection) on the relay", DefaultValueFactory = _ => 32 };
var set = new Option<string[]>("--set") { Description = "Extra relay setting as an environment variable, KEY=VALUE (repeatable; overrides the bench's own)" };
var list = new Option<bool>("--list") { Description = "List the scenarios and exit" };

var root = new RootCommand("SafeMentor relay load generator: the relay against a bare SignalR hub, in the same run, as ratios.")
{
    server, scenario, seconds, warmup, repeat, quick, size, output, offlinePairs, idlePerAccount, idleSeconds, parallel, set, list,
};
root.SetAction(async (parse, cancellationToken) =>
{
    if (parse.GetValue(list))
    {
        foreach (var s in ScenarioCatalog.All)
        {
            Console.WriteLine($"{s.Name,-24} {s.Describe(s.Count)}");
        }

        return 0;
    }

    var isQuick = parse.GetValue(quick);
    double Pick(Option<double> option, double quickValue) => isQuick && parse.GetResult(option) is null or { Implicit: true } ? quickValue : parse.GetValue(option);
    var settings = new Dictionary<string, string>();
    foreach (var pair in parse.GetValue(set) ?? [])
    {
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0)
        {
            await Console.Error.WriteLineAsync($"--set expects KEY=VALUE, got {pair}");
            return 2;
        }

        settings[pair[..at]] = pair[(at + 1)..];
    }

    var options = new LoadOptions
    {
        ServerDll = Path.GetFullPath(parse.GetValue(server)!),
        Scenarios = parse.GetValue(scenario) ?? [],
        Duration = TimeSpan.FromSeconds(Pick(seconds, 2)),
        Warmup = TimeSpan.FromSeconds(Pick(warmup, 0.5)),
        IdleHold = TimeSpan.FromSeconds(Pick(idleSeconds, 1)),
        Repeat = parse.GetValue(repeat),
        Quick = isQuick,
        CiphertextSize = parse.GetValue(size),
        OutputFile = parse.GetValue(output),
        OfflinePairs = parse.GetValue(offlinePairs),
        IdleConnectionsPerAccount = parse.GetValue(idlePerAccount),
        ParallelInvocations = parse.GetValue(parallel),
        RelaySettings = settings,
    };
    if (options.CiphertextSize is < SafeMentor.LoadGenerator.Load.Payload.MinimumSize or > SafeMentor.Contracts.Limits.MaxEnvelopeBytes
        || options.Repeat < 1 || options.Duration <= TimeSpan.Zero || options.IdleConnectionsPerAccount < 1 || options.ParallelInvocations < 1)
    {
        await Console.Error.WriteLineAsync("Out of range: --size must be 314 to 65536, --repeat, --seconds, --idle-per-account and --parallel-invocations positive.");
        return 2;
    }

    return await Bench.RunAsync(options, "SafeMentor.LoadGenerator " + string.Join(' ', args), cancellationToken);
});

var urls = new Option<string>("--urls") { Description = "Address to listen on", Required = true };
var bareParallel = new Option<int>("--parallel-invocations") { DefaultValueFactory = _ => 32 };
var bareHub = new Command("bare-hub", "Host the bare hub (the load generator starts this itself)") { urls, bareParallel };
bareHub.SetAction((parse, cancellationToken) => BareHubHost.RunAsync(parse.GetValue(urls)!, parse.GetValue(bareParallel), cancellationToken));
root.Subcommands.Add(bareHub);

return await root.Parse(args).InvokeAsync();

// The Release build of the relay in the repository this program was built from (or is run in).
static string DefaultServerDll()
{
    foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "SafeMentor.sln")))
            {
                return Path.Combine(folder.FullName, "server", "SafeMentor.Server", "bin", "Release", "net10.0", "SafeMentor.Server.dll");
            }
        }
    }

    return Path.Combine("server", "SafeMentor.Server", "bin", "Release", "net10.0", "SafeMentor.Server.dll");
}
