using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Load;
using SafeMentor.LoadGenerator.Report;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>
/// Window mode and fixed-rate mode: pairs of connected mentors and mentees sending to each other in both
/// directions, the recipients acknowledging as they receive. Each repeat measures the relay and the bare hub in
/// turn on the same pairs, with fresh connections and fresh tokens.
/// </summary>
internal static class OnlineScenario
{
    private sealed record Outcome(RunRecorder Run, double Seconds, long Scheduled, long Skipped, double ServerCpuMs, long ServerRss, double ClientCpuMs, AckTotals Acks, bool Settled, Receiver Receiver);

    public static async Task RunAsync(Session session, Scenario scenario, LoadOptions options, ScenarioResult result, CancellationToken cancellationToken)
    {
        foreach (var target in session.Targets(0))
        {
            await MeasureAsync(session, target, scenario, options, options.Warmup, cancellationToken);
        }

        for (var repeat = 0; repeat < options.Repeat; repeat++)
        {
            var outcomes = new Dictionary<HubServer, Outcome>();
            foreach (var target in session.Targets(repeat))
            {
                outcomes[target] = await MeasureAsync(session, target, scenario, options, options.Duration, cancellationToken);
            }

            var relay = outcomes[session.Relay];
            var bare = outcomes[session.Bare];
            result.Repeats.Add(Metrics(scenario, relay, bare));
            foreach (var (name, outcome) in new[] { ("relay", relay), ("bare hub", bare) })
            {
                if (Measure.DescribeErrors(name, outcome.Run) is { } errors)
                {
                    result.Notes.Add($"repeat {repeat + 1}, {errors}");
                }

                if (!outcome.Settled)
                {
                    result.Notes.Add($"repeat {repeat + 1}, {name}: acknowledgements stopped making progress for {Measure.Quiet.TotalSeconds:0} s after the run");
                }

                if (Measure.DescribeDrops(name, outcome.Receiver) is { } drops)
                {
                    result.Notes.Add($"repeat {repeat + 1}, {drops}");
                }
            }
        }
    }

    private static List<Metric> Metrics(Scenario scenario, Outcome relay, Outcome bare)
    {
        var metrics = new List<Metric>();
        if (scenario.Kind == ScenarioKind.FixedRate)
        {
            metrics.Add(new Metric("offered msg/s", relay.Scheduled / relay.Seconds, bare.Scheduled / bare.Seconds, "N0"));
            metrics.Add(new Metric("delivered within the run (%)", 100.0 * relay.Run.ReceivedInWindow / relay.Scheduled, 100.0 * bare.Run.ReceivedInWindow / bare.Scheduled, "0.00"));
        }

        metrics.Add(new Metric("delivered msg/s", Throughput(relay), Throughput(bare), "N0"));
        Latencies(metrics, "to receipt", relay.Run.ReceiptLatency, bare.Run.ReceiptLatency);
        Latencies(metrics, "to safe", relay.Run.SafeLatency, bare.Run.SafeLatency);
        metrics.Add(new Metric("server CPU per message (ms)", Measure.PerMessage(relay.ServerCpuMs, relay.Run.Received), Measure.PerMessage(bare.ServerCpuMs, bare.Run.Received), "0.000"));
        metrics.Add(new Metric("load generator CPU per message (ms)", Measure.PerMessage(relay.ClientCpuMs, relay.Run.Received), Measure.PerMessage(bare.ClientCpuMs, bare.Run.Received), "0.000"));
        metrics.Add(new Metric("ack call time per envelope (ms)", relay.Acks.MsPerEnvelope, bare.Acks.MsPerEnvelope, "0.000"));
        metrics.Add(new Metric("server RSS at the end (MiB)", relay.ServerRss / Measure.MiB, bare.ServerRss / Measure.MiB, "N1"));
        Counts(metrics, relay.Run, bare.Run);
        if (scenario.Kind == ScenarioKind.FixedRate)
        {
            metrics.Add(Metric.Count("sends skipped (backlog full)", relay.Skipped, bare.Skipped));
        }

        metrics.Add(Metric.Count("failed ack calls", relay.Acks.Errors, bare.Acks.Errors));
        metrics.Add(Metric.Count("connections dropped (and reconnected)", relay.Receiver.Drops, bare.Receiver.Drops));
        return metrics;
    }

    /// <summary>Window mode: arrivals within the measured window per second. Fixed rate: arrivals within the run and its grace period, per second of schedule.</summary>
    private static double Throughput(Outcome outcome) => outcome.Run.ReceivedInWindow / outcome.Seconds;

    public static void Latencies(List<Metric> metrics, string what, Percentiles relay, Percentiles bare)
    {
        metrics.Add(new Metric($"p50 {what} (ms)", relay.P50, bare.P50, "0.00"));
        metrics.Add(new Metric($"p90 {what} (ms)", relay.P90, bare.P90, "0.00"));
        metrics.Add(new Metric($"p99 {what} (ms)", relay.P99, bare.P99, "0.00"));
        metrics.Add(new Metric($"p99.9 {what} (ms)", relay.P999, bare.P999, "0.00"));
    }

    public static void Counts(List<Metric> metrics, RunRecorder relay, RunRecorder bare)
    {
        metrics.Add(Metric.Count("lost (safe, never received)", relay.Lost, bare.Lost));
        metrics.Add(Metric.Count("duplicated", relay.Duplicates, bare.Duplicates));
        metrics.Add(Metric.Count("out of order", relay.OutOfOrder, bare.OutOfOrder));
        metrics.Add(Metric.Count("failed sends", relay.SendErrors, bare.SendErrors));
    }

    /// <summary>
    /// Warms both servers up before a session's first scenario in <paramref name="protocol"/>: every pair, four
    /// sends in flight each way, for the warm-up time. Many envelopes through every code path compile them fully
    /// (tiered JIT); a slow scenario such as one pair with one send in flight would otherwise pay for that in its
    /// CPU figures.
    /// </summary>
    public static async Task WarmUpAsync(Session session, WireProtocol protocol, LoadOptions options, CancellationToken cancellationToken)
    {
        var warmup = new Scenario("warm-up", ScenarioKind.Window, protocol, Pairs: session.Cohort.Pairs.Count, Window: 4);
        foreach (var target in session.Targets(0))
        {
            await MeasureAsync(session, target, warmup, options, options.Warmup, cancellationToken);
        }
    }

    private static async Task<Outcome> MeasureAsync(Session session, HubServer target, Scenario scenario, LoadOptions options, TimeSpan duration, CancellationToken cancellationToken)
    {
        await session.RefreshTokensAsync(cancellationToken);
        var pairs = session.Cohort.Pairs.Take(scenario.Pairs).ToList();
        var receiver = new Receiver();
        var connections = await Measure.ConnectAsync(target, [.. pairs.SelectMany(p => new[] { p.Mentor, p.Mentee })], scenario.Protocol, receiver, options, cancellationToken);
        try
        {
            var run = new RunRecorder();
            for (var i = 0; i < pairs.Count; i++)
            {
                run.AddStream(connections[2 * i], pairs[i].Mentee.AccountId, pairs[i].MentorshipId);
                run.AddStream(connections[(2 * i) + 1], pairs[i].Mentor.AccountId, pairs[i].MentorshipId);
            }

            receiver.Current = run;
            var server = target.Sample();
            var self = ProcessStats.Self();
            long scheduled = 0, skipped = 0;
            if (scenario.Kind == ScenarioKind.Window)
            {
                await Senders.RunWindowAsync(run, scenario.Window, options.CiphertextSize, duration, cancellationToken);
            }
            else
            {
                var grace = TimeSpan.FromSeconds(Math.Min(1, duration.TotalSeconds / 10));
                (scheduled, skipped) = await Senders.RunRateAsync(run, scenario.Rate, options.CiphertextSize, duration, grace, maxOutstanding: scenario.Rate, cancellationToken);
            }

            var settled = await Measure.SettleAsync(run, connections, cancellationToken);
            var serverAfter = target.Sample();
            var selfAfter = ProcessStats.Self();
            return new Outcome(run, duration.TotalSeconds, scheduled, skipped, serverAfter.CpuMsSince(server), serverAfter.RssBytes,
                selfAfter.CpuMsSince(self), Measure.Acks(connections), settled, receiver);
        }
        finally
        {
            receiver.Current = null;
            await LoadConnection.CloseAllAsync(connections);
        }
    }
}
