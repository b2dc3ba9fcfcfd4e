using System.Diagnostics;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Messaging;

/// <summary>Against a real server process over real sockets: acknowledgements survive a crash.</summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Send_ProcessKilledRightAfterAcks_EveryAcknowledgedEnvelopeSurvives()
    {
        const int Concurrent = 400;
        const int Sequential = 100;
        using var server = await ServerProcess.StartAsync();
        await using var world = await Scenario.CreateAsync(server);
        var connections = new List<Microsoft.AspNetCore.SignalR.Client.HubConnection>();
        for (var i = 0; i < 4; i++)
        {
            connections.Add(await world.Mentor.ConnectAsync(messagePack: true));
        }

        var clock = Stopwatch.StartNew();
        var acknowledged = new List<SendResult>();
        for (var i = 0; i < Sequential; i++)
        {
            acknowledged.Add(await world.SendAsync(connections[0], world.Mentee, Scenario.FakeCiphertext(1024, (byte)i)));
        }

        var sequentialMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        acknowledged.AddRange(await Task.WhenAll(Enumerable.Range(0, Concurrent)
            .Select(i => world.SendAsync(connections[i % connections.Count], world.Mentee, Scenario.FakeCiphertext(1024, (byte)i)))));
        var concurrentMs = clock.Elapsed.TotalMilliseconds;

        // Crash at once, with no shutdown: whatever was acknowledged must already be on disk.
        server.Kill();
        output.WriteLine($"sequential: {Sequential} sends, {sequentialMs / Sequential:0.00} ms each; concurrent: {Concurrent} sends over 4 connections in {concurrentMs:0} ms ({Concurrent / (concurrentMs / 1000):0} msg/s)");

        await server.RestartAsync();
        await world.Mentee.ConnectAsync(autoAck: true);
        var drained = new HashSet<string>(StringComparer.Ordinal);
        while (drained.Count < acknowledged.Count)
        {
            drained.Add((await world.Mentee.NextEnvelopeAsync(TimeSpan.FromSeconds(30))).EnvelopeId);
        }

        Assert.Equal(acknowledged.Select(a => a.EnvelopeId).ToHashSet(StringComparer.Ordinal), drained);
    }
}
