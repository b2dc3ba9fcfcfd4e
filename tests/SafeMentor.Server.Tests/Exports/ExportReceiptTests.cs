using System.Net.Http.Json;
using System.Security.Cryptography;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Exports;

/// <summary>
/// Export receipts: the server accepts one only with the counterpart's valid, unexpired export consent covering the
/// range, from a party, under ground rules that allow export; it stores hashes and statements only.
/// </summary>
public sealed class ExportReceiptTests
{
    private static readonly GroundRulesInput s_exportRules = Scenario.Rules with { ExportAllowed = true };

    [Fact]
    public async Task File_ValidReceipt_IsStoredOnceAndListed()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);
        var request = world.Request();

        var created = await Http200.ReadAsync<ExportReceiptDto>(await world.FileAsync(world.Scenario.Mentor, request));
        var again = await world.FileAsync(world.Scenario.Mentor, request);

        Assert.Equal(request.RecordHash, created.RecordHash);
        Assert.Equal(world.Scenario.Mentee.AccountId, created.CounterpartAccountId);
        Assert.Equal(200, (int)again.StatusCode);
        var listed = await Http200.ReadAsync<List<ExportReceiptDto>>(await world.Scenario.Mentee.Http.GetAsync(world.Route));
        Assert.Equal(request.RecordHash, Assert.Single(listed).RecordHash);
    }

    [Fact]
    public async Task File_TamperedConsentSignature_RefusedInvalidSignature()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);
        var request = world.Request(consentPurpose: "supervision review");
        // The exporter widens the purpose after the counterpart signed.
        var tampered = request with { ExportConsent = request.ExportConsent with { Purpose = "publication" } };

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Mentor, tampered), 400, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task File_ConsentSignedByTheExporter_RefusedInvalidSignature()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);

        var request = world.Request(consentSigner: world.Scenario.Mentor);

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Mentor, request), 400, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task File_RecordSignedBySomeoneElse_RefusedInvalidSignature()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);

        var request = world.Request(recordSigner: world.Scenario.Mentee);

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Mentor, request), 400, ErrorCodes.InvalidSignature);
    }

    [Fact]
    public async Task File_ConsentExpired_RefusedExpired()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);
        var request = world.Request(expiresIn: TimeSpan.FromMinutes(2));

        server.Clock.Advance(TimeSpan.FromMinutes(3));

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Mentor, request), 409, ErrorCodes.ExportConsentExpired);
    }

    [Fact]
    public async Task File_RangeOutsideConsent_RefusedOutOfRange()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);

        var request = world.Request(recordRange: TimeSpan.FromDays(10), consentRange: TimeSpan.FromDays(7));

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Mentor, request), 409, ErrorCodes.ExportOutOfRange);
    }

    [Fact]
    public async Task File_GroundRulesForbidExport_RefusedNotAllowed()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server, Scenario.Rules);

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Mentor, world.Request()), 403, ErrorCodes.ExportNotAllowed);
    }

    [Fact]
    public async Task File_ByTheCoordinator_RefusedNotAParty()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Coordinator, world.Request()), 403, ErrorCodes.NotAParty);
    }

    [Fact]
    public async Task File_RecordHashNotOfTheFields_RefusedMalformed()
    {
        await using var server = new ServerFactory();
        await using var world = await ExportWorldAsync(server);
        var request = world.Request();

        var changed = request with { MessageCount = request.MessageCount + 1 };

        await Http200.AssertProblemAsync(await world.FileAsync(world.Scenario.Mentor, changed), 400, ErrorCodes.Malformed);
    }

    private static async Task<ExportWorld> ExportWorldAsync(ServerFactory server, GroundRulesInput? rules = null)
    {
        var scenario = await Scenario.CreateAsync(server, consent: false);
        await scenario.PublishRulesAsync(rules ?? s_exportRules);
        var current = await scenario.CurrentRulesAsync();
        var mentorConsent = scenario.ConsentRequest(scenario.Mentor, ConsentDecision.Accept, current);
        var menteeConsent = scenario.ConsentRequest(scenario.Mentee, ConsentDecision.Accept, current);
        await Http200.EnsureAsync(await scenario.PostConsentAsync(scenario.Mentor, mentorConsent));
        await Http200.EnsureAsync(await scenario.PostConsentAsync(scenario.Mentee, menteeConsent));
        return new ExportWorld(scenario, server.Clock, current, mentorConsent.Signature, menteeConsent.Signature);
    }

    private sealed class ExportWorld(Scenario scenario, ManualTimeProvider clock, GroundRulesDto rules, string mentorConsent, string menteeConsent) : IAsyncDisposable
    {
        public Scenario Scenario { get; } = scenario;

        public string Route => Routes.ExportReceipts.Replace("{mentorshipId}", Scenario.MentorshipId, StringComparison.Ordinal);

        /// <summary>A receipt by the mentor for a record of the last <paramref name="recordRange"/>, consented by <paramref name="consentSigner"/> (the mentee by default).</summary>
        public ExportReceiptRequest Request(
            TestUser? consentSigner = null,
            TestUser? recordSigner = null,
            TimeSpan? expiresIn = null,
            TimeSpan? recordRange = null,
            TimeSpan? consentRange = null,
            string consentPurpose = "supervision review")
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var to = now;
            var from = now - (long)(recordRange ?? TimeSpan.FromDays(1)).TotalMilliseconds;
            var consentFrom = now - (long)(consentRange ?? TimeSpan.FromDays(7)).TotalMilliseconds;
            var expires = now + (long)(expiresIn ?? TimeSpan.FromDays(1)).TotalMilliseconds;
            var consent = new ExportConsentStatement(Scenario.MentorshipId, Scenario.Mentor.AccountId, consentFrom, to, consentPurpose, "programme coordinator", expires, now);
            var consentSignature = StatementSigner.Sign((consentSigner ?? Scenario.Mentee).Identity, consent);
            var contentHash = SHA256.HashData("opaque to the server"u8);
            var record = new ExportRecordStatement(
                Scenario.MentorshipId,
                Scenario.Mentor.AccountId,
                Scenario.Mentee.AccountId,
                Convert.FromBase64String(rules.Hash),
                Convert.FromBase64String(mentorConsent),
                Convert.FromBase64String(menteeConsent),
                from,
                to,
                consentSignature,
                3,
                contentHash,
                now);
            return new ExportReceiptRequest(
                Convert.ToBase64String(record.RecordHash()),
                rules.Hash,
                mentorConsent,
                menteeConsent,
                from,
                to,
                3,
                Convert.ToBase64String(contentHash),
                now,
                new ExportConsentDto(consentFrom, to, consentPurpose, "programme coordinator", expires, now, Convert.ToBase64String(consentSignature)),
                Convert.ToBase64String(StatementSigner.Sign((recordSigner ?? Scenario.Mentor).Identity, record)));
        }

        public Task<HttpResponseMessage> FileAsync(TestUser by, ExportReceiptRequest request) => by.Http.PostAsJsonAsync(Route, request);

        public ValueTask DisposeAsync() => Scenario.DisposeAsync();
    }
}
