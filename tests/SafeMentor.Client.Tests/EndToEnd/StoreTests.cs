using System.Text;
using SafeMentor.Client.Storage;
using SafeMentor.Client.Tests.Infrastructure;

namespace SafeMentor.Client.Tests.EndToEnd;

/// <summary>The store: unreadable without the passphrase, and nothing readable in its bytes.</summary>
public sealed class StoreTests
{
    [Fact]
    public async Task Open_WrongPassphrase_ClearError()
    {
        await using var server = RelayServer.Start();
        var path = TestClients.NewStorePath();
        await using (var client = await TestClients.OpenAsync(server, path))
        {
            await client.CreateIdentityAsync();
        }

        var error = await Assert.ThrowsAsync<SafeMentorException>(() => TestClients.OpenAsync(server, path, passphrase: "not the passphrase"));
        Assert.Equal(ClientErrorCodes.WrongPassphrase, error.Code);

        await using var reopened = await TestClients.OpenAsync(server, path);
        Assert.NotNull(reopened.AccountId);
    }

    [Fact]
    public async Task StoreFile_AfterAConversation_HoldsNoPlaintextNoKeysNoIds()
    {
        await using var server = RelayServer.Start();
        string path;
        string[] secrets;
        await using (var world = await Mentorship.CreateAsync(server))
        {
            await world.Mentee.SendTextAsync(world.MentorshipId, "CANARY-the-mentee-wrote-this");
            Assert.Equal("CANARY-the-mentee-wrote-this", Mentorship.Next(world.MentorInbox).Text);
            await world.Mentor.SendTextAsync(world.MentorshipId, "CANARY-the-mentor-answered");
            Mentorship.Next(world.MenteeInbox);
            await world.Mentee.WaitForOutboxEmptyAsync();
            path = world.Mentee.Store.Path;
            secrets = ["CANARY", world.Mentee.AccountId!, world.Mentor.AccountId!, world.MentorshipId, "Quiet Fox", "Blue Heron", "supervision", "refresh"];
        }

        var bytes = await File.ReadAllBytesAsync(path);
        var log = path[..^3] + "-log.db";
        if (File.Exists(log))
        {
            bytes = [.. bytes, .. await File.ReadAllBytesAsync(log)];
        }

        foreach (var secret in secrets)
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
        }
    }

    [Fact]
    public async Task Send_WireMessageSaved_IsInTheDataFileBeforeItLeaves()
    {
        // Save before send: when a wire message is about to leave, the data file alone (without LiteDB's log, which a
        // crash may lose) already holds the outbox entry with that wire message. Without the checkpoint it would not.
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);
        var copy = TestClients.NewStorePath();
        var checkedOnce = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Mentee.BeforeTransmit = entry =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(world.Mentee.Store.Path, copy);
            using var passphrase = Passphrase.FromUtf8(Encoding.UTF8.GetBytes(TestClients.Secret));
            using var reopened = SealedStore.Open(copy, passphrase, TestClients.FastKdf);
            var saved = reopened.GetJson<OutboxEntry>(RecordNames.OutboxItem(entry.Sequence));
            var session = reopened.Get(RecordNames.Session(entry.Recipient));
            checkedOnce.TrySetResult(saved?.Wire is { } wire && wire.AsSpan().SequenceEqual(entry.Wire) && session is not null ? "saved" : "missing");
            return Task.CompletedTask;
        };

        await world.Mentee.SendTextAsync(world.MentorshipId, "kept before it leaves");

        Assert.Equal("saved", await checkedOnce.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("kept before it leaves", Mentorship.Next(world.MentorInbox).Text);
    }
}
