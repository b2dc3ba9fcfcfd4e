using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Compliance;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Retention;

/// <summary>
/// How much a large sweep slows the relay: send latency through the hub, one send at a time, without a sweep and
/// while a sweep deletes <c>SAFEMENTOR_SWEEP_BENCH</c> expired envelopes (for example 100000). Long, so it runs only
/// when that variable is set: <c>SAFEMENTOR_SWEEP_BENCH=100000 dotnet test tests/SafeMentor.Server.Tests --filter SweepLatency</c>.
/// </summary>
public sealed class SweepLatencyMeasurement(ITestOutputHelper output)
{
    [Fact]
    public async Task SweepLatency_LargeSweep_RelayKeepsAnswering()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("SAFEMENTOR_SWEEP_BENCH"), out var count) || count <= 0)
        {
            output.WriteLine("Set SAFEMENTOR_SWEEP_BENCH to a number of envelopes to run this measurement.");
            return;
        }

        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["SafeMentor:Relay:SendBurst"] = "1000000",
            ["SafeMentor:Relay:SendsPerSecond"] = "1000000",
            ["SafeMentor:Relay:MaxQueuedEnvelopes"] = "10000000",
            ["SafeMentor:Relay:MaxQueuedBytes"] = (1L << 40).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using var world = await ComplianceWorld.CreateAsync(server);
        var writer = server.Services.GetRequiredService<StorageWriter>();
        var old = server.Clock.GetUtcNow().UtcDateTime.AddDays(-20);
        var ciphertext = Scenario.FakeCiphertext(1024);
        var loading = Stopwatch.StartNew();
        for (var start = 0; start < count; start += 5000)
        {
            var first = start;
            await writer.WriteAsync(scope =>
            {
                for (var i = first; i < Math.Min(count, first + 5000); i++)
                {
                    var seq = 1_000_000_000L + i;
                    EnvelopeStore.Insert(scope, new EnvelopeDocument
                    {
                        Id = EnvelopeDocument.KeyOf(world.Scenario.Mentor.AccountId, "bench" + i),
                        EnvelopeId = "bench" + i,
                        Seq = seq,
                        QueueKey = EnvelopeDocument.QueueKeyOf(world.Scenario.Mentee.AccountId, seq),
                        MentorshipId = world.Scenario.MentorshipId,
                        SenderId = world.Scenario.Mentor.AccountId,
                        RecipientId = world.Scenario.Mentee.AccountId,
                        Ciphertext = ciphertext,
                        ReceivedAt = old,
                    });
                }
            });
        }

        output.WriteLine($"loaded {count} expired envelopes of 1 KiB in {loading.Elapsed.TotalSeconds:0.0} s");
        var hub = await world.Scenario.Mentor.ConnectAsync(messagePack: true);
        var baseline = await MeasureAsync(world, hub, () => false, minimum: 300);

        var sweepTime = Stopwatch.StartNew();
        var sweep = world.SweepAsync();
        var during = await MeasureAsync(world, hub, () => sweep.IsCompleted, minimum: 0);
        var receipt = await sweep;
        sweepTime.Stop();

        output.WriteLine($"sweep deleted {receipt.ExpiredEnvelopes} envelopes in {sweepTime.Elapsed.TotalSeconds:0.0} s ({receipt.ExpiredEnvelopes / sweepTime.Elapsed.TotalSeconds:0} per second), file cleared: {receipt.FileScrubbed}");
        output.WriteLine($"send latency without a sweep: {Summary(baseline)}");
        output.WriteLine($"send latency during the sweep: {Summary(during)}");
        Assert.Equal(count, receipt.ExpiredEnvelopes);
        Assert.NotEmpty(during);
    }

    private static async Task<List<double>> MeasureAsync(ComplianceWorld world, Microsoft.AspNetCore.SignalR.Client.HubConnection hub, Func<bool> done, int minimum)
    {
        var latencies = new List<double>();
        while (latencies.Count < minimum || (minimum == 0 && !done()))
        {
            var started = Stopwatch.GetTimestamp();
            await world.Scenario.SendAsync(hub, world.Scenario.Mentee, Scenario.FakeCiphertext(1024));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (minimum > 0 && latencies.Count >= minimum)
            {
                break;
            }
        }

        return latencies;
    }

    private static string Summary(List<double> ms)
    {
        var sorted = ms.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
        return $"{sorted.Count} sends, p50 {At(0.5):0.0} ms, p95 {At(0.95):0.0} ms, p99 {At(0.99):0.0} ms, max {sorted[^1]:0.0} ms";
    }
}
