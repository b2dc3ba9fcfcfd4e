using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Messaging;

public sealed class ConversationTests
{
    [Fact]
    public async Task Conversation_TwoProtocolClients_MessagesBothWaysOfflineDeliveryAndAckDeletes()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();

        // The mentor starts a session from the mentee's bundle while the mentee is offline.
        var bundle = await world.Mentor.FetchBundleAsync(world.Mentee.AccountId);
        Assert.NotNull(bundle.OneTimePrekeyId);
        using var mentorSession = SessionRecord.ForPeer(world.Mentee.AccountId);
        mentorSession.Initiate(world.Mentor.Identity, bundle);
        var first = await world.SendAsync(mentorHub, world.Mentee, mentorSession.Encrypt("hello, first"u8));
        var second = await world.SendAsync(mentorHub, world.Mentee, mentorSession.Encrypt("and a second"u8));
        Assert.True(second.ReceivedAtMs >= first.ReceivedAtMs);
        Assert.Equal(2, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));

        // The mentee connects: the queue drains in order.
        var menteeHub = await world.Mentee.ConnectAsync();
        using var menteeSession = SessionRecord.ForPeer(world.Mentor.AccountId);
        var e1 = await world.Mentee.NextEnvelopeAsync();
        var e2 = await world.Mentee.NextEnvelopeAsync();
        Assert.Equal([first.EnvelopeId, second.EnvelopeId], new[] { e1.EnvelopeId, e2.EnvelopeId });
        Assert.Equal(world.Mentor.AccountId, e1.Sender);
        Assert.Equal(first.ReceivedAtMs, e1.ReceivedAtMs);
        Assert.Equal(server.Clock.GetUtcNow().ToUnixTimeMilliseconds(), e1.ReceivedAtMs);
        Assert.Equal("hello, first", Encoding.UTF8.GetString(menteeSession.Decrypt(e1.Ciphertext, world.Mentee.Identity, world.Mentee.Prekeys).Payload));
        Assert.Equal("and a second", Encoding.UTF8.GetString(menteeSession.Decrypt(e2.Ciphertext, world.Mentee.Identity, world.Mentee.Prekeys).Payload));

        var acked = await menteeHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { e1.EnvelopeId, e2.EnvelopeId });
        Assert.Equal(2, acked.Deleted);
        Assert.Equal(0, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));

        // The mentee answers live; the mentor is connected and receives it at once.
        var reply = await world.SendAsync(menteeHub, world.Mentor, menteeSession.Encrypt("thank you"u8));
        var live = await world.Mentor.NextEnvelopeAsync();
        Assert.Equal(reply.EnvelopeId, live.EnvelopeId);
        Assert.Equal("thank you", Encoding.UTF8.GetString(mentorSession.Decrypt(live.Ciphertext, world.Mentor.Identity, world.Mentor.Prekeys).Payload));
        await mentorHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { live.EnvelopeId });

        // A reconnection after an ack gets nothing again.
        await menteeHub.StopAsync();
        await world.Mentee.ConnectAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Mentee.NextEnvelopeAsync(TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Conversation_MessagePackProtocol_DeliversBinaryCiphertext()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync(messagePack: true);
        await world.Mentee.ConnectAsync(messagePack: true);
        var ciphertext = Scenario.FakeCiphertext(Limits.MaxEnvelopeBytes);

        var sent = await world.SendAsync(mentorHub, world.Mentee, ciphertext);
        var received = await world.Mentee.NextEnvelopeAsync();

        Assert.Equal(sent.EnvelopeId, received.EnvelopeId);
        Assert.Equal(ciphertext, received.Ciphertext);
    }

    [Fact]
    public async Task Send_LiveRecipientOnSecondConnection_ReachesEveryConnection()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        await world.Mentee.ConnectAsync();
        await world.Mentee.ConnectAsync();

        var sent = await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());

        Assert.Equal(sent.EnvelopeId, (await world.Mentee.NextEnvelopeAsync()).EnvelopeId);
        Assert.Equal(sent.EnvelopeId, (await world.Mentee.NextEnvelopeAsync()).EnvelopeId);
    }
}

internal static class ServiceProviderExtensions
{
    /// <summary>How many envelopes addressed to <paramref name="recipientId"/> are in the database.</summary>
    public static int StoredEnvelopesFor(this IServiceProvider services, string recipientId)
        => ((Database)services.GetService(typeof(Database))!).Collection<EnvelopeDocument>(Collections.Envelopes).Count(e => e.RecipientId == recipientId);
}
