using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Messaging;

/// <summary>
/// A long queue drains in pages: the server's memory while it does is bounded by a page and a delivery window per
/// connection, not by the size of the queue. Measured on a real process (resident memory from /proc).
/// </summary>
public sealed class DrainMemoryTests(ITestOutputHelper output)
{
    private const int EnvelopeBytes = 8 * 1024;

    private static readonly (string, string)[] s_settings =
    [
        ("SafeMentor__Relay__SendsPerSecond", "1000000"),
        ("SafeMentor__Relay__SendBurst", "1000000"),
        ("SafeMentor__Relay__MaxQueuedEnvelopes", "1000000"),
        ("SafeMentor__Relay__MaxQueuedBytes", "10000000000"),
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Drain_LongQueueOf8KiBEnvelopes_ServerMemoryStaysFarBelowTheQueueSize(int connections)
    {
        const int queued = 20_000;
        using var server = await ServerProcess.StartAsync(s_settings);
        await using var world = await Scenario.CreateAsync(server);
        var sender = await world.Mentor.ConnectAsync(messagePack: true);
        using (var window = new SemaphoreSlim(32))
        {
            var ciphertext = Scenario.FakeCiphertext(EnvelopeBytes);
            var sends = new List<Task>();
            for (var i = 0; i < queued; i++)
            {
                await window.WaitAsync();
                sends.Add(world.SendAsync(sender, world.Mentee, ciphertext).ContinueWith(_ => window.Release(), TaskScheduler.Default));
            }

            await Task.WhenAll(sends);
        }

        await sender.DisposeAsync();
        var queueBytes = (long)queued * EnvelopeBytes;
        var before = server.ResidentBytes();

        // Every connection acknowledges what it receives, as a client does once a message is stored.
        var delivered = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var recipients = new List<HubConnection>();
        for (var c = 0; c < connections; c++)
        {
            var connection = await world.Mentee.ConnectAsync(start: false, messagePack: true);
            connection.On<EnvelopeDto>(HubMethods.ReceiveEnvelope, envelope =>
            {
                _ = connection.InvokeAsync<AckResult>(HubMethods.Ack, new[] { envelope.EnvelopeId });
                if (Interlocked.Increment(ref delivered) >= queued)
                {
                    done.TrySetResult();
                }
            });
            recipients.Add(connection);
        }

        var peak = before;
        await Task.WhenAll(recipients.Select(r => r.StartAsync()));
        while (!done.Task.IsCompleted)
        {
            peak = Math.Max(peak, server.ResidentBytes());
            await Task.WhenAny(done.Task, Task.Delay(50));
        }

        output.WriteLine($"{queued} x {EnvelopeBytes} B ({queueBytes >> 20} MiB) drained to {connections} connection(s): resident {before >> 20} MiB before, {peak >> 20} MiB at most during the drain");
        // Loading the queue per connection, as the relay once did, grew memory by about the queue's size per connection.
        Assert.True(peak - before < queueBytes / 2, $"memory grew by {(peak - before) >> 20} MiB while {queueBytes >> 20} MiB drained");
        foreach (var recipient in recipients)
        {
            await recipient.DisposeAsync();
        }
    }
}
