using System.Diagnostics;
using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Load;
using SafeMentor.LoadGenerator.Relay;
using SafeMentor.LoadGenerator.Report;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>
/// Recipients offline, then draining. On the relay: the mentors send <c>count</c> envelopes in all (a window of
/// sends in flight each) while the mentees are not connected; then the mentees connect, receive their queues and
/// acknowledge them. The bare hub cannot store, so its figure is the time to push the same count live, mentees
/// online. The fill rate is compared with LiteDB's own batched insert rate for the same documents.
/// </summary>
internal static class OfflineScenario
{
    /// <summary>What filling the relay's queue cost.</summary>
    public sealed record Fill(RunRecorder Run, double Seconds, double ServerCpuMs);

    /// <summary>What draining (relay) or pushing live (bare hub) cost.</summary>
    public sealed record Delivery(double Seconds, double ServerCpuMs, long ServerRss, AckTotals Acks, bool Settled, Receiver Receiver);

    public static async Task RunAsync(Session session, Scenario scenario, int count, LoadOptions options, ScenarioResult result, CancellationToken cancellationToken)
    {
        var pairs = session.Cohort.Pairs.Take(scenario.Pairs).ToList();
        for (var repeat = 0; repeat < options.Repeat; repeat++)
        {
            Fill? fill = null;
            Delivery? drain = null;
            (RunRecorder Run, Delivery Delivery)? push = null;
            foreach (var target in session.Targets(repeat))
            {
                if (target == session.Relay)
                {
                    await session.RefreshTokensAsync(cancellationToken);
                    var (filled, mentors, receiver) = await FillAsync(session.Relay, pairs, scenario, count, options, cancellationToken);
                    await LoadConnection.CloseAllAsync(mentors);
                    await session.RefreshTokensAsync(cancellationToken);
                    fill = filled;
                    drain = await DrainAsync(session.Relay, pairs, scenario, filled.Run, receiver, options, cancellationToken);
                }
                else
                {
                    await session.RefreshTokensAsync(cancellationToken);
                    push = await PushLiveAsync(session.Bare, pairs, scenario, count, options, cancellationToken);
                }
            }

            var lite = LiteDbBaseline.InsertRate(count, options.CiphertextSize, pairs.Count);
            result.Repeats.Add(Metrics(fill!, drain!, push!.Value.Run, push.Value.Delivery, lite));
            Notes(result, repeat, fill!.Run, drain!, push.Value.Run, push.Value.Delivery);
        }
    }

    public static List<Metric> Metrics(Fill fill, Delivery drain, RunRecorder pushRun, Delivery push, double liteRate)
    {
        var metrics = new List<Metric>
        {
            new("fill msg/s", fill.Run.Sent / fill.Seconds, liteRate, "N0",
                BaselineName: $"LiteDB batched insert, {LiteDbBaseline.BatchSize} per durable transaction"),
        };
        OnlineScenario.Latencies(metrics, "to safe while filling", fill.Run.SafeLatency, pushRun.SafeLatency);
        metrics.Add(new Metric("drain and acknowledge all (s)", drain.Seconds, push.Seconds, "0.00",
            BaselineName: "bare hub: push the same count live"));
        metrics.Add(new Metric("server CPU per envelope, filling (ms)", Measure.PerMessage(fill.ServerCpuMs, fill.Run.Sent), Measure.PerMessage(push.ServerCpuMs, pushRun.Sent), "0.000"));
        metrics.Add(new Metric("server CPU per envelope, drain and ack (ms)", Measure.PerMessage(drain.ServerCpuMs, fill.Run.Sent), double.NaN, "0.000"));
        metrics.Add(new Metric("ack call time per envelope (ms)", drain.Acks.MsPerEnvelope, push.Acks.MsPerEnvelope, "0.000"));
        metrics.Add(new Metric("server RSS after draining (MiB)", drain.ServerRss / Measure.MiB, push.ServerRss / Measure.MiB, "N1"));
        OnlineScenario.Counts(metrics, fill.Run, pushRun);
        metrics.Add(Metric.Count("failed ack calls", drain.Acks.Errors, push.Acks.Errors));
        metrics.Add(Metric.Count("connections dropped (and reconnected)", drain.Receiver.Drops, push.Receiver.Drops));
        return metrics;
    }

    public static void Notes(ScenarioResult result, int repeat, RunRecorder relayRun, Delivery drain, RunRecorder bareRun, Delivery push)
    {
        foreach (var note in new[] { Measure.DescribeErrors("relay", relayRun), Measure.DescribeErrors("bare hub", bareRun) })
        {
            if (note is not null)
            {
                result.Notes.Add($"repeat {repeat + 1}, {note}");
            }
        }

        if (!drain.Settled || !push.Settled)
        {
            result.Notes.Add($"repeat {repeat + 1}: delivery or acknowledgement made no progress for {Measure.Quiet.TotalSeconds:0} s; the times include that wait");
        }

        foreach (var note in new[] { Measure.DescribeDrops("relay", drain.Receiver), Measure.DescribeDrops("bare hub", push.Receiver) })
        {
            if (note is not null)
            {
                result.Notes.Add($"repeat {repeat + 1}, {note}");
            }
        }
    }

    /// <summary>
    /// Mentors connect and send <paramref name="count"/> envelopes in all to their offline mentees. Returns the fill,
    /// the mentors' connections (still open) and the receiver that the mentees' connections must report to.
    /// </summary>
    public static async Task<(Fill Fill, LoadConnection[] Mentors, Receiver Receiver)> FillAsync(
        RelayServer relay, IReadOnlyList<BenchPair> pairs, Scenario scenario, int count, LoadOptions options, CancellationToken cancellationToken)
    {
        var receiver = new Receiver();
        var mentors = await Measure.ConnectAsync(relay, [.. pairs.Select(p => p.Mentor)], scenario.Protocol, receiver, options, cancellationToken);
        var run = new RunRecorder();
        for (var i = 0; i < pairs.Count; i++)
        {
            run.AddStream(mentors[i], pairs[i].Mentee.AccountId, pairs[i].MentorshipId);
        }

        receiver.Current = run;
        var before = relay.Sample();
        var started = Stopwatch.GetTimestamp();
        await Senders.RunCountAsync(run, scenario.Window, options.CiphertextSize, PerStream(count, pairs.Count), cancellationToken);
        var seconds = Measure.Seconds(started);
        return (new Fill(run, seconds, relay.Sample().CpuMsSince(before)), mentors, receiver);
    }

    /// <summary>The mentees connect; the relay hands them their queues; they acknowledge everything.</summary>
    public static async Task<Delivery> DrainAsync(
        RelayServer relay, IReadOnlyList<BenchPair> pairs, Scenario scenario, RunRecorder run, Receiver receiver, LoadOptions options, CancellationToken cancellationToken)
    {
        receiver.Current = run;
        var before = relay.Sample();
        var started = Stopwatch.GetTimestamp();
        var mentees = await Measure.ConnectAsync(relay, [.. pairs.Select(p => p.Mentee)], scenario.Protocol, receiver, options, cancellationToken);
        try
        {
            var settled = await Measure.SettleAsync(run, mentees, cancellationToken);
            var seconds = Measure.Seconds(started);
            var after = relay.Sample();
            return new Delivery(seconds, after.CpuMsSince(before), after.RssBytes, Measure.Acks(mentees), settled, receiver);
        }
        finally
        {
            receiver.Current = null;
            await LoadConnection.CloseAllAsync(mentees);
        }
    }

    /// <summary>The bare hub's figure: the same count from the same mentors, pushed live to connected mentees who acknowledge.</summary>
    public static async Task<(RunRecorder Run, Delivery Delivery)> PushLiveAsync(
        BareHubServer bare, IReadOnlyList<BenchPair> pairs, Scenario scenario, int count, LoadOptions options, CancellationToken cancellationToken)
    {
        var receiver = new Receiver();
        var connections = await Measure.ConnectAsync(bare, [.. pairs.SelectMany(p => new[] { p.Mentor, p.Mentee })], scenario.Protocol, receiver, options, cancellationToken);
        try
        {
            var run = new RunRecorder();
            for (var i = 0; i < pairs.Count; i++)
            {
                run.AddStream(connections[2 * i], pairs[i].Mentee.AccountId, pairs[i].MentorshipId);
            }

            receiver.Current = run;
            var before = bare.Sample();
            var started = Stopwatch.GetTimestamp();
            await Senders.RunCountAsync(run, scenario.Window, options.CiphertextSize, PerStream(count, pairs.Count), cancellationToken);
            var settled = await Measure.SettleAsync(run, connections, cancellationToken);
            var seconds = Measure.Seconds(started);
            var after = bare.Sample();
            var mentees = connections.Where((_, i) => i % 2 == 1);
            return (run, new Delivery(seconds, after.CpuMsSince(before), after.RssBytes, Measure.Acks(mentees), settled, receiver));
        }
        finally
        {
            receiver.Current = null;
            await LoadConnection.CloseAllAsync(connections);
        }
    }

    private static long PerStream(int count, int streams) => (count + streams - 1) / streams;
}
