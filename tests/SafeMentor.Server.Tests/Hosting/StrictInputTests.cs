using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Hosting;

/// <summary>Inputs the server used to accept and now refuses as <c>malformed</c>, one finding per test.</summary>
public sealed class StrictInputTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private static readonly byte[] s_lowOrderPoint = Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

    [Fact]
    public async Task Body_IntegerSentAsString_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var request = world.ConsentRequest(world.Mentee, ConsentDecision.Accept, await world.CurrentRulesAsync());
        var json = JsonSerializer.Serialize(request, JsonSerializerOptions.Web).Replace("\"groundRulesVersion\":1", "\"groundRulesVersion\":\"1\"", StringComparison.Ordinal);

        var response = await world.Mentee.Http.PostAsync(ConsentRoute(world), Json(json));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
        Assert.False((await Mentorship(world)).MenteeConsented);
    }

    [Fact]
    public async Task Body_RequiredMemberMissing_ReturnsMalformedInsteadOfADefault()
    {
        var server = shared.Server;
        await using var world = await Scenario.CreateAsync(server, consent: false);

        // exportAllowed left out: it used to become false without a word.
        var response = await world.Coordinator.Http.PutAsync(
            Routes.GroundRules.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal),
            Json("""{"text":"Rules","undeliveredRetentionMs":1000,"clientHistoryRetentionMs":1000,"contactHours":"","expectedResponseHours":1}"""));

        await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
        Assert.Equal(1u, (await world.CurrentRulesAsync()).Version);
    }

    [Fact]
    public async Task Body_DuplicateMemberOrNullOrWrongCase_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var route = Routes.ProgrammeInvites.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal);

        foreach (var body in new[] { """{"role":"mentee","role":"coordinator"}""", """{"role":null}""", """{"Role":"mentee"}""", "null", "[]", "" })
        {
            await Http200.AssertProblemAsync(await world.Coordinator.Http.PostAsync(route, Json(body)), 400, ErrorCodes.Malformed);
        }
    }

    [Fact]
    public async Task Body_InvalidUtf8OrLoneSurrogate_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var route = Routes.ProgrammeInvites.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal);
        var invalidUtf8 = new ByteArrayContent([.. "{\"role\":\"mentee"u8, 0xff, 0xfe, .. "\"}"u8]);
        invalidUtf8.Headers.ContentType = new("application/json");

        await Http200.AssertProblemAsync(await world.Coordinator.Http.PostAsync(route, invalidUtf8), 400, ErrorCodes.Malformed);
        await using var user = TestUser.Unregistered(server, "someone");
        var request = user.CreateAccountRequest(await world.InviteAsync(Roles.Mentee), await user.ChallengeAsync());
        var json = JsonSerializer.Serialize(request, JsonSerializerOptions.Web).Replace("\"pseudonym\":\"someone\"", "\"pseudonym\":\"some\\ud800one\"", StringComparison.Ordinal);
        await Http200.AssertProblemAsync(await user.Http.PostAsync(Routes.Accounts, Json(json)), 400, ErrorCodes.Malformed);
    }

    [Fact]
    public async Task Base64_WithWhitespaceOrNonCanonicalBits_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        var nonce = await user.ChallengeAsync();
        var signature = user.SignNonce(nonce);

        // Both decode to the very nonce that was signed; only the spelling differs.
        var spaced = new SignInRequest(user.AccountId, nonce[..20] + " " + nonce[20..], signature);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        var paddingBitSet = Alphabet[Alphabet.IndexOf(nonce[^2], StringComparison.Ordinal) + 1];
        var nonCanonical = new SignInRequest(user.AccountId, nonce[..^2] + paddingBitSet + "=", signature);

        await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.SignIn, spaced), 400, ErrorCodes.Malformed);
        await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.SignIn, nonCanonical), 400, ErrorCodes.Malformed);
        await Http200.EnsureAsync(await user.Http.PostAsJsonAsync(Routes.SignIn, new SignInRequest(user.AccountId, nonce, signature)));
    }

    [Fact]
    public async Task Path_VersionNotCanonical_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var world = await Scenario.CreateAsync(server, consent: false);

        foreach (var version in new[] { "+1", "01", "%201", "1.0", "4294967296", "-1" })
        {
            var response = await world.Mentee.Http.GetAsync($"{Routes.Programmes}/{world.Programme.ProgrammeId}/ground-rules/{version}");
            await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
        }

        await Http200.EnsureAsync(await world.Mentee.Http.GetAsync($"{Routes.Programmes}/{world.Programme.ProgrammeId}/ground-rules/1"));
    }

    [Fact]
    public async Task Path_IdOfTheWrongShape_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var world = await Scenario.CreateAsync(server, consent: false);

        foreach (var path in new[] { $"{Routes.Programmes}/PG_{new string('0', 32)}", $"{Routes.MyMentorships}/ms_{new string('A', 32)}", $"/v1/keys/bundles/sm_{new string('1', 32)}" })
        {
            await Http200.AssertProblemAsync(await world.Mentee.Http.GetAsync(path), 400, ErrorCodes.Malformed);
        }
    }

    [Fact]
    public async Task Pseudonym_FormatOrControlCharacters_ReturnsMalformed()
    {
        var server = shared.Server;
        foreach (var pseudonym in new[] { "\u202Egnp.exe", "\u200B", "a\u2028b", "bell\u0007", "\u200D" })
        {
            await using var user = TestUser.Unregistered(server, pseudonym);
            var response = await user.Http.PostAsJsonAsync(Routes.Accounts, user.CreateAccountRequest(server.CoordinatorInvite(), await user.ChallengeAsync()));
            await Http200.AssertProblemAsync(response, 400, ErrorCodes.Malformed);
        }
    }

    [Fact]
    public async Task Pseudonym_EmojiWithZeroWidthJoiner_IsAccepted()
    {
        var server = shared.Server;

        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "Heron \U0001F469\u200D\u2695\uFE0F");

        Assert.Equal(user.Pseudonym, (await Http200.ReadAsync<AccountResponse>(await user.Http.GetAsync(Routes.Me))).Pseudonym);
    }

    [Fact]
    public async Task ProgrammeNameAndGroundRules_FormatOrControlCharacters_ReturnMalformed()
    {
        var server = shared.Server;
        await using var coordinator = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coordinator");

        foreach (var request in new[]
        {
            new CreateProgrammeRequest("Peer \u202Ementoring", Scenario.Rules),
            new CreateProgrammeRequest("Peer mentoring", Scenario.Rules with { Text = "Be kind.\u0000Or not." }),
            new CreateProgrammeRequest("Peer mentoring", Scenario.Rules with { Text = "Be kind.\u001b[2J" }),
            new CreateProgrammeRequest("Peer mentoring", Scenario.Rules with { ContactHours = "9-17\u2066" }),
        })
        {
            await Http200.AssertProblemAsync(await coordinator.Http.PostAsJsonAsync(Routes.Programmes, request), 400, ErrorCodes.Malformed);
        }

        var multiLine = new CreateProgrammeRequest("Peer mentoring", Scenario.Rules with { Text = "1. Be kind.\r\n2. Keep confidences.\n\t(Always.)" });
        await Http200.EnsureAsync(await coordinator.Http.PostAsJsonAsync(Routes.Programmes, multiLine));
    }

    [Fact]
    public async Task Upload_LowOrderOrAllZeroPrekeys_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var user = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "someone");
        await user.UploadPrekeysAsync(0);

        foreach (var point in new[] { new byte[32], s_lowOrderPoint })
        {
            var oneTime = new UploadPrekeysRequest(null, [new OneTimePrekeyDto(1_000_000, Convert.ToBase64String(point))]);
            await Http200.AssertProblemAsync(await user.Http.PutAsJsonAsync(Routes.Prekeys, oneTime), 400, ErrorCodes.Malformed);

            // Correctly signed by the owner: only the key itself is wrong.
            var signature = user.Identity.Sign(SignedPrekeys.SignedMessage(77, point));
            var signed = new UploadPrekeysRequest(new SignedPrekeyDto(77, Convert.ToBase64String(point), Convert.ToBase64String(signature)), []);
            await Http200.AssertProblemAsync(await user.Http.PutAsJsonAsync(Routes.Prekeys, signed), 400, ErrorCodes.Malformed);
        }

        var count = await Http200.ReadAsync<PrekeyCountResponse>(await user.Http.GetAsync(Routes.PrekeyCount));
        Assert.Equal((0, user.Prekeys.CurrentSignedPrekeyId), (count.OneTimePrekeys, count.SignedPrekeyId));
    }

    [Fact]
    public async Task CreateAccount_LowOrderIdentityDhKey_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var user = TestUser.Unregistered(server, "someone");
        var request = user.CreateAccountRequest(server.CoordinatorInvite(), await user.ChallengeAsync());
        foreach (var point in new[] { new byte[32], s_lowOrderPoint })
        {
            // The binding signature is genuine: the identity key really does vouch for this DH key.
            byte[] binding = [(byte)"SafeMentor/v1/identity".Length, .. "SafeMentor/v1/identity"u8, .. point];
            var lowOrder = request with
            {
                IdentityDhKey = Convert.ToBase64String(point),
                IdentitySignature = Convert.ToBase64String(user.Identity.Sign(binding)),
                Nonce = await user.ChallengeAsync(),
            };
            lowOrder = lowOrder with { NonceSignature = user.SignNonce(lowOrder.Nonce) };

            await Http200.AssertProblemAsync(await user.Http.PostAsJsonAsync(Routes.Accounts, lowOrder), 400, ErrorCodes.Malformed);
        }
    }

    [Fact]
    public async Task Consent_DatedBeforeTheGroundRules_ReturnsMalformed()
    {
        var server = shared.Server;
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var rules = await world.CurrentRulesAsync();

        var dated1970 = world.ConsentRequest(world.Mentee, ConsentDecision.Accept, rules, timestampMs: 0);
        var anHourEarly = world.ConsentRequest(world.Mentee, ConsentDecision.Accept, rules, timestampMs: rules.PublishedAt.AddHours(-1).ToUnixTimeMilliseconds());

        await Http200.AssertProblemAsync(await world.PostConsentAsync(world.Mentee, dated1970), 400, ErrorCodes.Malformed);
        await Http200.AssertProblemAsync(await world.PostConsentAsync(world.Mentee, anHourEarly), 400, ErrorCodes.Malformed);
        Assert.False((await Mentorship(world)).MenteeConsented);
        await world.ConsentAsync(world.Mentee, ConsentDecision.Accept);
    }

    [Fact]
    public async Task OpenApi_Document_SaysWhatTheServerAccepts()
    {
        var server = shared.Server;

        using var document = JsonDocument.Parse(await (await server.CreateClient().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync());

        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var version = schemas.GetProperty("ConsentRequest").GetProperty("properties").GetProperty("groundRulesVersion");
        Assert.Equal("integer", version.GetProperty("type").GetString());
        var problem = schemas.GetProperty("ProblemDetails");
        Assert.Contains("code", problem.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(ErrorCodes.RateLimited, problem.GetProperty("properties").GetProperty("code").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var roles = schemas.GetProperty("CreateInviteRequest").GetProperty("properties").GetProperty("role").GetProperty("enum").EnumerateArray().Select(e => e.GetString());
        Assert.Equal(Roles.All, roles);
        Assert.Equal(Formats.Base64Of32Bytes, schemas.GetProperty("SignInRequest").GetProperty("properties").GetProperty("nonce").GetProperty("minLength").GetInt32());
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static string ConsentRoute(Scenario world) => Routes.Consents.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal);

    private static async Task<MentorshipDto> Mentorship(Scenario world)
        => await Http200.ReadAsync<MentorshipDto>(await world.Mentee.Http.GetAsync(Routes.Mentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal)));
}
