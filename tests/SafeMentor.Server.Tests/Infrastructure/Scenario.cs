using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>
/// A programme with a coordinator, a mentor and a mentee who have joined, uploaded prekeys and been matched;
/// optionally both have consented, which opens the relay.
/// </summary>
public sealed class Scenario : IAsyncDisposable
{
    public static readonly GroundRulesInput Rules = new(
        "Be kind. What is said here stays here.", TimeSpan.FromDays(14).Ticks / 10_000, TimeSpan.FromDays(90).Ticks / 10_000, false, "Weekdays 9-17", 48);

    private Scenario(IRelayHost server, TestUser coordinator, TestUser mentor, TestUser mentee, ProgrammeResponse programme)
    {
        Server = server;
        Coordinator = coordinator;
        Mentor = mentor;
        Mentee = mentee;
        Programme = programme;
    }

    public IRelayHost Server { get; }

    public TestUser Coordinator { get; }

    public TestUser Mentor { get; }

    public TestUser Mentee { get; }

    public ProgrammeResponse Programme { get; }

    public MentorshipDto Mentorship { get; private set; } = null!;

    public string MentorshipId => Mentorship.MentorshipId;

    public static async Task<Scenario> CreateAsync(IRelayHost server, bool consent = true, int oneTimePrekeys = 5)
    {
        var coordinator = await TestUser.JoinAsync(server, server.CoordinatorInvite(), "coordinator");
        var programme = await Http200.ReadAsync<ProgrammeResponse>(
            await coordinator.Http.PostAsJsonAsync(Routes.Programmes, new CreateProgrammeRequest("Peer mentoring", Rules)));
        var scenario = new Scenario(
            server,
            coordinator,
            await TestUser.JoinAsync(server, await InviteAsync(coordinator, programme.ProgrammeId, Roles.Mentor), "mentor"),
            await TestUser.JoinAsync(server, await InviteAsync(coordinator, programme.ProgrammeId, Roles.Mentee), "mentee"),
            programme);
        await scenario.Mentor.UploadPrekeysAsync(oneTimePrekeys);
        await scenario.Mentee.UploadPrekeysAsync(oneTimePrekeys);
        scenario.Mentorship = await scenario.MatchAsync(scenario.Mentor, scenario.Mentee);
        if (consent)
        {
            await scenario.ConsentAsync(scenario.Mentor, ConsentDecision.Accept);
            scenario.Mentorship = await scenario.ConsentAsync(scenario.Mentee, ConsentDecision.Accept);
        }

        return scenario;
    }

    public static async Task<string> InviteAsync(TestUser coordinator, string programmeId, string role)
    {
        var invite = await Http200.ReadAsync<InviteResponse>(await coordinator.Http.PostAsJsonAsync(
            Routes.ProgrammeInvites.Replace("{programmeId}", programmeId, StringComparison.Ordinal), new CreateInviteRequest(role)));
        return invite.Code;
    }

    public Task<string> InviteAsync(string role) => InviteAsync(Coordinator, Programme.ProgrammeId, role);

    public async Task<MentorshipDto> MatchAsync(TestUser mentor, TestUser mentee)
        => await Http200.ReadAsync<MentorshipDto>(await Coordinator.Http.PostAsJsonAsync(
            Routes.ProgrammeMentorships.Replace("{programmeId}", Programme.ProgrammeId, StringComparison.Ordinal),
            new MatchRequest(mentor.AccountId, mentee.AccountId)));

    /// <summary>The current ground rules as a member reads them.</summary>
    public async Task<GroundRulesDto> CurrentRulesAsync()
        => (await Http200.ReadAsync<ProgrammeResponse>(await Mentee.Http.GetAsync(
            Routes.Programme.Replace("{programmeId}", Programme.ProgrammeId, StringComparison.Ordinal)))).GroundRules;

    public ConsentRequest ConsentRequest(TestUser user, ConsentDecision decision, GroundRulesDto rules, string? mentorshipId = null, long? timestampMs = null)
    {
        var hash = Convert.FromBase64String(rules.Hash);
        var statement = new ConsentStatement(mentorshipId ?? MentorshipId, hash, decision, timestampMs ?? NextTimestamp());
        return new ConsentRequest(
            rules.Version,
            rules.Hash,
            decision == ConsentDecision.Accept ? ConsentDecisions.Accept : ConsentDecisions.Withdraw,
            statement.TimestampMs,
            Convert.ToBase64String(StatementSigner.Sign(user.Identity, statement)));
    }

    public Task<HttpResponseMessage> PostConsentAsync(TestUser user, ConsentRequest request, string? mentorshipId = null)
        => user.Http.PostAsJsonAsync(Routes.Consents.Replace("{mentorshipId}", mentorshipId ?? MentorshipId, StringComparison.Ordinal), request);

    public async Task<MentorshipDto> ConsentAsync(TestUser user, ConsentDecision decision, string? mentorshipId = null)
        => await Http200.ReadAsync<MentorshipDto>(await PostConsentAsync(user, ConsentRequest(user, decision, await CurrentRulesAsync(), mentorshipId), mentorshipId));

    public async Task<ProgrammeResponse> PublishRulesAsync(GroundRulesInput rules)
        => await Http200.ReadAsync<ProgrammeResponse>(await Coordinator.Http.PutAsJsonAsync(
            Routes.GroundRules.Replace("{programmeId}", Programme.ProgrammeId, StringComparison.Ordinal), rules));

    public async Task<MentorshipDto> EndAsync(TestUser by, string? mentorshipId = null)
        => await Http200.ReadAsync<MentorshipDto>(await by.Http.PostAsync(
            Routes.EndMentorship.Replace("{mentorshipId}", mentorshipId ?? MentorshipId, StringComparison.Ordinal), null));

    /// <summary>Sends an envelope and returns the server's answer.</summary>
    public Task<SendResult> SendAsync(HubConnection connection, TestUser to, byte[] ciphertext, string? envelopeId = null, string? mentorshipId = null)
        => connection.InvokeAsync<SendResult>(HubMethods.Send, envelopeId ?? NewEnvelopeId(), mentorshipId ?? MentorshipId, to.AccountId, ciphertext);

    public static string NewEnvelopeId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// An export receipt of the right shape (a minute's range ending at <paramref name="nowMs"/>) whose hashes and
    /// signatures are zeros: it binds and decodes, and is refused on its content.
    /// </summary>
    public static ExportReceiptRequest UnsignedExportReceipt(long nowMs)
    {
        static string Zeros(int length) => Convert.ToBase64String(new byte[length]);
        var consent = new ExportConsentDto(nowMs - 60_000, nowMs, "supervision review", "programme lead", nowMs + 3_600_000, nowMs - 1_000, Zeros(64));
        return new ExportReceiptRequest(Zeros(32), Zeros(32), Zeros(64), Zeros(64), nowMs - 60_000, nowMs, 1, Zeros(32), nowMs - 1_000, consent, Zeros(64));
    }

    /// <summary>Bytes shaped like a protocol v1 normal message (version 1, type 2, header and one padded block).</summary>
    public static byte[] FakeCiphertext(int length = 2 + 40 + 272, byte fill = 0x5a)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, fill);
        bytes[0] = 0x01;
        bytes[1] = 0x02;
        return bytes;
    }

    private long _lastTimestamp;

    private long NextTimestamp()
    {
        var now = Server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        _lastTimestamp = Math.Max(now, _lastTimestamp + 1);
        return _lastTimestamp;
    }

    public async ValueTask DisposeAsync()
    {
        await Coordinator.DisposeAsync();
        await Mentor.DisposeAsync();
        await Mentee.DisposeAsync();
    }
}
