using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Accounts;

public sealed class SignInTests
{
    [Fact]
    public async Task Health_FreshServer_Returns200WithDatabaseInDataFolder()
    {
        using var server = new ServerFactory();
        var response = await server.CreateClient().GetAsync(Routes.Health);
        await Http200.EnsureAsync(response);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "safementor.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(server.DataDirectory, "keys")));
    }

    [Fact]
    public async Task Health_DatabaseUnusable_Returns503Unavailable()
    {
        using var server = new ServerFactory();
        var client = server.CreateClient();
        server.Services.GetRequiredService<Database>().Dispose();

        var response = await client.GetAsync(Routes.Health);

        await Http200.AssertProblemAsync(response, 503, ErrorCodes.Unavailable);
    }

    [Fact]
    public async Task SignIn_ValidAnswer_IssuesTokensThatReadTheAccount()
    {
        using var server = new ServerFactory();
        await using var coordinator = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coord");

        Assert.Equal("Bearer", coordinator.Tokens!.TokenType);
        Assert.False(string.IsNullOrEmpty(coordinator.Tokens.RefreshToken));
        var me = await Http200.ReadAsync<AccountResponse>(await coordinator.Http.GetAsync(Routes.Me));
        Assert.Equal(coordinator.AccountId, me.AccountId);
        Assert.Equal("coord", me.Pseudonym);
        Assert.True(me.CanCreateProgrammes);
    }

    [Fact]
    public async Task SignIn_ReplayedChallenge_ReturnsChallengeInvalid()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coord");
        var nonce = await user.ChallengeAsync();
        var request = new SignInRequest(user.AccountId, nonce, user.SignNonce(nonce));

        await Http200.EnsureAsync(await user.Http.PostAsJsonAsync(Routes.SignIn, request));
        var replay = await user.Http.PostAsJsonAsync(Routes.SignIn, request);

        await Http200.AssertProblemAsync(replay, 400, ErrorCodes.ChallengeInvalid);
    }

    [Fact]
    public async Task SignIn_ExpiredChallenge_ReturnsChallengeInvalid()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coord");
        var nonce = await user.ChallengeAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(3));

        var response = await user.Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(user.AccountId, nonce, user.SignNonce(nonce)));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.ChallengeInvalid);
    }

    [Fact]
    public async Task SignIn_AnswerSignedByAnotherKey_ReturnsChallengeInvalid()
    {
        using var server = new ServerFactory();
        await using var victim = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "victim");
        await using var attacker = TestUser.Unregistered(server, "attacker");
        var nonce = await attacker.ChallengeAsync();
        var forged = Convert.ToBase64String(SafeMentor.Protocol.Statements.StatementSigner.Sign(
            attacker.Identity, new SafeMentor.Protocol.Statements.AuthStatement(victim.AccountId, Convert.FromBase64String(nonce))));

        var response = await attacker.Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(victim.AccountId, nonce, forged));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.ChallengeInvalid);
    }

    [Fact]
    public async Task SignIn_MalformedFields_ReturnsMalformed()
    {
        using var server = new ServerFactory();
        var client = server.CreateClient();

        var response = await client.PostAsJsonAsync(Routes.SignIn, new SignInRequest("sm_nope", "AAAA", "AAAA"));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
    }

    [Fact]
    public async Task Me_WithoutToken_ReturnsUnauthorized()
    {
        using var server = new ServerFactory();
        var response = await server.CreateClient().GetAsync(Routes.Me);
        await Http200.AssertProblemAsync(response, 401, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Me_ForgedToken_ReturnsUnauthorized()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coord");
        var token = user.Tokens!.AccessToken;
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);

        await Http200.AssertProblemAsync(await client.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Me_TokenFromAnotherServer_ReturnsUnauthorized()
    {
        using var other = new ServerFactory();
        await using var stranger = await TestUser.JoinAsync(other, other.CoordinatorInvite(), "elsewhere");
        using var server = new ServerFactory();
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stranger.Tokens!.AccessToken);

        await Http200.AssertProblemAsync(await client.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Me_ExpiredToken_ReturnsUnauthorized()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coord");
        server.Clock.Advance(TimeSpan.FromMinutes(16));

        await Http200.AssertProblemAsync(await user.Http.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
    }

    [Fact]
    public async Task Refresh_ValidRefreshToken_IssuesWorkingTokens()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coord");
        server.Clock.Advance(TimeSpan.FromMinutes(16));

        var refreshed = await Http200.ReadAsync<TokenResponse>(
            await user.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(user.Tokens!.RefreshToken)));
        user.UseTokens(refreshed);

        await Http200.EnsureAsync(await user.Http.GetAsync(Routes.Me));
    }

    [Fact]
    public async Task Refresh_ExpiredOrForgedRefreshToken_ReturnsUnauthorized()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coord");
        var client = server.CreateClient();

        var forged = await client.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(user.Tokens!.AccessToken));
        await Http200.AssertProblemAsync(forged, 401, ErrorCodes.Unauthorized);

        server.Clock.Advance(TimeSpan.FromDays(15));
        var expired = await client.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(user.Tokens.RefreshToken));
        await Http200.AssertProblemAsync(expired, 401, ErrorCodes.Unauthorized);
    }
}
