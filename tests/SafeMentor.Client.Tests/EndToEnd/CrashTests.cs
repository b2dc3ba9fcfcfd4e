using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using SafeMentor.Client.Tests.Infrastructure;
using SafeMentor.Contracts;

namespace SafeMentor.Client.Tests.EndToEnd;

/// <summary>
/// A real client process is killed between the durable save of a wire message and its send, then restarted: the
/// outbox is resent and new messages follow. Every distinct wire message uses a distinct (ratchet key, counter) pair,
/// so no message key (and so no AEAD key and nonce) is ever used twice, and the recipient stores each message once.
/// </summary>
public sealed class CrashTests
{
    private const string PassphraseVariable = "SAFEMENTOR_TEST_PASSPHRASE";

    [Fact]
    public async Task Send_ClientKilledBetweenSaveAndSend_NoKeyReusedAndEachMessageOnce()
    {
        await using var server = RelayServer.Start();
        var menteeStore = TestClients.NewStorePath();
        await using var world = await Mentorship.CreateAsync(server, menteeStore: menteeStore);
        await world.Mentee.DisposeAsync(); // The mentee now lives in a separate process, on the same store.
        var envelopes = new ConcurrentBag<EnvelopeDto>();
        world.Mentor.OnEnvelope = envelopes.Add;

        // First run: 8 messages; killed right after the 5th wire message is saved, before it is sent.
        using (var first = Host(server, menteeStore, world.MentorshipId, "before crash", send: 8, pauseAfterSave: 5))
        {
            var line = await ReadUntilAsync(first, "SAVED");
            Assert.StartsWith("SAVED ", line, StringComparison.Ordinal);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        // Second run on the same store: the outbox is resent as saved, then 3 new messages continue the chain.
        using (var second = Host(server, menteeStore, world.MentorshipId, "after restart", send: 3, pauseAfterSave: 0))
        {
            Assert.Equal("DRAINED", await ReadUntilAsync(second, "DRAINED"));
            await second.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await PoorConnectionTests.WaitForHistoryAsync(world.Mentor, world.MentorshipId, 11, timeout.Token);
        var texts = (await world.Mentor.GetHistoryAsync(world.MentorshipId)).Select(m => m.Text).ToList();
        Assert.Equal([.. Enumerable.Range(0, 8).Select(i => $"before crash {i}"), .. Enumerable.Range(0, 3).Select(i => $"after restart {i}")], texts);

        // One wire message per envelope id (a resend carries the very same bytes) ...
        var byId = envelopes.GroupBy(e => e.EnvelopeId).ToList();
        Assert.Equal(11, byId.Count);
        Assert.All(byId, g => Assert.Single(g.Select(e => Convert.ToHexString(e.Ciphertext)).Distinct()));

        // ... and every wire message its own (ratchet key, counter): no message key was used twice.
        var pairs = byId.Select(g => RatchetKeyAndCounter(g.First().Ciphertext)).ToList();
        Assert.Equal(pairs.Count, pairs.Distinct().Count());
    }

    private static (string RatchetKey, uint Counter) RatchetKeyAndCounter(byte[] wire)
    {
        // docs/protocol.md, Wire messages: the header follows the type byte (normal) or the X3DH fields (prekey).
        var header = wire[1] == 0x01 ? 2 + 168 : 2;
        return (Convert.ToHexString(wire.AsSpan(header, 32)), BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(header + 36, 4)));
    }

    private static Process Host(RelayServer server, string store, string mentorshipId, string prefix, int send, int pauseAfterSave)
    {
        var dll = Path.Combine(AppContext.BaseDirectory.Replace("SafeMentor.Client.Tests", "SafeMentor.Client.TestHost", StringComparison.Ordinal), "SafeMentor.Client.TestHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--store", store, "--server", server.Url.ToString(), "--passphrase-env", PassphraseVariable, "--mentorship", mentorshipId, "--prefix", prefix, "--send", $"{send}", "--pause-after-save", $"{pauseAfterSave}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[PassphraseVariable] = TestClients.Secret;
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ReadUntilAsync(Process process, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"The client process ended without printing {prefix}.");
    }
}
