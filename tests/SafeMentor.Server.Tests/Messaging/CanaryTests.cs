using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Messaging;

public sealed class CanaryTests
{
    [Fact]
    public async Task Conversation_WithMarker_NothingSecretInDatabaseOrLogs()
    {
        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            // As chatty as an operator could make it; the redaction must hold anyway.
            ["Serilog:MinimumLevel:Default"] = "Verbose",
            ["Serilog:MinimumLevel:Override:Microsoft"] = "Verbose",
        });
        var marker = "CANARY-" + Guid.NewGuid().ToString("N");
        var invite = server.CoordinatorInvite();
        var secrets = new List<(string What, byte[] Bytes)> { ("invite code", Encoding.UTF8.GetBytes(invite)) };
        await using var world = await Scenario.CreateAsync(server);
        var ciphertexts = new List<byte[]>();

        var mentorHub = await world.Mentor.ConnectAsync();
        var menteeHub = await world.Mentee.ConnectAsync(messagePack: true);
        using var mentorSession = SessionRecord.ForPeer(world.Mentee.AccountId);
        mentorSession.Initiate(world.Mentor.Identity, await world.Mentor.FetchBundleAsync(world.Mentee.AccountId));
        using var menteeSession = SessionRecord.ForPeer(world.Mentor.AccountId);
        for (var i = 0; i < 3; i++)
        {
            var wire = mentorSession.Encrypt(Encoding.UTF8.GetBytes($"{marker} from mentor {i}"));
            ciphertexts.Add(wire);
            await world.SendAsync(mentorHub, world.Mentee, wire);
            var received = await world.Mentee.NextEnvelopeAsync();
            Assert.StartsWith(marker, Encoding.UTF8.GetString(menteeSession.Decrypt(received.Ciphertext, world.Mentee.Identity, world.Mentee.Prekeys).Payload), StringComparison.Ordinal);
            var reply = menteeSession.Encrypt(Encoding.UTF8.GetBytes($"{marker} from mentee {i}"));
            ciphertexts.Add(reply);
            await world.SendAsync(menteeHub, world.Mentor, reply);
            var answer = await world.Mentor.NextEnvelopeAsync();
            mentorSession.Decrypt(answer.Ciphertext, world.Mentor.Identity, world.Mentor.Prekeys);
        }

        // Leave one message queued (stored) as well.
        await world.Mentee.DisconnectAsync();
        var queued = mentorSession.Encrypt(Encoding.UTF8.GetBytes($"{marker} queued"));
        await world.SendAsync(mentorHub, world.Mentee, queued);
        await Http200.EnsureAsync(await world.Mentor.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(world.Mentor.Tokens!.RefreshToken)));

        // Browsers and WebSockets put the token in the query string: it must not reach the logs from there either.
        var anonymous = server.CreateClient();
        await Http200.EnsureAsync(await anonymous.PostAsync($"{Routes.Hub}/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(world.Mentor.Tokens.AccessToken)}", null));

        foreach (var user in new[] { world.Coordinator, world.Mentor, world.Mentee })
        {
            var seed = new byte[32];
            var dh = new byte[32];
            user.Identity.ExportPrivateKeys(seed, dh);
            secrets.Add(($"{user.Pseudonym} signing seed", seed));
            secrets.Add(($"{user.Pseudonym} DH private key", dh));
            secrets.Add(($"{user.Pseudonym} access token", Encoding.UTF8.GetBytes(user.Tokens!.AccessToken)));
            secrets.Add(($"{user.Pseudonym} refresh token", Encoding.UTF8.GetBytes(user.Tokens.RefreshToken)));
        }

        // Copy the log into the data file on the writer's thread, as the server itself does; both files are read anyway.
        await server.Services.GetRequiredService<StorageWriter>().CheckpointAsync();
        var stored = ReadAll(server.DataDirectory, except: "logs");
        var logs = ReadAll(Path.Combine(server.DataDirectory, "logs"), except: null);
        Assert.NotEmpty(logs);
        Assert.Contains("\"RequestPath\":\"/v1/auth/sign-in\"", Encoding.UTF8.GetString(logs), StringComparison.Ordinal);

        foreach (var (what, bytes) in secrets.Append(("marker", Encoding.UTF8.GetBytes(marker))))
        {
            Assert.False(Contains(stored, bytes), $"the data folder contains the {what}");
            Assert.False(Contains(logs, bytes), $"the logs contain the {what}");
            Assert.False(Contains(logs, Encoding.UTF8.GetBytes(Convert.ToBase64String(bytes))), $"the logs contain the {what} in base64");
        }

        foreach (var ciphertext in ciphertexts.Append(queued))
        {
            Assert.False(Contains(logs, Encoding.UTF8.GetBytes(Convert.ToBase64String(ciphertext)[..40])), "the logs contain ciphertext");
        }

        // The queued envelope is stored as ciphertext, which is the point of a relay.
        Assert.True(Contains(stored, queued));
    }

    private static byte[] ReadAll(string folder, string? except)
    {
        using var all = new MemoryStream();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (except is not null && file.Contains(Path.DirectorySeparatorChar + except + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            if (Path.GetFileName(file) == FileMedium.LockFileName)
            {
                continue; // empty, and held exclusively by the running server
            }

            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.CopyTo(all);
        }

        return all.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
