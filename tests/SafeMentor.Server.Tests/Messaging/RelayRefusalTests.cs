using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Messaging;

public sealed class RelayRefusalTests
{
    [Fact]
    public async Task Send_BeforeConsent_ReturnsConsentRequired()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var mentorHub = await world.Mentor.ConnectAsync();
        await world.ConsentAsync(world.Mentor, Protocol.Statements.ConsentDecision.Accept);

        await HubAssert.RefusedAsync(ErrorCodes.ConsentRequired, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
        Assert.Equal(0, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
    }

    [Fact]
    public async Task Send_OutsiderOrWrongRecipient_ReturnsNotAParty()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var coordinatorHub = await world.Coordinator.ConnectAsync();
        var mentorHub = await world.Mentor.ConnectAsync();

        await HubAssert.RefusedAsync(ErrorCodes.NotAParty, () => world.SendAsync(coordinatorHub, world.Mentee, Scenario.FakeCiphertext()));
        await HubAssert.RefusedAsync(ErrorCodes.NotAParty, () => world.SendAsync(mentorHub, world.Coordinator, Scenario.FakeCiphertext()));
        await HubAssert.RefusedAsync(ErrorCodes.NotAParty, () => world.SendAsync(mentorHub, world.Mentor, Scenario.FakeCiphertext()));
        await HubAssert.RefusedAsync(ErrorCodes.NotAParty, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(), mentorshipId: "ms_unknown"));
    }

    [Fact]
    public async Task Send_OversizedOrMalformed_IsRefusedAndStoredEnvelopesSurvive()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        var kept = await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(fill: 1));

        await HubAssert.RefusedAsync(ErrorCodes.TooLarge, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(Limits.MaxEnvelopeBytes + 1)));
        var badVersion = Scenario.FakeCiphertext();
        badVersion[0] = 0x02;
        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => world.SendAsync(mentorHub, world.Mentee, badVersion));
        var shortPrekey = Scenario.FakeCiphertext();
        shortPrekey[1] = 0x01;
        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => world.SendAsync(mentorHub, world.Mentee, shortPrekey));
        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(100)));
        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(), envelopeId: "not/an id"));
        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(), envelopeId: new string('a', 65)));
        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => mentorHub.InvokeAsync<SendResult>(HubMethods.Send, Scenario.NewEnvelopeId(), world.MentorshipId, "nobody", Scenario.FakeCiphertext()));
        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => mentorHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { "bad id!" }));

        // Far beyond the hub's receive limit: the transport drops the connection without reading it.
        var huge = Scenario.FakeCiphertext(Limits.MaxHubMessageBytes * 2);
        await Assert.ThrowsAnyAsync<Exception>(() => world.SendAsync(mentorHub, world.Mentee, huge));

        await world.Mentee.ConnectAsync();
        var delivered = await world.Mentee.NextEnvelopeAsync();
        Assert.Equal(kept.EnvelopeId, delivered.EnvelopeId);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Mentee.NextEnvelopeAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
    }

    [Fact]
    public async Task Send_SameEnvelopeIdTwice_StoredOnceWithTheSameAnswer()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        var id = Scenario.NewEnvelopeId();

        var first = await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(), id);
        server.Clock.Advance(TimeSpan.FromSeconds(5));
        var again = await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(), id);

        Assert.Equal(first, again);
        Assert.Equal(1, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));

        // Still the same answer after the recipient has acknowledged (and so deleted) it.
        var menteeHub = await world.Mentee.ConnectAsync();
        await world.Mentee.NextEnvelopeAsync();
        await menteeHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { id });
        Assert.Equal(first, await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(), id));
        Assert.Equal(0, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
    }

    [Fact]
    public async Task Send_SameIdForAnotherSendBySameSender_ReturnsConflict()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        await using var secondMentee = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "second mentee");
        var second = await world.MatchAsync(world.Mentor, secondMentee);
        var mentorHub = await world.Mentor.ConnectAsync();
        var id = Scenario.NewEnvelopeId();
        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(), id);

        await HubAssert.RefusedAsync(ErrorCodes.Conflict, () => world.SendAsync(mentorHub, secondMentee, Scenario.FakeCiphertext(), id, second.MentorshipId));
        Assert.Equal(1, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
        Assert.Equal(0, server.Services.StoredEnvelopesFor(secondMentee.AccountId));
    }

    [Fact]
    public async Task Send_SameIdAsAnotherSendersEnvelope_IsAcceptedOnItsOwn()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        var menteeHub = await world.Mentee.ConnectAsync();
        var id = Scenario.NewEnvelopeId();
        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(fill: 1), id);

        // Ids are the sender's own: the counterpart cannot squat them, and both envelopes arrive.
        await world.SendAsync(menteeHub, world.Mentor, Scenario.FakeCiphertext(fill: 2), id);

        var toMentee = await world.Mentee.NextEnvelopeAsync();
        var toMentor = await world.Mentor.NextEnvelopeAsync();
        Assert.Equal((id, world.Mentor.AccountId, (byte)1), (toMentee.EnvelopeId, toMentee.Sender, toMentee.Ciphertext[^1]));
        Assert.Equal((id, world.Mentee.AccountId, (byte)2), (toMentor.EnvelopeId, toMentor.Sender, toMentor.Ciphertext[^1]));
    }

    [Fact]
    public async Task Send_AfterEnd_ReturnsMentorshipEndedAndQueueIsPurged()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        for (var i = 0; i < 3; i++)
        {
            await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        }

        Assert.Equal(3, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));

        var ended = await world.EndAsync(world.Mentee);

        Assert.NotNull(ended.EndedAt);
        Assert.Equal(0, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
        var notice = await world.Mentor.NextRelayEventAsync();
        Assert.True(notice.Ended);
        Assert.False(notice.Open);
        await HubAssert.RefusedAsync(ErrorCodes.MentorshipEnded, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
        await world.Mentee.ConnectAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Mentee.NextEnvelopeAsync(TimeSpan.FromMilliseconds(300)));
        await Http200.AssertProblemAsync(await world.Mentor.Http.PostAsync(
            Routes.EndMentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal), null), 409, ErrorCodes.MentorshipEnded);
    }

    [Fact]
    public async Task Send_BeyondBurst_ReturnsRateLimited()
    {
        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["SafeMentor:Relay:SendsPerSecond"] = "1",
            ["SafeMentor:Relay:SendBurst"] = "2",
        });
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();

        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());

        await HubAssert.RefusedAsync(ErrorCodes.RateLimited, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
    }
}
