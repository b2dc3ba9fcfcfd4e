using System.Diagnostics;
using SafeMentor.LoadGenerator.Hosting;
using SafeMentor.LoadGenerator.Load;
using SafeMentor.LoadGenerator.Relay;

namespace SafeMentor.LoadGenerator.Scenarios;

/// <summary>Steps the scenarios share: connecting pairs, waiting for delivery and acknowledgements, reading CPU and memory.</summary>
internal static class Measure
{
    /// <summary>How long delivery may make no progress before the missing envelopes count as lost.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);

    public const double MiB = 1024 * 1024;

    /// <summary>Opens a connection for each account of <paramref name="accounts"/> on <paramref name="target"/>.</summary>
    public static Task<LoadConnection[]> ConnectAsync(HubServer target, IReadOnlyList<BenchAccount> accounts, WireProtocol protocol, Receiver receiver, LoadOptions options, CancellationToken cancellationToken)
        => LoadConnection.OpenManyAsync(target, accounts, protocol, receiver, options.ConnectParallelism, cancellationToken);

    /// <summary>Waits until every safe envelope has arrived (or delivery stalls) and every arrival is acknowledged.</summary>
    public static async Task<bool> SettleAsync(RunRecorder run, IEnumerable<LoadConnection> connections, CancellationToken cancellationToken)
    {
        await run.WaitForDeliveryAsync(Quiet, cancellationToken);
        var acked = await Task.WhenAll(connections.Select(c => c.WaitForAcksAsync(Quiet)));
        return acked.All(a => a);
    }

    public static AckTotals Acks(IEnumerable<LoadConnection> connections)
    {
        long acknowledged = 0, calls = 0, ticks = 0, errors = 0;
        foreach (var connection in connections)
        {
            acknowledged += connection.Acks.Acknowledged;
            calls += connection.Acks.Calls;
            ticks += connection.Acks.CallTicks;
            errors += connection.Acks.Errors;
        }

        return new AckTotals(acknowledged, calls, ticks, errors);
    }

    public static double Seconds(long fromTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp).TotalSeconds;

    public static double PerMessage(double total, long messages) => messages > 0 ? total / messages : double.NaN;

    /// <summary>How many connections dropped and why the first did, for the report's notes; null if none did.</summary>
    public static string? DescribeDrops(string server, Receiver receiver)
        => receiver.Drops == 0 ? null : $"{server}: {receiver.Drops} connection drop(s), {receiver.Reconnects} reconnected; the first: {receiver.FirstDrop}";

    /// <summary>The relay's last logged errors since the last call, for the report's notes; null if none.</summary>
    public static string? DescribeRelayProblems(ChildProcess relay)
        => relay.TakeProblems() is { Count: > 0 } lines ? "relay's last logged errors: " + string.Join(" / ", lines.Select(l => $"`{l}`")) : null;

    /// <summary>A short description of the errors a run saw, for the report's notes.</summary>
    public static string? DescribeErrors(string server, RunRecorder run)
        => run.Errors.Count == 0 ? null : $"{server}: send errors " + string.Join(", ", run.Errors.OrderByDescending(e => e.Value).Select(e => $"{e.Key} ×{e.Value}"));
}

/// <summary>Acknowledgement totals over some connections: ids acknowledged, calls, time spent in calls, failed calls.</summary>
internal readonly record struct AckTotals(long Acknowledged, long Calls, long Ticks, long Errors)
{
    /// <summary>Time spent in Ack calls per acknowledged envelope, in milliseconds.</summary>
    public double MsPerEnvelope => Acknowledged > 0 ? Ticks * 1000.0 / Stopwatch.Frequency / Acknowledged : double.NaN;
}
