using System.Net.Http.Json;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Mentorships;

public sealed class ProgrammeTests
{
    [Fact]
    public async Task CreateProgramme_GroundRulesHash_IsTheProtocolsCanonicalHash()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var rules = world.Programme.GroundRules;

        var expected = new GroundRules(world.Programme.ProgrammeId, 1, Scenario.Rules.Text, Scenario.Rules.UndeliveredRetentionMs,
            Scenario.Rules.ClientHistoryRetentionMs, Scenario.Rules.ExportAllowed, Scenario.Rules.ContactHours, Scenario.Rules.ExpectedResponseHours).ComputeHash();

        Assert.Equal(1u, rules.Version);
        Assert.Equal(expected, Convert.FromBase64String(rules.Hash));
    }

    [Fact]
    public async Task PublishGroundRules_Edit_CreatesNextVersionAndKeepsTheOld()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);

        var updated = await world.PublishRulesAsync(Scenario.Rules with { ExportAllowed = true });

        Assert.Equal(2u, updated.GroundRules.Version);
        Assert.NotEqual(world.Programme.GroundRules.Hash, updated.GroundRules.Hash);
        var first = await Http200.ReadAsync<GroundRulesDto>(await world.Mentor.Http.GetAsync(
            $"{Routes.Programmes}/{world.Programme.ProgrammeId}/ground-rules/1"));
        Assert.Equal(world.Programme.GroundRules.Hash, first.Hash);
    }

    [Fact]
    public async Task CreateProgramme_WithoutServerCoordinatorInvite_ReturnsForbidden()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);

        var response = await world.Mentor.Http.PostAsJsonAsync(Routes.Programmes, new CreateProgrammeRequest("Mine", Scenario.Rules));

        await Http200.AssertProblemAsync(response, 403, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task CreateProgramme_RetentionBeyondServerBound_ReturnsOutOfBounds()
    {
        using var server = new ServerFactory();
        await using var coordinator = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coordinator");

        var response = await coordinator.Http.PostAsJsonAsync(Routes.Programmes, new CreateProgrammeRequest(
            "Too long", Scenario.Rules with { UndeliveredRetentionMs = (long)TimeSpan.FromDays(31).TotalMilliseconds }));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.OutOfBounds);
    }

    [Fact]
    public async Task CoordinatorActions_ByMentor_ReturnForbidden()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var programmeId = world.Programme.ProgrammeId;

        await Http200.AssertProblemAsync(await world.Mentor.Http.PostAsJsonAsync(
            Routes.ProgrammeInvites.Replace("{programmeId}", programmeId, StringComparison.Ordinal), new CreateInviteRequest(Roles.Mentor)), 403, ErrorCodes.Forbidden);
        await Http200.AssertProblemAsync(await world.Mentor.Http.PutAsJsonAsync(
            Routes.GroundRules.Replace("{programmeId}", programmeId, StringComparison.Ordinal), Scenario.Rules), 403, ErrorCodes.Forbidden);
        await Http200.AssertProblemAsync(await world.Mentee.Http.PostAsJsonAsync(
            Routes.ProgrammeMentorships.Replace("{programmeId}", programmeId, StringComparison.Ordinal), new MatchRequest(world.Mentor.AccountId, world.Mentee.AccountId)), 403, ErrorCodes.Forbidden);
        await Http200.AssertProblemAsync(await world.Mentee.Http.GetAsync(
            Routes.ProgrammeMentorships.Replace("{programmeId}", programmeId, StringComparison.Ordinal)), 403, ErrorCodes.Forbidden);
    }

    [Fact]
    public async Task Programme_NonMember_ReturnsNotFound()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        await using var outsider = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "outsider");

        var response = await outsider.Http.GetAsync(Routes.Programme.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal));

        await Http200.AssertProblemAsync(response, 404, ErrorCodes.NotFound);
    }

    [Fact]
    public async Task CreateInvite_UnknownRole_ReturnsMalformed()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);

        var response = await world.Coordinator.Http.PostAsJsonAsync(
            Routes.ProgrammeInvites.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal), new CreateInviteRequest("emperor"));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
    }

    [Fact]
    public async Task RedeemInvite_ExistingAccount_GainsSecondRole()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);

        var me = await Http200.ReadAsync<AccountResponse>(await world.Mentor.Http.PostAsJsonAsync(
            Routes.RedeemInvite, new RedeemInviteRequest(await world.InviteAsync(Roles.ComplianceOfficer))));

        Assert.Contains(new MembershipDto(world.Programme.ProgrammeId, Roles.ComplianceOfficer), me.Memberships);
        Assert.Contains(new MembershipDto(world.Programme.ProgrammeId, Roles.Mentor), me.Memberships);
    }

    [Fact]
    public async Task Match_MenteeAlreadyMatched_ReturnsConflictUntilEnded()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        await using var secondMentor = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentor), "second mentor");
        var route = Routes.ProgrammeMentorships.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal);

        var again = await world.Coordinator.Http.PostAsJsonAsync(route, new MatchRequest(secondMentor.AccountId, world.Mentee.AccountId));
        await Http200.AssertProblemAsync(again, 409, ErrorCodes.Conflict);

        await world.EndAsync(world.Mentee);
        var rematched = await world.MatchAsync(secondMentor, world.Mentee);

        Assert.Equal(secondMentor.AccountId, rematched.MentorAccountId);
        Assert.Equal(server.Clock.GetUtcNow().ToUnixTimeMilliseconds(), rematched.CreatedAt.ToUnixTimeMilliseconds());
        Assert.False(rematched.RelayOpen);
        var listed = await Http200.ReadAsync<List<MentorshipDto>>(await world.Coordinator.Http.GetAsync(route));
        Assert.Equal(2, listed.Count);
        Assert.NotNull(Assert.Single(listed, m => m.MentorshipId == world.MentorshipId).EndedAt);
        Assert.Null(Assert.Single(listed, m => m.MentorshipId == rematched.MentorshipId).EndedAt);
    }

    [Fact]
    public async Task GetMentorship_PartiesAndCoordinatorOnly_OutsiderGetsNotAParty()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        await using var otherMentor = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentor), "other mentor");
        var route = Routes.Mentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal);

        Assert.Equal(world.MentorshipId, (await Http200.ReadAsync<MentorshipDto>(await world.Mentee.Http.GetAsync(route))).MentorshipId);
        Assert.Equal(world.MentorshipId, (await Http200.ReadAsync<MentorshipDto>(await world.Coordinator.Http.GetAsync(route))).MentorshipId);
        await Http200.AssertProblemAsync(await otherMentor.Http.GetAsync(route), 403, ErrorCodes.NotAParty);
        await Http200.AssertProblemAsync(await otherMentor.Http.PostAsync(
            Routes.EndMentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal), null), 403, ErrorCodes.NotAParty);

        var mine = await Http200.ReadAsync<List<MentorshipDto>>(await world.Mentor.Http.GetAsync(Routes.MyMentorships));
        Assert.Equal(world.MentorshipId, Assert.Single(mine).MentorshipId);
        Assert.Empty(await Http200.ReadAsync<List<MentorshipDto>>(await otherMentor.Http.GetAsync(Routes.MyMentorships)));
        var members = await Http200.ReadAsync<List<MemberDto>>(await world.Coordinator.Http.GetAsync(
            Routes.ProgrammeMembers.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal)));
        Assert.Contains(new MemberDto(world.Mentee.AccountId, "mentee", Roles.Mentee), members);
        Assert.Contains(new MemberDto(world.Coordinator.AccountId, "coordinator", Roles.Coordinator), members);
    }

    [Fact]
    public async Task GetMentorship_AsAParty_ShowsTheCounterpartsPseudonym()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);

        var mine = Assert.Single(await Http200.ReadAsync<List<MentorshipDto>>(await world.Mentee.Http.GetAsync(Routes.MyMentorships)));
        var theirs = await Http200.ReadAsync<MentorshipDto>(await world.Mentor.Http.GetAsync(
            Routes.Mentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal)));

        Assert.Equal(("mentor", "mentee"), (mine.MentorPseudonym, mine.MenteePseudonym));
        Assert.Equal(("mentor", "mentee"), (theirs.MentorPseudonym, theirs.MenteePseudonym));
    }

    [Fact]
    public async Task Match_WrongRoles_ReturnsNotFound()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);

        var swapped = await world.Coordinator.Http.PostAsJsonAsync(
            Routes.ProgrammeMentorships.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal),
            new MatchRequest(world.Mentee.AccountId, world.Mentor.AccountId));

        await Http200.AssertProblemAsync(swapped, 404, ErrorCodes.NotFound);
    }
}
