using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Accounts;

/// <summary>Sign-in can be revoked: rotation with reuse detection, sign-out, sign-out everywhere, suspension.</summary>
public sealed class RevocationTests
{
    [Fact]
    public async Task Refresh_SameTokenTwice_SecondIsRefusedAndEndsTheSignIn()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var stolen = user.Tokens!.RefreshToken;

        var rotated = await RefreshAsync(user, stolen);
        Assert.NotEqual(stolen, rotated.RefreshToken);

        // The old token again (the thief, or the device after the thief): refused, and the whole sign-in ends.
        await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(stolen)), 401, ErrorCodes.Unauthorized);
        await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(rotated.RefreshToken)), 401, ErrorCodes.Unauthorized);
        user.UseTokens(rotated);
        await Http200.AssertProblemAsync(await user.Http.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);

        await user.SignInAsync();
        await Http200.EnsureAsync(await user.Http.GetAsync(Routes.Me));
    }

    [Fact]
    public async Task Refresh_Rotating_NeverOutlivesTheSignIn()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");

        server.Clock.Advance(TimeSpan.FromDays(13));
        var day13 = await RefreshAsync(user, user.Tokens!.RefreshToken);
        server.Clock.Advance(TimeSpan.FromDays(2));

        await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(day13.RefreshToken)), 401, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task SignOut_ThisDevice_ItsTokensAndConnectionsEndOthersContinue()
    {
        using var server = new ServerFactory();
        await using var phone = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var phoneTokens = phone.Tokens!;
        var phoneHub = await phone.ConnectAsync(accessToken: phoneTokens.AccessToken);
        var phoneClosed = ClosedSignal(phoneHub);
        await phone.SignInAsync();
        var laptopTokens = phone.Tokens!;
        var laptopHub = await phone.ConnectAsync(accessToken: laptopTokens.AccessToken);
        phone.UseTokens(phoneTokens);

        await Http200.EnsureAsync(await phone.Http.PostAsync(Routes.SignOut, null));

        await Http200.AssertProblemAsync(await phone.Http.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
        await Http200.AssertProblemAsync(await phone.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(phoneTokens.RefreshToken)), 401, ErrorCodes.Unauthorized);
        await phoneClosed.WaitAsync(TimeSpan.FromSeconds(10));
        phone.UseTokens(laptopTokens);
        await Http200.EnsureAsync(await phone.Http.GetAsync(Routes.Me));
        Assert.Equal(HubConnectionState.Connected, laptopHub.State);
        await RefreshAsync(phone, laptopTokens.RefreshToken);
    }

    [Fact]
    public async Task SignOutEverywhere_AllTokensAndConnectionsEnd()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var first = user.Tokens!;
        var firstHub = await user.ConnectAsync(accessToken: first.AccessToken);
        var firstClosed = ClosedSignal(firstHub);
        await user.SignInAsync();
        var second = user.Tokens!;

        await Http200.EnsureAsync(await user.Http.PostAsync(Routes.SignOutEverywhere, null));

        foreach (var tokens in new[] { first, second })
        {
            user.UseTokens(tokens);
            await Http200.AssertProblemAsync(await user.Http.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
            await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(tokens.RefreshToken)), 401, ErrorCodes.Unauthorized);
        }

        await firstClosed.WaitAsync(TimeSpan.FromSeconds(10));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => user.ConnectAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await user.SignInAsync();
        await Http200.EnsureAsync(await user.Http.GetAsync(Routes.Me));
    }

    [Fact]
    public async Task Suspend_Member_TokensStopConnectionsCloseRelaysCloseUntilReinstated()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        var menteeHub = await world.Mentee.ConnectAsync();
        var menteeClosed = ClosedSignal(menteeHub);
        var menteeTokens = world.Mentee.Tokens!;

        await Http200.EnsureAsync(await world.Coordinator.Http.PostAsync(MemberRoute(Routes.SuspendMember, world, world.Mentee), null));

        await Http200.AssertProblemAsync(await world.Mentee.Http.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
        await Http200.AssertProblemAsync(await world.Mentee.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(menteeTokens.RefreshToken)), 401, ErrorCodes.Unauthorized);
        await menteeClosed.WaitAsync(TimeSpan.FromSeconds(10));
        var closed = await world.Mentor.NextRelayEventAsync();
        Assert.Equal((world.MentorshipId, false, false), (closed.MentorshipId, closed.Open, closed.Ended));
        await HubAssert.RefusedAsync(ErrorCodes.AccountSuspended, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
        await Http200.AssertProblemAsync(await world.Mentor.Http.GetAsync(Routes.Bundle.Replace("{accountId}", world.Mentee.AccountId, StringComparison.Ordinal)), 403, ErrorCodes.AccountSuspended);
        var signIn = await SignInAsync(world.Mentee);
        await Http200.AssertProblemAsync(signIn, 403, ErrorCodes.AccountSuspended);
        var members = await Http200.ReadAsync<List<MemberDto>>(await world.Coordinator.Http.GetAsync(
            Routes.ProgrammeMembers.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal)));
        Assert.Contains(new MemberDto(world.Mentee.AccountId, "mentee", Roles.Mentee, Suspended: true), members);
        Assert.False((await Http200.ReadAsync<MentorshipDto>(await world.Mentor.Http.GetAsync(MentorshipRoute(world)))).RelayOpen);

        await Http200.EnsureAsync(await world.Coordinator.Http.PostAsync(MemberRoute(Routes.ReinstateMember, world, world.Mentee), null));

        Assert.True((await world.Mentor.NextRelayEventAsync()).Open);
        await world.Mentee.SignInAsync();
        await world.Mentee.ConnectAsync();
        var sent = await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        Assert.Equal(sent.EnvelopeId, (await world.Mentee.NextEnvelopeAsync()).EnvelopeId);

        // Tokens from before the suspension stay dead.
        world.Mentee.UseTokens(menteeTokens);
        await Http200.AssertProblemAsync(await world.Mentee.Http.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Suspend_WhoMaySuspendAndLift_OnlyCoordinatorsOfTheProgramme()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        await using var other = await Scenario.CreateAsync(server, consent: false);

        await Http200.AssertProblemAsync(await world.Mentor.Http.PostAsync(MemberRoute(Routes.SuspendMember, world, world.Mentee), null), 403, ErrorCodes.Forbidden);
        await Http200.AssertProblemAsync(await other.Coordinator.Http.PostAsync(MemberRoute(Routes.SuspendMember, world, world.Mentee), null), 404, ErrorCodes.NotFound);
        await Http200.AssertProblemAsync(await world.Coordinator.Http.PostAsync(MemberRoute(Routes.SuspendMember, world, other.Mentee), null), 404, ErrorCodes.NotFound);
        await Http200.AssertProblemAsync(await world.Coordinator.Http.PostAsync(MemberRoute(Routes.SuspendMember, world, world.Coordinator), null), 409, ErrorCodes.Conflict);

        // Suspended in one programme, the account is a member of another too: only the first programme's coordinators lift it.
        await Http200.EnsureAsync(await world.Mentor.Http.PostAsJsonAsync(Routes.RedeemInvite, new RedeemInviteRequest(await other.InviteAsync(Roles.Mentor))));
        await Http200.EnsureAsync(await world.Coordinator.Http.PostAsync(MemberRoute(Routes.SuspendMember, world, world.Mentor), null));
        await Http200.EnsureAsync(await world.Coordinator.Http.PostAsync(MemberRoute(Routes.SuspendMember, world, world.Mentor), null));
        var elsewhere = await other.Coordinator.Http.PostAsync(MemberRoute(Routes.ReinstateMember, other, world.Mentor), null);
        await Http200.AssertProblemAsync(elsewhere, 409, ErrorCodes.Conflict);
        await Http200.EnsureAsync(await world.Coordinator.Http.PostAsync(MemberRoute(Routes.ReinstateMember, world, world.Mentor), null));
        await Http200.EnsureAsync(await SignInAsync(world.Mentor));
    }

    [Fact]
    public async Task Hub_MoreConnectionsThanAllowed_RefusedAtNegotiation()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Auth:MaxConnectionsPerAccount"] = "3" });
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var connections = new List<HubConnection>();
        for (var i = 0; i < 3; i++)
        {
            connections.Add(await user.ConnectAsync());
        }

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => user.ConnectAsync());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Tokens!.AccessToken);
        await Http200.AssertProblemAsync(await client.PostAsync($"{Routes.Hub}/negotiate?negotiateVersion=1", null), 429, ErrorCodes.TooManyConnections);

        await connections[0].StopAsync();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await user.ConnectAsync();
                break;
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task End_ByTheProgrammesCoordinator_EndsItSoTheMenteeCanBeMatchedAgain()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        await world.Mentee.ConnectAsync();

        var ended = await world.EndAsync(world.Coordinator);

        Assert.NotNull(ended.EndedAt);
        Assert.True((await world.Mentee.NextRelayEventAsync()).Ended);
        await using var secondMentor = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentor), "second mentor");
        await world.MatchAsync(secondMentor, world.Mentee);
        await using var other = await Scenario.CreateAsync(server, consent: false);
        await Http200.AssertProblemAsync(await other.Coordinator.Http.PostAsync(
            Routes.EndMentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal), null), 403, ErrorCodes.NotAParty);
        await Http200.AssertProblemAsync(await world.Coordinator.Http.PostAsync(
            Routes.EndMentorship.Replace("{mentorshipId}", other.MentorshipId, StringComparison.Ordinal), null), 403, ErrorCodes.NotAParty);
    }

    private static async Task<TokenResponse> RefreshAsync(TestUser user, string refreshToken)
        => await Http200.ReadAsync<TokenResponse>(await user.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(refreshToken)));

    private static async Task<HttpResponseMessage> SignInAsync(TestUser user)
    {
        var nonce = await user.ChallengeAsync();
        return await user.Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(user.AccountId, nonce, user.SignNonce(nonce)));
    }

    private static Task ClosedSignal(HubConnection connection)
    {
        var closed = new TaskCompletionSource();
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        return closed.Task;
    }

    private static string MemberRoute(string route, Scenario world, TestUser member)
        => route.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal).Replace("{accountId}", member.AccountId, StringComparison.Ordinal);

    private static string MentorshipRoute(Scenario world) => Routes.Mentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal);
}
