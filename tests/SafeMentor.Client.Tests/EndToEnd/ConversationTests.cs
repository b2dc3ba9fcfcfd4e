using SafeMentor.Client.Tests.Infrastructure;
using SafeMentor.Contracts;

namespace SafeMentor.Client.Tests.EndToEnd;

/// <summary>Two SDK clients in separate stores hold a conversation through a real relay.</summary>
public sealed class ConversationTests
{
    [Fact]
    public async Task Consent_BothParties_OpensTheRelayAndBothAreTold()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server, consent: false);
        var opened = new TaskCompletionSource<RelayStateDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Mentee.RelayStateChanged += (_, e) => opened.TrySetResult(e.State);

        var rules = await world.Mentee.GetGroundRulesAsync(world.MentorshipId);
        await world.Mentor.ConsentAsync(world.MentorshipId);
        var after = await world.Mentee.ConsentAsync(world.MentorshipId);

        Assert.True(rules.HashMatches);
        Assert.True(after.RelayOpen);
        Assert.True((await opened.Task.WaitAsync(TimeSpan.FromSeconds(10))).Open);
        var listed = Assert.Single(await world.Mentee.GetMentorshipsAsync());
        Assert.Equal("Blue Heron", listed.CounterpartPseudonym);
        Assert.Equal(Roles.Mentee, listed.MyRole);
    }

    [Fact]
    public async Task Send_BothWays_EachSideReceivesAndHistoriesAgreeInOrder()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);

        await world.Mentee.SendTextAsync(world.MentorshipId, "Can we talk about my first rotation?");
        Assert.Equal("Can we talk about my first rotation?", Mentorship.Next(world.MentorInbox).Text);
        await world.Mentor.SendTextAsync(world.MentorshipId, "Of course. How did the first week go?");
        Assert.Equal("Of course. How did the first week go?", Mentorship.Next(world.MenteeInbox).Text);
        await world.Mentee.SendTextAsync(world.MentorshipId, "Hard, honestly.");
        Assert.Equal("Hard, honestly.", Mentorship.Next(world.MentorInbox).Text);
        await world.Mentee.WaitForOutboxEmptyAsync();
        await world.Mentor.WaitForOutboxEmptyAsync();

        string[] expected = ["Can we talk about my first rotation?", "Of course. How did the first week go?", "Hard, honestly."];
        Assert.Equal(expected, (await world.Mentee.GetHistoryAsync(world.MentorshipId)).Select(m => m.Text));
        Assert.Equal(expected, (await world.Mentor.GetHistoryAsync(world.MentorshipId)).Select(m => m.Text));
        Assert.All(await world.Mentee.GetHistoryAsync(world.MentorshipId), m => Assert.NotEqual(MessageStatus.Pending, m.Status));
        Assert.Equal(await world.Mentee.GetSafetyNumberAsync(world.MentorshipId), await world.Mentor.GetSafetyNumberAsync(world.MentorshipId));
    }

    [Fact]
    public async Task Send_RecipientOffline_DeliveredWhenItConnects()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);
        await world.Mentor.StopAsync();

        for (var i = 0; i < 5; i++)
        {
            await world.Mentee.SendTextAsync(world.MentorshipId, $"while you were away {i}");
        }

        await world.Mentee.WaitForOutboxEmptyAsync();
        Assert.Empty(world.MentorInbox);
        await world.Mentor.StartAsync();

        var received = Enumerable.Range(0, 5).Select(_ => Mentorship.Next(world.MentorInbox).Text).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"while you were away {i}"), received);
    }

    [Fact]
    public async Task Send_WhileSenderOffline_QueuedAndSentOnceConnected()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);
        await world.Mentee.StopAsync();

        var message = await world.Mentee.SendTextAsync(world.MentorshipId, "written on the train");
        Assert.Equal(MessageStatus.Pending, message.Status);
        Assert.Equal(1, world.Mentee.PendingOutboxCount);
        await world.Mentee.StartAsync();

        Assert.Equal("written on the train", Mentorship.Next(world.MentorInbox).Text);
        await world.Mentee.WaitForOutboxEmptyAsync();
        Assert.Equal(MessageStatus.Sent, Assert.Single(await world.Mentee.GetHistoryAsync(world.MentorshipId)).Status);
    }
}
