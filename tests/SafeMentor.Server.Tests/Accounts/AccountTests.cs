using System.Net.Http.Json;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Identity;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Accounts;

public sealed class AccountTests
{
    [Fact]
    public async Task CreateAccount_InviteUsedTwice_ReturnsInviteInvalid()
    {
        using var server = new ServerFactory();
        var invite = server.CoordinatorInvite();
        await using var first = await TestUser.JoinAsync(server, invite, "first");
        await using var second = TestUser.Unregistered(server, "second");

        var response = await second.Http.PostAsJsonAsync(Routes.Accounts, second.CreateAccountRequest(invite, await second.ChallengeAsync()));

        await Http200.AssertProblemAsync(response, 403, ErrorCodes.InviteInvalid);
    }

    [Fact]
    public async Task CreateAccount_UnknownOrExpiredInvite_ReturnsInviteInvalid()
    {
        using var server = new ServerFactory();
        await using var user = TestUser.Unregistered(server, "someone");
        var unknown = await user.Http.PostAsJsonAsync(Routes.Accounts, user.CreateAccountRequest("smi_unknown", await user.ChallengeAsync()));
        await Http200.AssertProblemAsync(unknown, 403, ErrorCodes.InviteInvalid);

        var invite = server.CoordinatorInvite();
        server.Clock.Advance(TimeSpan.FromDays(8));
        var expired = await user.Http.PostAsJsonAsync(Routes.Accounts, user.CreateAccountRequest(invite, await user.ChallengeAsync()));
        await Http200.AssertProblemAsync(expired, 403, ErrorCodes.InviteInvalid);
    }

    [Fact]
    public async Task CreateAccount_ForgedBindingSignature_ReturnsInvalidSignatureAndKeepsInvite()
    {
        using var server = new ServerFactory();
        var invite = server.CoordinatorInvite();
        await using var user = TestUser.Unregistered(server, "someone");
        using var other = LocalIdentity.Create();
        var request = user.CreateAccountRequest(invite, await user.ChallengeAsync()) with
        {
            IdentitySignature = Convert.ToBase64String(other.Public.BindingSignature),
        };

        var response = await user.Http.PostAsJsonAsync(Routes.Accounts, request);

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.InvalidSignature);
        await using var later = await TestUser.JoinAsync(server, invite, "later");
    }

    [Fact]
    public async Task CreateAccount_MalformedFields_ReturnsMalformed()
    {
        using var server = new ServerFactory();
        await using var user = TestUser.Unregistered(server, "someone");
        var good = user.CreateAccountRequest(server.CoordinatorInvite(), await user.ChallengeAsync());

        foreach (var bad in new[]
        {
            good with { IdentitySigningKey = Convert.ToBase64String(new byte[31]) },
            good with { IdentityDhKey = "not base64!" },
            good with { Pseudonym = "" },
            good with { Pseudonym = new string('p', 65) },
            good with { Pseudonym = "tab\there" },
        })
        {
            await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.Accounts, bad), 400, ErrorCodes.Malformed);
        }

        var notJson = await user.Http.PostAsync(Routes.Accounts, new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        await Http200.AssertProblemAsync(notJson, 400, ErrorCodes.Malformed);
    }

    [Fact]
    public async Task CreateAccount_SameKeysTwice_ReturnsConflict()
    {
        using var server = new ServerFactory();
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "once");

        var again = await user.Http.PostAsJsonAsync(Routes.Accounts, user.CreateAccountRequest(server.CoordinatorInvite(), await user.ChallengeAsync()));

        await Http200.AssertProblemAsync(again, 409, ErrorCodes.Conflict);
    }

    [Fact]
    public async Task CreateAccount_ChallengeNotIssued_ReturnsChallengeInvalid()
    {
        using var server = new ServerFactory();
        await using var user = TestUser.Unregistered(server, "someone");
        var made_up = Convert.ToBase64String(new byte[32]);

        var response = await user.Http.PostAsJsonAsync(Routes.Accounts, user.CreateAccountRequest(server.CoordinatorInvite(), made_up));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.ChallengeInvalid);
    }
}
