using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Hosting;

/// <summary>
/// Every endpoint and hub method against every kind of caller, in one table. A route the server maps, or a hub method
/// it offers, without a row fails the test, so a new endpoint cannot be added without saying who may call it.
/// </summary>
public sealed class AuthorizationMatrixTests(ITestOutputHelper output)
{
    /// <summary>The kinds of caller. The party is the mentor of the mentorship, the counterpart its mentee.</summary>
    public enum Caller
    {
        Anonymous,
        TamperedToken,
        RevokedToken,
        SuspendedMember,
        Party,
        Counterpart,
        NonPartySameProgramme,
        Coordinator,
        ComplianceOfficer,
        MemberOfOtherProgramme,
        CoordinatorOfOtherProgramme,
        ComplianceOfficerOfOtherProgramme,
    }

    private static readonly Caller[] s_invalid = [Caller.Anonymous, Caller.TamperedToken, Caller.RevokedToken, Caller.SuspendedMember];

    private static readonly Expect s_unauthorized = new(401, ErrorCodes.Unauthorized);

    [Fact]
    public async Task EveryRouteAndHubMethod_EveryCaller_GetsWhatTheTableSays()
    {
        using var server = new ServerFactory();
        await using var world = await MatrixWorld.CreateAsync(server);
        var rows = Rows(world);

        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null && !e.RoutePattern.RawText!.StartsWith(Routes.Hub, StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Concat(typeof(IRelayHub).GetMethods().Select(m => $"HUB {m.Name}"))
            .Append("HUB connect")
            .ToHashSet(StringComparer.Ordinal);
        var covered = rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(mapped.Except(covered));
        Assert.Empty(covered.Except(mapped));

        var failures = new List<string>();
        foreach (var row in rows)
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var expected = row.Expected(caller);
                var actual = await row.Call(world.Callers[caller]);
                if (expected != actual)
                {
                    failures.Add($"{row.Key} as {caller}: expected {expected}, got {actual}");
                }
            }
        }

        output.WriteLine($"{rows.Count} rows x {Enum.GetValues<Caller>().Length} callers");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// The table. Rows run in this order in one world: the ones that change what later rows rely on (new ground rules,
    /// ending the mentorship, signing out everywhere) come last.
    /// </summary>
    private static List<Row> Rows(MatrixWorld w)
    {
        var ok = new Expect(200, null);
        var created = new Expect(201, null);
        var noContent = new Expect(204, null);
        var notFound = new Expect(404, ErrorCodes.NotFound);
        var forbidden = new Expect(403, ErrorCodes.Forbidden);
        var notAParty = new Expect(403, ErrorCodes.NotAParty);
        var programmeOutsiders = new Dictionary<Caller, Expect> { [Caller.MemberOfOtherProgramme] = notFound, [Caller.CoordinatorOfOtherProgramme] = notFound, [Caller.ComplianceOfficerOfOtherProgramme] = notFound };
        var coordinatorOnly = new Dictionary<Caller, Expect>(programmeOutsiders) { [Caller.Coordinator] = ok, [Caller.Party] = forbidden, [Caller.Counterpart] = forbidden, [Caller.NonPartySameProgramme] = forbidden, [Caller.ComplianceOfficer] = forbidden };
        var coordinatorOrOfficer = With(coordinatorOnly, Caller.ComplianceOfficer, ok);
        var officerOnly = new Dictionary<Caller, Expect>(programmeOutsiders) { [Caller.ComplianceOfficer] = ok };
        var p = w.ProgrammeId;
        string InP(string route) => route.Replace("{programmeId}", p, StringComparison.Ordinal);
        string OfMentorship(string route) => route.Replace("{mentorshipId}", w.MentorshipId, StringComparison.Ordinal);

        return
        [
            Anonymous("GET", Routes.Health, c => c.Get(Routes.Health), ok),
            Anonymous("GET", "/openapi/{documentName}.json", c => c.Get("/openapi/v1.json"), ok),
            Anonymous("POST", Routes.Challenge, c => c.Post(Routes.Challenge, null), ok),
            Anonymous("POST", Routes.Accounts, c => c.Post(Routes.Accounts, w.NewcomerRequest()), new Expect(400, ErrorCodes.ChallengeInvalid)),
            Anonymous("POST", Routes.SignIn, c => c.Post(Routes.SignIn, new SignInRequest(w.Mentor.AccountId, w.UnissuedNonce, w.UnissuedNonceSignature)), new Expect(400, ErrorCodes.ChallengeInvalid)),
            Anonymous("POST", Routes.Refresh, c => c.Post(Routes.Refresh, new RefreshRequest("not-a-token")), s_unauthorized),
            Authenticated("GET", Routes.Me, c => c.Get(Routes.Me), ok),
            Authenticated("POST", Routes.RedeemInvite, c => c.Post(Routes.RedeemInvite, new RedeemInviteRequest("smi_nothing")), new Expect(403, ErrorCodes.InviteInvalid)),
            Authenticated("PUT", Routes.Prekeys, c => c.Put(Routes.Prekeys, c.OneTimePrekeyUpload()), ok),
            Authenticated("GET", Routes.PrekeyCount, c => c.Get(Routes.PrekeyCount), ok),
            Authenticated("GET", Routes.Bundle, c => c.Get(Routes.Bundle.Replace("{accountId}", w.Mentee.AccountId, StringComparison.Ordinal)), notAParty, new() { [Caller.Party] = ok }),
            Authenticated("POST", Routes.Programmes, c => c.Post(Routes.Programmes, new CreateProgrammeRequest("Another", Scenario.Rules)), forbidden, new() { [Caller.Coordinator] = created, [Caller.CoordinatorOfOtherProgramme] = created }),
            Authenticated("GET", Routes.Programme, c => c.Get(Routes.Programme.Replace("{programmeId}", p, StringComparison.Ordinal)), ok, programmeOutsiders),
            Authenticated("GET", Routes.GroundRulesVersion, c => c.Get(Routes.GroundRulesVersion.Replace("{programmeId}", p, StringComparison.Ordinal).Replace("{version}", "1", StringComparison.Ordinal)), ok, programmeOutsiders),
            Authenticated("POST", Routes.ProgrammeInvites, c => c.Post(Routes.ProgrammeInvites.Replace("{programmeId}", p, StringComparison.Ordinal), new CreateInviteRequest(Roles.Mentee)), ok, With(coordinatorOnly, Caller.Coordinator, created)),
            Authenticated("GET", Routes.ProgrammeMembers, c => c.Get(Routes.ProgrammeMembers.Replace("{programmeId}", p, StringComparison.Ordinal)), ok, coordinatorOnly),
            Authenticated("GET", Routes.ProgrammeMentorships, c => c.Get(Routes.ProgrammeMentorships.Replace("{programmeId}", p, StringComparison.Ordinal)), ok, coordinatorOnly),
            Authenticated("GET", Routes.MyMentorships, c => c.Get(Routes.MyMentorships), ok),
            Authenticated("GET", Routes.Mentorship, c => c.Get(Routes.Mentorship.Replace("{mentorshipId}", w.MentorshipId, StringComparison.Ordinal)), notAParty, new() { [Caller.Party] = ok, [Caller.Counterpart] = ok, [Caller.Coordinator] = ok }),
            Authenticated("POST", Routes.Consents, c => c.Post(Routes.Consents.Replace("{mentorshipId}", w.MentorshipId, StringComparison.Ordinal), w.Consent(c)), notAParty, new() { [Caller.Party] = ok, [Caller.Counterpart] = ok }),
            Authenticated("GET", Routes.Retention, c => c.Get(InP(Routes.Retention)), forbidden, coordinatorOrOfficer),
            Authenticated("GET", Routes.RetentionHistory, c => c.Get(InP(Routes.RetentionHistory)), forbidden, coordinatorOrOfficer),
            Authenticated("POST", Routes.RetentionPreview, c => c.Post(InP(Routes.RetentionPreview), new RetentionPreviewRequest(Scenario.Rules.UndeliveredRetentionMs)), forbidden, coordinatorOrOfficer),
            Authenticated("PUT", Routes.Retention, c => c.Put(InP(Routes.Retention), new RetentionChangeRequest(Scenario.Rules.UndeliveredRetentionMs, Scenario.Rules.ClientHistoryRetentionMs, 3000, "Matrix")), forbidden, coordinatorOnly),
            Authenticated("GET", Routes.DeletionReceipts, c => c.Get(InP(Routes.DeletionReceipts)), forbidden, officerOnly),
            Authenticated("GET", Routes.EnforcementReport, c => c.Get(InP(Routes.EnforcementReport)), forbidden, officerOnly),
            Authenticated("GET", Routes.ComplianceRegister, c => c.Get(InP(Routes.ComplianceRegister)), forbidden, officerOnly),
            Authenticated("GET", Routes.AuditExport, c => c.Get(InP(Routes.AuditExport)), forbidden, officerOnly),
            Authenticated("POST", Routes.CompliancePageLinks, c => c.Post(Routes.CompliancePageLinks, new PageLinkRequest(p)), forbidden, With(programmeOutsiders, Caller.ComplianceOfficer, created)),
            Anonymous("GET", Routes.AuditServerKey, c => c.Get(Routes.AuditServerKey), ok),
            Anonymous("GET", "/compliance/style.css", c => c.GetPage("/compliance/style.css"), ok),
            Anonymous("GET", "/compliance/sign-in", c => c.GetPage("/compliance/sign-in"), ok),
            Anonymous("POST", "/compliance/sign-in", c => c.PostForm("/compliance/sign-in", "token=not-a-link"), new Expect(400, null)),
            Anonymous("GET", "/compliance", c => c.GetPage("/compliance"), new Expect(401, null)),
            Anonymous("GET", "/compliance/verify", c => c.GetPage("/compliance/verify"), new Expect(401, null)),
            Anonymous("POST", "/compliance/sign-out", c => c.PostForm("/compliance/sign-out", ""), new Expect(401, null)),
            Authenticated("GET", Routes.ExportReceipts, c => c.Get(OfMentorship(Routes.ExportReceipts)), notAParty, new() { [Caller.Party] = ok, [Caller.Counterpart] = ok }),
            Authenticated("POST", Routes.ExportReceipts, c => c.Post(OfMentorship(Routes.ExportReceipts), Scenario.UnsignedExportReceipt(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())), notAParty, new()
            {
                // A party gets past authorisation and is refused on the content: these ground rules forbid export.
                [Caller.Party] = new Expect(403, ErrorCodes.ExportNotAllowed),
                [Caller.Counterpart] = new Expect(403, ErrorCodes.ExportNotAllowed),
            }),
            Hub("connect", c => c.HubConnect(), ok),
            Hub(HubMethods.Send, c => c.HubSend(w), notAParty, new() { [Caller.Party] = ok, [Caller.Counterpart] = ok }),
            Hub(HubMethods.Ack, c => c.HubAck(), ok),
            Authenticated("POST", Routes.ProgrammeMentorships, c => c.Post(Routes.ProgrammeMentorships.Replace("{programmeId}", p, StringComparison.Ordinal), new MatchRequest(w.SpareMentor.AccountId, w.SpareMentee.AccountId)), ok, With(With(coordinatorOnly, Caller.Coordinator, created), Caller.Party, forbidden)),
            Authenticated("POST", Routes.SuspendMember, c => c.Post(Member(Routes.SuspendMember, p, w.SpareMentee), null), ok, With(coordinatorOnly, Caller.Coordinator, noContent)),
            Authenticated("POST", Routes.ReinstateMember, c => c.Post(Member(Routes.ReinstateMember, p, w.SpareMentee), null), ok, With(coordinatorOnly, Caller.Coordinator, noContent)),
            Authenticated("PUT", Routes.GroundRules, c => c.Put(Routes.GroundRules.Replace("{programmeId}", p, StringComparison.Ordinal), Scenario.Rules with { ContactHours = "Evenings" }), ok, coordinatorOnly),
            Authenticated("POST", Routes.EndMentorship, c => c.Post(Routes.EndMentorship.Replace("{mentorshipId}", w.MentorshipId, StringComparison.Ordinal), null), notAParty, new()
            {
                // The first caller allowed ends it; the others are let through and find it ended.
                [Caller.Party] = ok,
                [Caller.Counterpart] = new Expect(409, ErrorCodes.MentorshipEnded),
                [Caller.Coordinator] = new Expect(409, ErrorCodes.MentorshipEnded),
            }),
            Authenticated("POST", Routes.SignOut, c => c.SignOutFreshDevice(Routes.SignOut), noContent),
            Authenticated("POST", Routes.SignOutEverywhere, c => c.SignOutFreshDevice(Routes.SignOutEverywhere), noContent),

            // Last: every caller that may erases its own account.
            Authenticated("DELETE", Routes.Me, c => c.Delete(Routes.Me), ok),
        ];
    }

    private static Dictionary<Caller, Expect> With(Dictionary<Caller, Expect> expectations, Caller caller, Expect expect)
        => new(expectations) { [caller] = expect };

    private static string Member(string route, string programmeId, TestUser member)
        => route.Replace("{programmeId}", programmeId, StringComparison.Ordinal).Replace("{accountId}", member.AccountId, StringComparison.Ordinal);

    /// <summary>An anonymous endpoint: every caller, whatever token it sends, gets the same answer.</summary>
    private static Row Anonymous(string method, string route, Func<MatrixCaller, Task<Expect>> call, Expect all)
        => new($"{method} {route}", call, _ => all);

    /// <summary>An endpoint that needs a token that stands: invalid ones get 401, valid ones <paramref name="valid"/> unless overridden.</summary>
    private static Row Authenticated(string method, string route, Func<MatrixCaller, Task<Expect>> call, Expect valid, Dictionary<Caller, Expect>? overrides = null)
        => new($"{method} {route}", call, caller => s_invalid.Contains(caller) ? s_unauthorized : overrides?.GetValueOrDefault(caller) ?? valid);

    /// <summary>A hub method: invalid tokens cannot connect (401 at negotiation).</summary>
    private static Row Hub(string method, Func<MatrixCaller, Task<Expect>> call, Expect valid, Dictionary<Caller, Expect>? overrides = null)
        => Authenticated("HUB", method, call, valid, overrides);

    private sealed record Row(string Key, Func<MatrixCaller, Task<Expect>> Call, Func<Caller, Expect> Expected);

    /// <summary>An answer: a status and, for problems, the code.</summary>
    public sealed record Expect(int Status, string? Code)
    {
        public override string ToString() => Code is null ? Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{Status} {Code}";
    }

    /// <summary>One caller: the user behind it (if any) and the token it presents.</summary>
    private sealed class MatrixCaller(MatrixServer server, Caller kind, TestUser? user, string? token)
    {
        private HubConnection? _hub;

        public Caller Kind => kind;

        public TestUser? User => user;

        public Task<Expect> Get(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public Task<Expect> Post(string path, object? body) => SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body, body.GetType()) });

        public Task<Expect> Delete(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Delete, path));

        /// <summary>A page of the compliance view: HTML, not a problem document, so only the status is read.</summary>
        public Task<Expect> GetPage(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), page: true);

        public Task<Expect> PostForm(string path, string form)
            => SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(form, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded") }, page: true);

        public Task<Expect> Put(string path, object body) => SendAsync(new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, body.GetType()) });

        public UploadPrekeysRequest OneTimePrekeyUpload()
        {
            var owner = user ?? server.AnonymousUser;
            var signed = owner.Prekeys.CurrentSignedPrekey(owner.Identity);
            return new(
                new SignedPrekeyDto(signed.Id, Convert.ToBase64String(signed.PublicKey), Convert.ToBase64String(signed.Signature)),
                [.. owner.Prekeys.GenerateOneTimePrekeys(1).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey)))]);
        }

        /// <summary>Signs a new device in (so that signing it out leaves the caller's own tokens alone) and signs it out.</summary>
        public async Task<Expect> SignOutFreshDevice(string route)
        {
            if (s_invalid.Contains(kind) || user is null)
            {
                return await Post(route, null);
            }

            var main = user.Tokens!;
            await user.SignInAsync();
            var fresh = user.Tokens!;
            user.UseTokens(main);
            using var request = new HttpRequestMessage(HttpMethod.Post, route);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fresh.AccessToken);
            using var client = server.CreateClient();
            var answer = await ReadAsync(await client.SendAsync(request));
            if (route == Routes.SignOutEverywhere)
            {
                await user.SignInAsync();
            }

            return answer;
        }

        public async Task<Expect> HubConnect()
        {
            try
            {
                _hub = await (user ?? server.AnonymousUser).ConnectAsync(accessToken: token == "own" ? null : token ?? "");
                return new Expect(200, null);
            }
            catch (HttpRequestException e) when (e.StatusCode is { } status)
            {
                return new Expect((int)status, status == System.Net.HttpStatusCode.Unauthorized ? ErrorCodes.Unauthorized : null);
            }
        }

        public Task<Expect> HubSend(MatrixWorld world)
        {
            var to = kind == Caller.Party ? world.Mentee : world.Mentor;
            return HubInvoke(hub => hub.InvokeAsync<SendResult>(HubMethods.Send, Scenario.NewEnvelopeId(), world.MentorshipId, to.AccountId, Scenario.FakeCiphertext()));
        }

        public Task<Expect> HubAck() => HubInvoke(hub => hub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { Scenario.NewEnvelopeId() }));

        private async Task<Expect> HubInvoke(Func<HubConnection, Task> call)
        {
            if (_hub is null && await HubConnect() is { Status: not 200 } refused)
            {
                return refused;
            }

            try
            {
                await call(_hub!);
                return new Expect(200, null);
            }
            catch (HubException e)
            {
                return new Expect(403, e.Message.Split("HubException: ")[^1]);
            }
        }

        private async Task<Expect> SendAsync(HttpRequestMessage request, bool page = false)
        {
            using (request)
            {
                if (token is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == "own" ? user!.Tokens!.AccessToken : token);
                }

                using var client = server.CreateClient();
                var response = await client.SendAsync(request);
                if (page)
                {
                    using (response)
                    {
                        return new Expect((int)response.StatusCode, null);
                    }
                }

                return await ReadAsync(response);
            }
        }

        private static async Task<Expect> ReadAsync(HttpResponseMessage response)
        {
            using (response)
            {
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return new Expect(status, null);
                }

                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                using var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                return new Expect(status, problem.RootElement.GetProperty("code").GetString());
            }
        }
    }

    /// <summary>The server, and a user without an account for the anonymous caller's hub attempts.</summary>
    private sealed class MatrixServer(ServerFactory server)
    {
        public TestUser AnonymousUser { get; } = TestUser.Unregistered(server, "anonymous");

        public HttpClient CreateClient() => server.CreateClient();
    }

    /// <summary>
    /// Programme P with its coordinator and compliance officer, a consented mentorship (mentor = party, mentee =
    /// counterpart), another mentor, a spare mentor and mentee to match, a member who signed out and one who was
    /// suspended; programme Q with its coordinator, compliance officer and a mentee.
    /// </summary>
    private sealed class MatrixWorld : IAsyncDisposable
    {
        private long _lastConsent;

        public required List<IAsyncDisposable> Owned { get; init; }

        public required Scenario P { get; init; }

        public required Scenario Q { get; init; }

        public required TestUser SpareMentor { get; init; }

        public required TestUser SpareMentee { get; init; }

        public required string UnissuedNonce { get; init; }

        public required string UnissuedNonceSignature { get; init; }

        public required Dictionary<Caller, MatrixCaller> Callers { get; init; }

        public TestUser Mentor => P.Mentor;

        public TestUser Mentee => P.Mentee;

        public string ProgrammeId => P.Programme.ProgrammeId;

        public string MentorshipId => P.MentorshipId;

        public static async Task<MatrixWorld> CreateAsync(ServerFactory server)
        {
            var p = await Scenario.CreateAsync(server);
            var q = await Scenario.CreateAsync(server, consent: false);
            var otherMentor = await TestUser.JoinAsync(server, await p.InviteAsync(Roles.Mentor), "other mentor");
            var spareMentor = await TestUser.JoinAsync(server, await p.InviteAsync(Roles.Mentor), "spare mentor");
            var spareMentee = await TestUser.JoinAsync(server, await p.InviteAsync(Roles.Mentee), "spare mentee");
            var revoked = await TestUser.JoinAsync(server, await p.InviteAsync(Roles.Mentee), "signed out");
            var revokedToken = revoked.Tokens!.AccessToken;
            await Http200.EnsureAsync(await revoked.Http.PostAsync(Routes.SignOut, null));
            var suspended = await TestUser.JoinAsync(server, await p.InviteAsync(Roles.Mentee), "suspended");
            var suspendedToken = suspended.Tokens!.AccessToken;
            await Http200.EnsureAsync(await p.Coordinator.Http.PostAsync(
                Routes.SuspendMember.Replace("{programmeId}", p.Programme.ProgrammeId, StringComparison.Ordinal).Replace("{accountId}", suspended.AccountId, StringComparison.Ordinal), null));
            var officer = await TestUser.JoinAsync(server, await p.InviteAsync(Roles.ComplianceOfficer), "officer");
            var otherOfficer = await TestUser.JoinAsync(server, await q.InviteAsync(Roles.ComplianceOfficer), "other officer");
            var partyToken = p.Mentor.Tokens!.AccessToken;
            var nonce = Convert.ToBase64String(new byte[32]);
            var matrix = new MatrixServer(server);
            return new MatrixWorld
            {
                Owned = [p, q, otherMentor, spareMentor, spareMentee, revoked, suspended, officer, otherOfficer, matrix.AnonymousUser],
                P = p,
                Q = q,
                SpareMentor = spareMentor,
                SpareMentee = spareMentee,
                UnissuedNonce = nonce,
                UnissuedNonceSignature = p.Mentor.SignNonce(nonce),
                Callers = new()
                {
                    [Caller.Anonymous] = new(matrix, Caller.Anonymous, null, null),
                    [Caller.TamperedToken] = new(matrix, Caller.TamperedToken, p.Mentor, partyToken[..^6] + (partyToken[^6] == 'A' ? "BBBBBB" : "AAAAAA")),
                    [Caller.RevokedToken] = new(matrix, Caller.RevokedToken, revoked, revokedToken),
                    [Caller.SuspendedMember] = new(matrix, Caller.SuspendedMember, suspended, suspendedToken),
                    [Caller.Party] = new(matrix, Caller.Party, p.Mentor, "own"),
                    [Caller.Counterpart] = new(matrix, Caller.Counterpart, p.Mentee, "own"),
                    [Caller.NonPartySameProgramme] = new(matrix, Caller.NonPartySameProgramme, otherMentor, "own"),
                    [Caller.Coordinator] = new(matrix, Caller.Coordinator, p.Coordinator, "own"),
                    [Caller.MemberOfOtherProgramme] = new(matrix, Caller.MemberOfOtherProgramme, q.Mentee, "own"),
                    [Caller.ComplianceOfficer] = new(matrix, Caller.ComplianceOfficer, officer, "own"),
                    [Caller.CoordinatorOfOtherProgramme] = new(matrix, Caller.CoordinatorOfOtherProgramme, q.Coordinator, "own"),
                    [Caller.ComplianceOfficerOfOtherProgramme] = new(matrix, Caller.ComplianceOfficerOfOtherProgramme, otherOfficer, "own"),
                },
            };
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var owned in Owned)
            {
                await owned.DisposeAsync();
            }
        }

        /// <summary>A well-formed account request whose challenge was never issued (so it creates nothing).</summary>
        public CreateAccountRequest NewcomerRequest()
            => Mentor.CreateAccountRequest("smi_nothing", UnissuedNonce) with { Pseudonym = "newcomer" };

        /// <summary>An acceptance of the current ground rules, signed by the caller (or the party, for callers without a user).</summary>
        public ConsentRequest Consent(MatrixCaller caller)
        {
            var signer = caller.User ?? Mentor;
            var rules = P.Programme.GroundRules;
            _lastConsent = Math.Max(_lastConsent + 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            var statement = new ConsentStatement(MentorshipId, Convert.FromBase64String(rules.Hash), ConsentDecision.Accept, _lastConsent);
            return new ConsentRequest(rules.Version, rules.Hash, ConsentDecisions.Accept, _lastConsent, Convert.ToBase64String(StatementSigner.Sign(signer.Identity, statement)));
        }
    }
}
