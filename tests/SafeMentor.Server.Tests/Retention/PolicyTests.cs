using System.Net.Http.Json;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Compliance;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Retention;

public sealed class PolicyTests
{
    [Fact]
    public async Task Change_OutsideTheServersBounds_IsRefusedWithOutOfBounds()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var outside = new (double UndeliveredDays, double ClientDays, int AuditDays)[]
        {
            (31, 90, 2190), (0.5, 90, 2190), (14, 366, 2190), (14, 0, 2190), (14, 90, 100), (14, 90, 4000),
        };

        foreach (var (undelivered, client, audit) in outside)
        {
            var response = await world.Scenario.Coordinator.Http.PutAsJsonAsync(world.Route(Routes.Retention), new RetentionChangeRequest(ComplianceWorld.Days(undelivered), ComplianceWorld.Days(client), audit, "Testing the bounds"));

            await Http200.AssertProblemAsync(response, 400, ErrorCodes.OutOfBounds);
        }

        Assert.Single(await world.GetAsync<List<PolicyVersionDto>>(world.Scenario.Coordinator, Routes.RetentionHistory));
    }

    [Fact]
    public async Task GroundRules_OutsideTheServersBounds_AreRefusedWithOutOfBounds()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);

        var response = await world.Scenario.Coordinator.Http.PutAsJsonAsync(world.Route(Routes.GroundRules), Scenario.Rules with { UndeliveredRetentionMs = ComplianceWorld.Days(0.25) });

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.OutOfBounds);
    }

    [Fact]
    public async Task Change_WithoutAReason_IsMalformed()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);

        var response = await world.Scenario.Coordinator.Http.PutAsJsonAsync(world.Route(Routes.Retention), new RetentionChangeRequest(ComplianceWorld.Days(7), ComplianceWorld.Days(90), 2190, "  "));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
    }

    [Fact]
    public async Task History_EveryChange_IsAVersionWithActorTimeBeforeAfterAndReasonInOrder()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var coordinator = world.Scenario.Coordinator.AccountId;

        await world.AdvanceAsync(TimeSpan.FromHours(1));
        await world.ChangeAsync(ComplianceWorld.Days(7), Scenario.Rules.ClientHistoryRetentionMs, 2190, "Data protection review");
        await world.AdvanceAsync(TimeSpan.FromHours(1));
        await world.Scenario.PublishRulesAsync(Scenario.Rules with { UndeliveredRetentionMs = ComplianceWorld.Days(10) });
        await world.Scenario.PublishRulesAsync(Scenario.Rules with { UndeliveredRetentionMs = ComplianceWorld.Days(10), ContactHours = "Evenings" });
        await world.ChangeAsync(ComplianceWorld.Days(10), Scenario.Rules.ClientHistoryRetentionMs, 3000, "Longer audit for accreditation");
        await world.ChangeAsync(ComplianceWorld.Days(10), Scenario.Rules.ClientHistoryRetentionMs, 3000, "No change at all");

        var history = await world.GetAsync<List<PolicyVersionDto>>(world.Officer, Routes.RetentionHistory);

        Assert.Equal([1L, 2L, 3L, 4L], history.Select(h => h.Version));
        Assert.Null(history[0].Before);
        Assert.Equal("Programme created", history[0].Reason);
        Assert.Equal(new PolicyValuesDto(Scenario.Rules.UndeliveredRetentionMs, Scenario.Rules.ClientHistoryRetentionMs, 2190), history[1].Before);
        Assert.Equal(new PolicyValuesDto(ComplianceWorld.Days(7), Scenario.Rules.ClientHistoryRetentionMs, 2190), history[1].After);
        Assert.Equal("Data protection review", history[1].Reason);
        Assert.Equal(2u, history[1].GroundRulesVersion);
        Assert.Equal("Published with ground-rules version 3", history[2].Reason);
        Assert.Equal(3000, history[3].After.AuditRetentionDays);
        Assert.Equal(4u, history[3].GroundRulesVersion);
        Assert.All(history, h => Assert.Equal(coordinator, h.ChangedBy));
        Assert.True(history.Zip(history.Skip(1)).All(p => p.First.ChangedAt <= p.Second.ChangedAt));

        var export = await world.ExportAsync();
        var changes = export.Entries.Where(e => e.Action == "retention.policy_changed").ToList();
        Assert.Equal(4, changes.Count);
        Assert.Contains("\"reason\":\"Data protection review\"", changes[1].Body!.After, StringComparison.Ordinal);
        Assert.Contains("\"undeliveredRetentionMs\":1209600000", changes[1].Body!.Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Change_OfAMessageTerm_PublishesGroundRulesAndClosesTheRelayUntilBothConsent()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        await world.Scenario.Mentor.ConnectAsync();

        var changed = await world.ChangeAsync(ComplianceWorld.Days(5), Scenario.Rules.ClientHistoryRetentionMs, 2190);

        var rules = await world.Scenario.CurrentRulesAsync();
        Assert.Equal(2u, rules.Version);
        Assert.Equal(ComplianceWorld.Days(5), rules.UndeliveredRetentionMs);
        Assert.Equal(Scenario.Rules.Text, rules.Text);
        Assert.Equal(2u, changed.Policy.GroundRulesVersion);
        var closed = await world.Scenario.Mentor.NextRelayEventAsync();
        Assert.False(closed.Open);
    }

    [Fact]
    public async Task Change_OfAuditRetentionOnly_KeepsGroundRulesAndRelay()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);

        var changed = await world.ChangeAsync(Scenario.Rules.UndeliveredRetentionMs, Scenario.Rules.ClientHistoryRetentionMs, 3650);

        Assert.Equal(2, changed.Policy.Version);
        Assert.Equal(1u, (await world.Scenario.CurrentRulesAsync()).Version);
        Assert.True((await Http200.ReadAsync<MentorshipDto>(await world.Scenario.Mentee.Http.GetAsync(Routes.Mentorship.Replace("{mentorshipId}", world.Scenario.MentorshipId, StringComparison.Ordinal)))).RelayOpen);
    }

    [Fact]
    public async Task Retention_InForce_ShowsPolicyBoundsAndSchedule()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);

        var retention = await world.GetAsync<RetentionResponse>(world.Scenario.Coordinator, Routes.Retention);

        Assert.Equal(Scenario.Rules.UndeliveredRetentionMs, retention.Policy.UndeliveredRetentionMs);
        Assert.Equal(ComplianceWorld.Days(1), retention.Bounds.MinUndeliveredRetentionMs);
        Assert.Equal(ComplianceWorld.Days(30), retention.Bounds.MaxUndeliveredRetentionMs);
        Assert.Equal((365, 3650), (retention.Bounds.MinAuditRetentionDays, retention.Bounds.MaxAuditRetentionDays));
        Assert.Equal(60, retention.Sweeps.IntervalMinutes);
        Assert.Null(retention.Sweeps.LastRunAt);
    }
}
