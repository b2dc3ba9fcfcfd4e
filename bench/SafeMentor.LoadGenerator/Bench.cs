using System.Diagnostics;
using System.Text;
using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Report;
using SafeMentor.LoadGenerator.Scenarios;

namespace SafeMentor.LoadGenerator;

/// <summary>
/// Runs the selected scenarios and writes the report. The window-mode and fixed-rate scenarios share one relay and
/// one bare hub (their queues are empty again after each run); every offline, idle and restart scenario gets fresh
/// servers, because its memory figures must not carry what an earlier scenario left. A quick run uses one pair of
/// servers for everything. Progress goes to standard error; the report goes to standard output (and to <c>--out</c>).
/// </summary>
internal static class Bench
{
    private sealed record SessionPlan(IReadOnlyList<Scenario> Scenarios, int Pairs, int IdleAccounts, int ConnectionsPerAccount, IReadOnlyDictionary<string, string> Settings);

    public static async Task<int> RunAsync(LoadOptions options, string commandLine, CancellationToken cancellationToken)
    {
        if (!File.Exists(options.ServerDll))
        {
            await Console.Error.WriteLineAsync($"The relay is not built at {options.ServerDll}. Build it first: dotnet build -c Release server/SafeMentor.Server (or pass --server).");
            return 2;
        }

        var scenarios = ScenarioCatalog.Select(options.Scenarios);
        if (scenarios.Count == 0)
        {
            await Console.Error.WriteLineAsync("No scenario matches; --list shows them.");
            return 2;
        }

        var connections = scenarios.Where(s => s.Kind == ScenarioKind.Idle).Select(s => options.Scale(s.Count)).DefaultIfEmpty(0).Max();
        if (ProcessStats.OpenFilesLimit() is { } limit && limit < connections + 1_000)
        {
            Progress($"warning: this process may open {limit} files; {connections:N0} idle connections need more. Raise it first (ulimit -n {connections + 1_000}); the servers get their hard limit.");
        }

        var report = new StringBuilder();
        Emit(report, MarkdownReport.Header(options, commandLine));
        var results = new List<ScenarioResult>();
        var started = Stopwatch.GetTimestamp();
        foreach (var plan in Plan(scenarios, options))
        {
            await RunInSessionAsync(options, plan, results, report, cancellationToken);
        }

        Emit(report, MarkdownReport.Targets(Targets.Evaluate(results)));
        Progress($"done in {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
        if (options.OutputFile is not null)
        {
            await File.WriteAllTextAsync(options.OutputFile, report.ToString(), cancellationToken);
        }

        return results.Any(r => r.Failure is not null) ? 1 : 0;
    }

    private static List<SessionPlan> Plan(IReadOnlyList<Scenario> selected, LoadOptions options)
    {
        var scenarios = selected
            .Select(s => s.Kind is ScenarioKind.Offline or ScenarioKind.Restart && options.OfflinePairs > 0 ? s with { Pairs = options.OfflinePairs } : s)
            .ToList();
        if (options.Quick)
        {
            return [PlanFor(scenarios, options)];
        }

        var online = scenarios.Where(s => s.Kind is ScenarioKind.Window or ScenarioKind.FixedRate).ToList();
        var plans = new List<SessionPlan>();
        if (online.Count > 0)
        {
            plans.Add(PlanFor(online, options));
        }

        plans.AddRange(scenarios.Except(online).Select(s => PlanFor([s], options)));
        return plans;
    }

    private static SessionPlan PlanFor(IReadOnlyList<Scenario> scenarios, LoadOptions options)
    {
        var pairs = scenarios.Select(s => s.Pairs).DefaultIfEmpty(0).Max();
        var idle = scenarios.Where(s => s.Kind == ScenarioKind.Idle).Select(s => options.Scale(s.Count)).DefaultIfEmpty(0).Max();
        var perAccount = Math.Max(1, Math.Min(options.IdleConnectionsPerAccount, idle));
        var idleAccounts = (idle + perAccount - 1) / perAccount;
        var queued = scenarios.Where(s => s.Kind is ScenarioKind.Offline or ScenarioKind.Restart).Select(s => options.Scale(s.Count)).DefaultIfEmpty(0).Max();
        var settings = Session.RaisedSettings(options, Math.Max(pairs * 2, idle), perAccount, queued, options.CiphertextSize);
        return new SessionPlan(scenarios, pairs, idleAccounts, perAccount, settings);
    }

    private static Task RunScenarioAsync(Session session, SessionPlan plan, Scenario scenario, LoadOptions options, ScenarioResult result, CancellationToken cancellationToken)
    {
        var count = options.Scale(scenario.Count);
        switch (scenario.Kind)
        {
            case ScenarioKind.Offline:
                return OfflineScenario.RunAsync(session, scenario, count, options, result, cancellationToken);
            case ScenarioKind.Restart:
                return RestartScenario.RunAsync(session, scenario, count, options, result, cancellationToken);
            case ScenarioKind.Idle:
                var accounts = Math.Min(plan.IdleAccounts, count);
                result.Notes.Add($"{count:N0} connections over {accounts:N0} account{(accounts == 1 ? "" : "s")}, up to {plan.ConnectionsPerAccount} per account");
                return IdleScenario.RunAsync(session, scenario, count, options, result, cancellationToken);
            default:
                return OnlineScenario.RunAsync(session, scenario, options, result, cancellationToken);
        }
    }

    private static async Task RunInSessionAsync(LoadOptions options, SessionPlan plan, List<ScenarioResult> results, StringBuilder report, CancellationToken cancellationToken)
    {
        Progress($"starting the relay and the bare hub; setting up {plan.Pairs} pairs and {plan.IdleAccounts} accounts for idle connections");
        Session? session = null;
        string? failure = null;
        try
        {
            session = await Session.StartAsync(options, plan.Pairs, plan.IdleAccounts, plan.Settings, cancellationToken);
            Progress($"ready in {session.SetupTime.TotalSeconds:0.0} s");
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or IOException)
        {
            failure = "could not start the servers: " + e.Message;
        }

        var warmed = new HashSet<WireProtocol>();
        try
        {
            foreach (var scenario in plan.Scenarios)
            {
                var result = new ScenarioResult(scenario, scenario.Describe(options.Scale(scenario.Count))) { Settings = plan.Settings, Failure = failure };
                if (session is not null)
                {
                    Progress($"{scenario.Name}: {result.Description}");
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        if (session.Cohort.Pairs.Count > 0 && scenario.Kind != ScenarioKind.Idle && warmed.Add(scenario.Protocol))
                        {
                            Progress($"warming both servers up with {scenario.ProtocolName}");
                            await OnlineScenario.WarmUpAsync(session, scenario.Protocol, options, cancellationToken);
                        }

                        await RunScenarioAsync(session, plan, scenario, options, result, cancellationToken);
                        if (Measure.DescribeRelayProblems(session.Relay.Process) is { } problems)
                        {
                            result.Notes.Add(problems);
                        }
                    }
                    catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TimeoutException or IOException
                        or Microsoft.AspNetCore.SignalR.HubException or System.Net.WebSockets.WebSocketException)
                    {
                        result.Failure = $"{e.GetType().Name}: {e.Message}\n\nThe relay's last lines{(session.Relay.Process.HasExited ? " (it had exited)" : "")}:\n\n```\n"
                            + session.Relay.Process.Tail() + "\n```";
                    }

                    Progress($"{scenario.Name}: {Stopwatch.GetElapsedTime(started).TotalSeconds:0} s");
                }

                results.Add(result);
                Emit(report, MarkdownReport.Scenario(result, options));
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static void Emit(StringBuilder report, string text)
    {
        report.Append(text);
        Console.Out.Write(text);
        Console.Out.Flush();
    }

    private static void Progress(string message)
        => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}
