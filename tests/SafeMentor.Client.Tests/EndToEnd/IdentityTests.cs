using SafeMentor.Client.Tests.Infrastructure;
using SafeMentor.Contracts;

namespace SafeMentor.Client.Tests.EndToEnd;

/// <summary>A counterpart that comes back under the same pseudonym with another key is warned about.</summary>
public sealed class IdentityTests
{
    [Fact]
    public async Task GetMentorships_CounterpartPseudonymWithNewKey_RaisesIdentityKeyChanged()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server, connect: false);
        var before = await world.Mentor.GetSafetyNumberAsync(world.MentorshipId);
        var warned = new TaskCompletionSource<IdentityKeyChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Mentor.IdentityKeyChanged += (_, e) => warned.TrySetResult(e);

        // The mentee "loses the phone": a new store, a new identity, the same pseudonym, matched again.
        await using var reinstalled = await TestClients.OpenAsync(server);
        await reinstalled.JoinAsync((await world.Coordinator.CreateInviteAsync(world.ProgrammeId, Roles.Mentee)).Code, "Quiet Fox");
        await world.Coordinator.GetProgrammeMentorshipsAsync(world.ProgrammeId);
        await world.Mentee.EndMentorshipAsync(world.MentorshipId);
        var rematch = await world.Coordinator.MatchAsync(world.ProgrammeId, world.Mentor.AccountId!, reinstalled.AccountId!);
        await world.Mentor.GetMentorshipsAsync();

        var warning = await warned.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(world.Mentee.AccountId, warning.PreviousAccountId);
        Assert.Equal(reinstalled.AccountId, warning.NewAccountId);
        Assert.Equal("Quiet Fox", warning.Pseudonym);
        Assert.NotEqual(before, await world.Mentor.GetSafetyNumberAsync(rematch.MentorshipId));
    }
}
