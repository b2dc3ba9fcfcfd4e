using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Accounts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Accounts;

/// <summary>Strangers cannot lock others out through the anonymous endpoints, nor guess invites quickly.</summary>
public sealed class AnonymousAbuseTests
{
    [Fact]
    public async Task Challenge_FloodOfUnansweredChallenges_CostsNothingAndSignInStillWorks()
    {
        // The old in-memory table refused every challenge once this many were outstanding.
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Auth:MaxOutstandingChallenges"] = "100" });
        var stranger = server.CreateClient();

        var flood = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => stranger.PostAsync(Routes.Challenge, null)));

        Assert.All(flood, response => Assert.True(response.IsSuccessStatusCode));
        Assert.Equal(0, server.Services.GetRequiredService<Challenges>().Remembered);
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "still welcome");
        Assert.Equal(2, server.Services.GetRequiredService<Challenges>().Remembered);
    }

    [Fact]
    public async Task Challenge_ForgedOrAltered_ReturnsChallengeInvalid()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var nonce = Convert.FromBase64String(await user.ChallengeAsync());
        nonce[10] ^= 1;
        var altered = Convert.ToBase64String(nonce);

        var response = await user.Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(user.AccountId, altered, user.SignNonce(altered)));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.ChallengeInvalid);
    }

    [Fact]
    public async Task Anonymous_OverThePerAddressLimit_RefusedForThatAddressOnly()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:RateLimits:AnonymousPerAddressPerMinute"] = "3" });
        var attacker = ClientFrom(server, "203.0.113.7");
        var neighbour = ClientFrom(server, "203.0.113.8");

        for (var i = 0; i < 3; i++)
        {
            await Http200.EnsureAsync(await attacker.PostAsync(Routes.Challenge, null));
        }

        var refused = await attacker.PostAsJsonAsync(Routes.SignIn, new SignInRequest("sm_" + new string('a', 32), "", ""));
        await Http200.AssertProblemAsync(refused, 429, ErrorCodes.RateLimited);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        await Http200.EnsureAsync(await neighbour.PostAsync(Routes.Challenge, null));
    }

    [Fact]
    public async Task Anonymous_IPv6Addresses_ShareTheLimitOfTheirSlash64()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:RateLimits:AnonymousPerAddressPerMinute"] = "2" });

        await Http200.EnsureAsync(await ClientFrom(server, "2001:db8:1:2::1").PostAsync(Routes.Challenge, null));
        await Http200.EnsureAsync(await ClientFrom(server, "2001:db8:1:2::2").PostAsync(Routes.Challenge, null));

        await Http200.AssertProblemAsync(await ClientFrom(server, "2001:db8:1:2:ffff::3").PostAsync(Routes.Challenge, null), 429, ErrorCodes.RateLimited);
        await Http200.EnsureAsync(await ClientFrom(server, "2001:db8:1:3::1").PostAsync(Routes.Challenge, null));
    }

    [Fact]
    public async Task Anonymous_OneAddressOverItsLimit_DoesNotSpendTheGlobalBudget()
    {
        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["SafeMentor:RateLimits:AnonymousPerAddressPerMinute"] = "2",
            ["SafeMentor:RateLimits:AnonymousPerSecond"] = "6",
        });
        var attacker = ClientFrom(server, "198.51.100.1");

        var flood = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => attacker.PostAsync(Routes.Challenge, null)));
        Assert.Equal(2, flood.Count(r => r.IsSuccessStatusCode));

        // Four other addresses still find four of the remaining global tokens; many more addresses at once exhaust it.
        for (var i = 2; i <= 5; i++)
        {
            await Http200.EnsureAsync(await ClientFrom(server, $"198.51.100.{i}").PostAsync(Routes.Challenge, null));
        }

        var crowd = await Task.WhenAll(Enumerable.Range(10, 60).Select(i => ClientFrom(server, $"192.0.2.{i}").PostAsync(Routes.Challenge, null)));
        Assert.Contains(crowd, r => (int)r.StatusCode == 429);
    }

    [Fact]
    public void Endpoints_EveryAnonymousOne_IsRateLimitedPerAddress()
    {
        using var server = new ServerFactory();
        server.CreateClient();

        var anonymous = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null && e.RoutePattern.RawText != Routes.Health)
            .ToList();

        Assert.Contains(anonymous, e => e.RoutePattern.RawText == Routes.Refresh);
        Assert.All(anonymous, e => Assert.Equal(RateLimits.Anonymous, e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName));
    }

    [Fact]
    public async Task RedeemInvite_GuessingCodes_RateLimitedPerAccount()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:RateLimits:InviteRedemptionsPerAccountPerMinute"] = "5" });
        await using var guesser = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "guesser");
        await using var other = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "other");

        for (var i = 0; i < 5; i++)
        {
            var guess = await guesser.Http.PostAsJsonAsync(Routes.RedeemInvite, new RedeemInviteRequest($"smi_guess{i}"));
            await Http200.AssertProblemAsync(guess, 403, ErrorCodes.InviteInvalid);
        }

        await Http200.AssertProblemAsync(await guesser.Http.PostAsJsonAsync(Routes.RedeemInvite, new RedeemInviteRequest("smi_guess5")), 429, ErrorCodes.RateLimited);
        await Http200.AssertProblemAsync(await other.Http.PostAsJsonAsync(Routes.RedeemInvite, new RedeemInviteRequest("smi_guess")), 403, ErrorCodes.InviteInvalid);
    }

    [Fact]
    public async Task SignIn_UnknownAccountOrWrongAnswer_BothVerifyOneSignature()
    {
        using var server = new ServerFactory();
        await using var known = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "known");
        await using var stranger = TestUser.Unregistered(server, "stranger");
        var verifier = server.Services.GetRequiredService<SignInVerifier>();

        var before = verifier.Verifications;
        var nonce = await stranger.ChallengeAsync();
        var unknown = await stranger.Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(stranger.AccountId, nonce, stranger.SignNonce(nonce)));
        var afterUnknown = verifier.Verifications;
        nonce = await stranger.ChallengeAsync();
        var wrong = await stranger.Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(known.AccountId, nonce, stranger.SignNonce(nonce)));

        await Http200.AssertProblemAsync(unknown, 400, ErrorCodes.ChallengeInvalid);
        await Http200.AssertProblemAsync(wrong, 400, ErrorCodes.ChallengeInvalid);
        Assert.Equal((1, 1), (afterUnknown - before, verifier.Verifications - afterUnknown));
    }

    [Fact]
    public async Task Body_LargerThanTheEndpointAllows_ReturnsTooLargeBeforeItIsRead()
    {
        using var server = new ServerFactory();
        await using var coordinator = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coordinator");
        var oversized = new StringContent("{\"inviteCode\":\"" + new string('a', 70 * 1024) + "\"}", Encoding.UTF8, "application/json");

        await Http200.AssertProblemAsync(await coordinator.Http.PostAsync(Routes.RedeemInvite, oversized), 413, ErrorCodes.TooLarge);
        await Http200.AssertProblemAsync(await server.CreateClient().PostAsync(Routes.Accounts, new ByteArrayContent(new byte[65 * 1024])), 413, ErrorCodes.TooLarge);

        // Ground rules may need more: 20 000 characters, each escaped by JSON to six bytes.
        var rules = Scenario.Rules with { Text = new string('\u00e9', Limits.MaxGroundRulesTextLength) };
        var escaped = System.Text.Json.JsonSerializer.Serialize(new CreateProgrammeRequest("Big rules", rules), System.Text.Json.JsonSerializerOptions.Web);
        Assert.True(Encoding.UTF8.GetByteCount(escaped) > 100 * 1024);
        await Http200.EnsureAsync(await coordinator.Http.PostAsync(Routes.Programmes, new StringContent(escaped, Encoding.UTF8, "application/json")));
    }

    [Fact]
    public async Task RequestTarget_TooLong_ReturnsTooLargeProblem()
    {
        using var server = new ServerFactory();

        var response = await server.CreateClient().GetAsync("/v1/" + new string('a', 5000));

        await Http200.AssertProblemAsync(response, 414, ErrorCodes.TooLarge);
    }

    private static HttpClient ClientFrom(ServerFactory server, string address)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Add(ServerFactory.RemoteAddressHeader, address);
        return client;
    }
}
