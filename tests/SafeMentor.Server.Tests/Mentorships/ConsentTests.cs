using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Mentorships;

public sealed class ConsentTests
{
    [Fact]
    public async Task Consent_BothAccept_OpensRelayAndTellsBothParties()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        await world.Mentor.ConnectAsync();
        await world.Mentee.ConnectAsync();

        var half = await world.ConsentAsync(world.Mentor, ConsentDecision.Accept);
        Assert.True(half.MentorConsented);
        Assert.False(half.RelayOpen);
        var open = await world.ConsentAsync(world.Mentee, ConsentDecision.Accept);

        Assert.True(open.RelayOpen);
        Assert.True((await world.Mentor.NextRelayEventAsync()).Open);
        Assert.True((await world.Mentee.NextRelayEventAsync()).Open);
    }

    [Fact]
    public async Task Consent_Withdrawn_ClosesRelayAndRefusesSends()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());

        var closed = await world.ConsentAsync(world.Mentee, ConsentDecision.Withdraw);

        Assert.False(closed.RelayOpen);
        var state = await world.Mentor.NextRelayEventAsync();
        Assert.False(state.Open);
        Assert.False(state.Ended);
        await HubAssert.RefusedAsync(ErrorCodes.ConsentRequired, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
    }

    [Fact]
    public async Task GroundRules_NewVersion_ClosesRelayUntilBothConsentAgain()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        await world.Mentee.ConnectAsync();

        await world.PublishRulesAsync(Scenario.Rules with { ContactHours = "Evenings" });

        var mentorEvent = await world.Mentor.NextRelayEventAsync();
        Assert.False(mentorEvent.Open);
        Assert.Equal(2u, mentorEvent.GroundRulesVersion);
        Assert.False((await world.Mentee.NextRelayEventAsync()).Open);
        await HubAssert.RefusedAsync(ErrorCodes.ConsentRequired, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));

        await world.ConsentAsync(world.Mentor, ConsentDecision.Accept);
        var reopened = await world.ConsentAsync(world.Mentee, ConsentDecision.Accept);
        Assert.True(reopened.RelayOpen);
        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
    }

    [Fact]
    public async Task Consent_ToOldVersionOrWrongHash_ReturnsGroundRulesMismatch()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var v1 = await world.CurrentRulesAsync();
        await world.PublishRulesAsync(Scenario.Rules with { Text = "Version two." });

        var old = await world.PostConsentAsync(world.Mentee, world.ConsentRequest(world.Mentee, ConsentDecision.Accept, v1));
        await Http200.AssertProblemAsync(old, 409, ErrorCodes.GroundRulesMismatch);

        var v2 = await world.CurrentRulesAsync();
        var wrongHash = await world.PostConsentAsync(world.Mentee, world.ConsentRequest(world.Mentee, ConsentDecision.Accept, v2 with { Hash = v1.Hash }));
        await Http200.AssertProblemAsync(wrongHash, 409, ErrorCodes.GroundRulesMismatch);
    }

    [Fact]
    public async Task Consent_SignedByAnotherKey_ReturnsInvalidSignature()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var rules = await world.CurrentRulesAsync();

        // The mentor signs a statement and the mentee submits it as their own.
        var response = await world.PostConsentAsync(world.Mentee, world.ConsentRequest(world.Mentor, ConsentDecision.Accept, rules));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task Consent_ReplayedStatement_ReturnsConflict()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var rules = await world.CurrentRulesAsync();
        var accept = world.ConsentRequest(world.Mentee, ConsentDecision.Accept, rules);
        await Http200.EnsureAsync(await world.PostConsentAsync(world.Mentee, accept));
        await world.ConsentAsync(world.Mentee, ConsentDecision.Withdraw);

        var replay = await world.PostConsentAsync(world.Mentee, accept);

        await Http200.AssertProblemAsync(replay, 409, ErrorCodes.Conflict);
    }

    [Fact]
    public async Task Consent_ByOutsiderOrMalformed_IsRefused()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var rules = await world.CurrentRulesAsync();

        var outsider = await world.PostConsentAsync(world.Coordinator, world.ConsentRequest(world.Coordinator, ConsentDecision.Accept, rules));
        await Http200.AssertProblemAsync(outsider, 403, ErrorCodes.NotAParty);

        var badDecision = world.ConsentRequest(world.Mentee, ConsentDecision.Accept, rules) with { Decision = "maybe" };
        await Http200.AssertProblemAsync(await world.PostConsentAsync(world.Mentee, badDecision), 400, ErrorCodes.Malformed);

        var future = world.ConsentRequest(world.Mentee, ConsentDecision.Accept, rules, timestampMs: server.Clock.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds());
        await Http200.AssertProblemAsync(await world.PostConsentAsync(world.Mentee, future), 400, ErrorCodes.Malformed);

        var unknown = await world.PostConsentAsync(world.Mentee, world.ConsentRequest(world.Mentee, ConsentDecision.Accept, rules), "ms_00000000000000000000000000000000");
        await Http200.AssertProblemAsync(unknown, 404, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task Consent_AfterEnd_ReturnsMentorshipEnded()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        await world.EndAsync(world.Mentor);

        var response = await world.PostConsentAsync(world.Mentee, world.ConsentRequest(world.Mentee, ConsentDecision.Accept, await world.CurrentRulesAsync()));

        await Http200.AssertProblemAsync(response, 409, ErrorCodes.MentorshipEnded);
    }
}
