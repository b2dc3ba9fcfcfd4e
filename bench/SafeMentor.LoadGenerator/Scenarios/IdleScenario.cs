using System.Diagnostics;
using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Load;
using SafeMentor.LoadGenerator.Relay;
using SafeMentor.LoadGenerator.Report;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>
/// Signed-in connections that only stay open (the server's keep-alive pings aside). Measured per connection: the
/// server's memory (RSS with all open minus RSS before), its CPU while they idle, and how fast they open.
/// Connections are spread over accounts, several per account, as people with several devices have. Every repeat
/// starts both servers afresh.
/// </summary>
internal static class IdleScenario
{
    private sealed record Outcome(int Opened, int Failed, string? FirstError, double OpenSeconds, long RssBefore, long RssOpen, double IdleCpuMs, double IdleSeconds, Receiver Receiver);

    public static async Task RunAsync(Session session, Scenario scenario, int count, LoadOptions options, ScenarioResult result, CancellationToken cancellationToken)
    {
        for (var repeat = 0; repeat < options.Repeat; repeat++)
        {
            var outcomes = new Dictionary<HubServer, Outcome>();
            foreach (var target in session.Targets(repeat))
            {
                // Each repeat on a freshly started process: one that has held thousands of connections keeps the
                // memory it grew for them, and the next repeat's growth would look smaller than it is.
                if (repeat > 0)
                {
                    await target.RestartAsync(cancellationToken);
                }

                await session.RefreshTokensAsync(cancellationToken);
                outcomes[target] = await MeasureAsync(target, session.Cohort.IdleAccounts, scenario.Protocol, count, options, cancellationToken);
            }

            var relay = outcomes[session.Relay];
            var bare = outcomes[session.Bare];
            result.Repeats.Add(
            [
                new Metric("connections opened per second", relay.Opened / relay.OpenSeconds, bare.Opened / bare.OpenSeconds, "N0"),
                new Metric("server RSS per idle connection (KiB)", PerConnection(relay) / 1024, PerConnection(bare) / 1024, "N1"),
                new Metric("server RSS with all open (MiB)", relay.RssOpen / Measure.MiB, bare.RssOpen / Measure.MiB, "N1"),
                new Metric("server RSS before opening (MiB)", relay.RssBefore / Measure.MiB, bare.RssBefore / Measure.MiB, "N1"),
                new Metric("server CPU while idle (µs per connection per second)", IdleCost(relay), IdleCost(bare), "0.00"),
                Metric.Count("connections refused or failed", relay.Failed, bare.Failed),
                Metric.Count("connections dropped (and reconnected)", relay.Receiver.Drops, bare.Receiver.Drops),
            ]);
            foreach (var (name, outcome) in new[] { ("relay", relay), ("bare hub", bare) })
            {
                if (outcome.FirstError is { } error)
                {
                    result.Notes.Add($"repeat {repeat + 1}, {name}: {outcome.Failed} connections failed; the first with: {error}");
                }

                if (Measure.DescribeDrops(name, outcome.Receiver) is { } drops)
                {
                    result.Notes.Add($"repeat {repeat + 1}, {drops}");
                }
            }
        }
    }

    private static double PerConnection(Outcome outcome) => outcome.Opened > 0 ? (double)(outcome.RssOpen - outcome.RssBefore) / outcome.Opened : double.NaN;

    private static double IdleCost(Outcome outcome) => outcome.Opened > 0 ? outcome.IdleCpuMs * 1000 / outcome.Opened / outcome.IdleSeconds : double.NaN;

    private static async Task<Outcome> MeasureAsync(HubServer target, IReadOnlyList<BenchAccount> accounts, WireProtocol protocol, int count, LoadOptions options, CancellationToken cancellationToken)
    {
        var receiver = new Receiver();
        var before = target.Sample();
        var connections = new LoadConnection?[count];
        var failed = 0;
        string? firstError = null;
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.ConnectParallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                connections[i] = await LoadConnection.OpenAsync(target, accounts[i % accounts.Count], protocol, receiver, ct);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or System.Net.WebSockets.WebSocketException or TimeoutException
                || (e is OperationCanceledException && !ct.IsCancellationRequested))
            {
                if (Interlocked.Increment(ref failed) == 1)
                {
                    firstError = e.GetType().Name + ": " + e.Message;
                }
            }
        });
        var openSeconds = Measure.Seconds(started);
        var open = connections.OfType<LoadConnection>().ToList();
        try
        {
            // Let the servers finish the work of connecting (handshakes, first pings) before reading their memory.
            await Task.Delay(options.IdleHold / 2, cancellationToken);
            var settled = target.Sample();
            var hold = options.IdleHold;
            await Task.Delay(hold, cancellationToken);
            var held = target.Sample();
            return new Outcome(open.Count, failed, firstError, openSeconds, before.RssBytes, settled.RssBytes, held.CpuMsSince(settled), hold.TotalSeconds, receiver);
        }
        finally
        {
            await LoadConnection.CloseAllAsync(open, options.ConnectParallelism);
        }
    }
}
