using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Messaging;

/// <summary>
/// A real server process, killed (SIGKILL) at random moments while a sender streams envelopes, and restarted on the
/// same folder each time. The sender resends what it was not told is safe, with the same ids, as a client does;
/// the recipient's application keeps the first copy of each. In the end every envelope reached the application
/// exactly once and in the order it was sent, and the database reads back whole.
/// </summary>
public sealed class KillLoopTests(ITestOutputHelper output)
{
    private static readonly (string, string)[] s_settings =
    [
        ("SafeMentor__Relay__SendsPerSecond", "1000000"),
        ("SafeMentor__Relay__SendBurst", "1000000"),
        ("SafeMentor__Relay__MaxQueuedEnvelopes", "1000000"),
        ("SafeMentor__Relay__MaxQueuedBytes", "10000000000"),
    ];

    [Fact]
    public async Task Send_ProcessKilledAtRandomWhileEnvelopesStream_EachArrivesExactlyOnceAndInOrder()
    {
        var total = LongTests.Pick(10_000, 50_000);
        var kills = LongTests.Pick(4, 20);
        var random = new Random(LongTests.Seed());
        using var server = await ServerProcess.StartAsync(s_settings);
        await using var world = await Scenario.CreateAsync(server);
        var ids = Enumerable.Range(0, total).Select(_ => Scenario.NewEnvelopeId()).ToList();
        var safe = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var application = new Application();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var life = 0; safe.Count < total; life++)
        {
            if (life > 0)
            {
                await server.RestartAsync();
            }

            var recipient = await ConnectRecipientAsync(world, application);
            var sender = await world.Mentor.ConnectAsync(messagePack: true);
            var sending = SendUnsafeAsync(world, sender, ids, safe);
            if (life < kills)
            {
                // Killed once this life has made some progress, a random amount of it, and a moment later, so the
                // kill lands anywhere: between commits, inside one, or while acknowledgements are being written.
                var target = safe.Count + random.Next(50, total / (kills + 1));
                while (safe.Count < target && !sending.IsCompleted)
                {
                    await Task.Delay(1);
                }

                await Task.Delay(random.Next(0, 20));
                server.Kill();
            }

            await sending;
            output.WriteLine($"life {life} at {clock.Elapsed.TotalSeconds:0.0} s: {safe.Count} of {total} safe, {application.Count} received");
            await sender.DisposeAsync();
            await recipient.DisposeAsync();
        }

        // Everything is safe: the recipient drains whatever it has not seen yet.
        var final = await ConnectRecipientAsync(world, application);
        await application.AllReceived(total).WaitAsync(TimeSpan.FromSeconds(60));
        await final.DisposeAsync();
        Assert.Equal(ids, application.InOrder());

        await server.StopAsync();
        using var database = new Database(FileMedium.Open(server.DataDirectory), []);
        Assert.Empty(DatabaseIntegrity.Problems(database.Lite));
    }

    private static async Task SendUnsafeAsync(Scenario world, HubConnection sender, List<string> ids, ConcurrentDictionary<string, bool> safe)
    {
        using var window = new SemaphoreSlim(32);
        var inFlight = new List<Task>();
        var ciphertext = Scenario.FakeCiphertext(1024);
        foreach (var id in ids.Where(id => !safe.ContainsKey(id)))
        {
            await window.WaitAsync();
            if (sender.State != HubConnectionState.Connected)
            {
                break;
            }

            inFlight.Add(SendOneAsync(world, sender, id, ciphertext, safe, window));
        }

        await Task.WhenAll(inFlight);
    }

    private static async Task SendOneAsync(Scenario world, HubConnection sender, string id, byte[] ciphertext, ConcurrentDictionary<string, bool> safe, SemaphoreSlim window)
    {
        try
        {
            await world.SendAsync(sender, world.Mentee, ciphertext, id);
            safe.TryAdd(id, true);
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or TaskCanceledException or IOException or System.Net.WebSockets.WebSocketException or HttpRequestException)
        {
            // The connection died with the server: not known to be safe, so it is sent again after the restart.
        }
        finally
        {
            window.Release();
        }
    }

    private static async Task<HubConnection> ConnectRecipientAsync(Scenario world, Application application)
    {
        var connection = await world.Mentee.ConnectAsync(start: false, messagePack: true);
        connection.On<EnvelopeDto>(HubMethods.ReceiveEnvelope, envelope =>
        {
            // Stored (here: remembered) first, acknowledged after: a duplicate is acknowledged too.
            application.Receive(envelope.EnvelopeId);
            _ = connection.InvokeAsync<AckResult>(HubMethods.Ack, new[] { envelope.EnvelopeId });
        });
        await connection.StartAsync();
        return connection;
    }

    /// <summary>The recipient's application: keeps the first copy of each envelope, in the order it came.</summary>
    private sealed class Application
    {
        private readonly Lock _gate = new();
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _expected = int.MaxValue;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _order.Count;
                }
            }
        }

        public void Receive(string id)
        {
            lock (_gate)
            {
                if (_seen.Add(id))
                {
                    _order.Add(id);
                }

                if (_order.Count >= _expected)
                {
                    _all.TrySetResult();
                }
            }
        }

        public Task AllReceived(int expected)
        {
            lock (_gate)
            {
                _expected = expected;
                if (_order.Count >= expected)
                {
                    _all.TrySetResult();
                }
            }

            return _all.Task;
        }

        public List<string> InOrder()
        {
            lock (_gate)
            {
                return [.. _order];
            }
        }
    }
}
