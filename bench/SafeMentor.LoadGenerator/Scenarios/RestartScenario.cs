using SafeMentor.LoadGenerator.Load;
using SafeMentor.LoadGenerator.Report;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>
/// Server start with a full queue: the queue is filled as in the offline scenario, the relay is stopped (SIGTERM)
/// and started again on the same data folder, and the mentees then connect and drain. The bare hub is restarted
/// too (empty, as it always is) and pushes the same count live.
/// </summary>
internal static class RestartScenario
{
    public static async Task RunAsync(Session session, Scenario scenario, int count, LoadOptions options, ScenarioResult result, CancellationToken cancellationToken)
    {
        var pairs = session.Cohort.Pairs.Take(scenario.Pairs).ToList();
        for (var repeat = 0; repeat < options.Repeat; repeat++)
        {
            await session.RefreshTokensAsync(cancellationToken);
            var (fill, mentors, receiver) = await OfflineScenario.FillAsync(session.Relay, pairs, scenario, count, options, cancellationToken);
            await LoadConnection.CloseAllAsync(mentors);
            var (relayStop, relayStart) = await session.Relay.RestartAsync(cancellationToken);
            var relayRssStart = session.Relay.Sample().RssBytes;
            await session.RefreshTokensAsync(cancellationToken);
            var drain = await OfflineScenario.DrainAsync(session.Relay, pairs, scenario, fill.Run, receiver, options, cancellationToken);

            var (bareStop, bareStart) = await session.Bare.RestartAsync(cancellationToken);
            var bareRssStart = session.Bare.Sample().RssBytes;
            await session.RefreshTokensAsync(cancellationToken);
            var (pushRun, push) = await OfflineScenario.PushLiveAsync(session.Bare, pairs, scenario, count, options, cancellationToken);

            var metrics = new List<Metric>
            {
                new("stop with a full queue (s)", relayStop.TotalSeconds, bareStop.TotalSeconds, "0.00"),
                new("start until listening (s)", relayStart.TotalSeconds, bareStart.TotalSeconds, "0.00"),
                new("server RSS after start (MiB)", relayRssStart / Measure.MiB, bareRssStart / Measure.MiB, "N1"),
                new("drain and acknowledge all after the start (s)", drain.Seconds, push.Seconds, "0.00",
                    BaselineName: "bare hub: push the same count live"),
                new("server CPU per envelope, drain and ack (ms)", Measure.PerMessage(drain.ServerCpuMs, fill.Run.Sent), Measure.PerMessage(push.ServerCpuMs, pushRun.Sent), "0.000"),
                new("server RSS after draining (MiB)", drain.ServerRss / Measure.MiB, push.ServerRss / Measure.MiB, "N1"),
                new("fill msg/s before the restart", fill.Run.Sent / fill.Seconds, double.NaN, "N0"),
            };
            OnlineScenario.Counts(metrics, fill.Run, pushRun);
            metrics.Add(Metric.Count("failed ack calls", drain.Acks.Errors, push.Acks.Errors));
            metrics.Add(Metric.Count("connections dropped (and reconnected)", drain.Receiver.Drops, push.Receiver.Drops));
            result.Repeats.Add(metrics);
            OfflineScenario.Notes(result, repeat, fill.Run, drain, pushRun, push);
        }
    }
}
