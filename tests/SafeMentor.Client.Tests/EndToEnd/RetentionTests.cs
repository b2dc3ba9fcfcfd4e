using SafeMentor.Client.Tests.Infrastructure;

namespace SafeMentor.Client.Tests.EndToEnd;

/// <summary>Local history is deleted after the ground rules' client-history retention term.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task DeleteExpiredHistory_AfterTheRetentionTerm_OnlyNewerMessagesRemain()
    {
        var clock = new ManualClock();
        await using var server = RelayServer.Start();
        var rules = TestClients.Rules with { ClientHistoryRetentionMs = (long)TimeSpan.FromDays(1).TotalMilliseconds };
        await using var world = await Mentorship.CreateAsync(server, rules, menteeTime: clock);
        await world.Mentee.GetGroundRulesAsync(world.MentorshipId);

        await world.Mentee.SendTextAsync(world.MentorshipId, "old news");
        await world.Mentee.WaitForOutboxEmptyAsync();
        clock.Advance(TimeSpan.FromHours(20));
        await world.Mentee.SendTextAsync(world.MentorshipId, "still relevant");
        await world.Mentee.WaitForOutboxEmptyAsync();

        Assert.Equal(0, await world.Mentee.DeleteExpiredHistoryAsync());
        clock.Advance(TimeSpan.FromHours(5));
        Assert.Equal(1, await world.Mentee.DeleteExpiredHistoryAsync());

        Assert.Equal("still relevant", Assert.Single(await world.Mentee.GetHistoryAsync(world.MentorshipId)).Text);
    }

    private sealed class ManualClock : TimeProvider
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow()
        {
            lock (_gate)
            {
                return _now;
            }
        }

        public void Advance(TimeSpan by)
        {
            lock (_gate)
            {
                _now += by;
            }
        }
    }
}
