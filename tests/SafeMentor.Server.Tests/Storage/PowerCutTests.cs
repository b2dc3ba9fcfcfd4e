using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Keys;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SafeMentor.Server.Tests.Storage;

/// <summary>
/// The durability claim, tested the way it fails in the field: the disk loses everything that was not flushed.
/// A mixed workload (pipelined sends, acknowledgements, consents and withdrawals, invites and joins, prekey
/// hand-outs) runs against a whole server on a <see cref="PowerCutMedium"/>; the power is cut at a random moment;
/// a new server opens what the disk kept. Every change a caller was told about must be there, and nothing a
/// caller was told is safe may be missing. Rounds build on the previous round's surviving database.
/// </summary>
public sealed class PowerCutTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["SafeMentor:Keys:BundleRequestsPerMinute"] = "100000",
        ["SafeMentor:Relay:SendsPerSecond"] = "100000",
        ["SafeMentor:Relay:SendBurst"] = "100000",

        // A small log threshold, so that checkpoints (log copied into the data file, log truncated) happen mid-run too.
        ["SafeMentor:Storage:CheckpointLogMegabytes"] = "1",
    };

    [Fact]
    public async Task PowerCut_AtRandomMomentsOfAMixedWorkload_EveryAnsweredChangeSurvives()
    {
        var seed = LongTests.Seed();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        output.WriteLine($"seed {seed} (replay with SAFEMENTOR_TEST_SEED={seed})");
        var random = new Random(seed);
        var rounds = LongTests.Pick(4, 60);
        var (data, log) = (Array.Empty<byte>(), Array.Empty<byte>());
        for (var round = 0; round < rounds; round++)
        {
            var ledger = new Ledger();
            var medium = new PowerCutMedium(data, log);
            using (var server = Open(medium))
            {
                await RunUntilCutAsync(server, medium, ledger, random);
            }

            var reopened = new PowerCutMedium(ledger.Data, ledger.Log);
            using (var server = Open(reopened))
            {
                Verify(server, ledger);
            }

            output.WriteLine($"round {round} at {clock.Elapsed.TotalSeconds:0.0} s: {ledger.Safe.Count} sends safe, {ledger.AckedGone.Count} acknowledged, {ledger.Consents.Count} consents, {ledger.Joined.Count} joins, {ledger.HandedOut.Count} prekeys handed out, {medium.Flushes} flushes before the cut");
            (data, log) = reopened.Cut(random);
        }
    }

    private static ServerFactory Open(PowerCutMedium medium)
        => new(s_settings, services => services.AddSingleton<DatabaseMedium>(medium));

    private static async Task RunUntilCutAsync(ServerFactory server, PowerCutMedium medium, Ledger ledger, Random random)
    {
        await using var world = await Scenario.CreateAsync(server);
        await world.Mentee.UploadPrekeysAsync(100, includeSigned: false);
        var toggler = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "toggling mentee");
        var toggled = await world.MatchAsync(world.Mentor, toggler);
        ledger.ToggledMentorship = toggled.MentorshipId;
        ledger.Toggler = toggler.AccountId;
        ledger.Recipient = world.Mentee.AccountId;

        var menteeHub = await world.Mentee.ConnectAsync(start: false);
        menteeHub.On<EnvelopeDto>(HubMethods.ReceiveEnvelope, envelope =>
        {
            ledger.Received.TryAdd(envelope.EnvelopeId, true);
            _ = AckAsync(menteeHub, envelope.EnvelopeId, ledger);
        });
        await menteeHub.StartAsync();
        var mentorHub = await world.Mentor.ConnectAsync();

        using var stop = new CancellationTokenSource();
        var workload = new[]
        {
            SendAsync(world, mentorHub, ledger, stop.Token),
            ToggleConsentAsync(world, toggler, toggled.MentorshipId, ledger, stop.Token),
            JoinAsync(server, world, ledger, stop.Token),
            JoinAsync(server, world, ledger, stop.Token),
            FetchBundlesAsync(world, ledger, stop.Token),
            FetchBundlesAsync(world, ledger, stop.Token),
        };

        // Cut in the middle of a random write, so the cut lands anywhere in the stream of commits and checkpoints,
        // between two pages of one transaction as often as between transactions.
        medium.CutAfterWrites(random.Next(50, 3000), random);
        var deadline = DateTime.UtcNow.AddSeconds(6);
        while (medium.Kept is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        (ledger.Data, ledger.Log) = medium.Cut(random);
        await stop.CancelAsync();
        await Task.WhenAny(Task.WhenAll(workload), Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(workload.All(t => t.IsCompleted), $"the workload must stop; still running: {string.Join(", ", workload.Select((t, i) => t.IsCompleted ? "" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)))}");
        await toggler.DisposeAsync();
    }

    private static async Task AckAsync(HubConnection hub, string envelopeId, Ledger ledger)
    {
        try
        {
            var result = await hub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { envelopeId });
            if (result.Deleted == 1)
            {
                ledger.AckedGone.TryAdd(envelopeId, true);
            }
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or TaskCanceledException)
        {
            // Not answered: nothing is claimed.
        }
    }

    private static async Task SendAsync(Scenario world, HubConnection hub, Ledger ledger, CancellationToken stop)
    {
        var inFlight = new List<Task>();
        var ciphertext = Scenario.FakeCiphertext(1024);
        while (!stop.IsCancellationRequested)
        {
            var id = Scenario.NewEnvelopeId();
            inFlight.Add(RecordAsync(world.SendAsync(hub, world.Mentee, ciphertext, id), () => ledger.Safe.TryAdd(id, true)));
            if (inFlight.Count >= 16)
            {
                await Settle(Task.WhenAny(inFlight), stop);
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
    }

    private static async Task ToggleConsentAsync(Scenario world, TestUser toggler, string mentorshipId, Ledger ledger, CancellationToken stop)
    {
        var rules = await world.CurrentRulesAsync();
        var decision = ConsentDecision.Accept;
        while (!stop.IsCancellationRequested)
        {
            var request = world.ConsentRequest(toggler, decision, rules, mentorshipId);
            var response = await Settle(world.PostConsentAsync(toggler, request, mentorshipId), stop);
            if (response?.StatusCode == HttpStatusCode.OK)
            {
                ledger.Consents.Enqueue((request.TimestampMs, request.Decision));
            }

            decision = decision == ConsentDecision.Accept ? ConsentDecision.Withdraw : ConsentDecision.Accept;
        }
    }

    private static async Task JoinAsync(ServerFactory server, Scenario world, Ledger ledger, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var invite = await Settle(InviteOrNullAsync(world), stop);
            if (invite is null)
            {
                return;
            }

            ledger.Minted.TryAdd(invite, true);
            if (ledger.Minted.Count % 2 == 0)
            {
                continue; // every other invite stays unused, and must survive as such
            }

            ledger.JoinAttempted.TryAdd(invite, true);
            var joiner = TestUser.Unregistered(server, "joiner");
            var nonce = await Settle(joiner.ChallengeAsync(), stop);
            if (nonce is null)
            {
                return;
            }

            var response = await Settle(joiner.Http.PostAsJsonAsync(Routes.Accounts, joiner.CreateAccountRequest(invite, nonce), CancellationToken.None), stop);
            if (response?.StatusCode == HttpStatusCode.Created)
            {
                ledger.Joined.TryAdd(joiner.AccountId, true);
            }
        }
    }

    private static async Task<string?> InviteOrNullAsync(Scenario world)
    {
        var response = await world.Coordinator.Http.PostAsJsonAsync(
            Routes.ProgrammeInvites.Replace("{programmeId}", world.Programme.ProgrammeId, StringComparison.Ordinal), new CreateInviteRequest(Roles.Mentee));
        return response.StatusCode == HttpStatusCode.Created ? (await response.Content.ReadFromJsonAsync<InviteResponse>())!.Code : null;
    }

    private static async Task FetchBundlesAsync(Scenario world, Ledger ledger, CancellationToken stop)
    {
        var route = Routes.Bundle.Replace("{accountId}", world.Mentee.AccountId, StringComparison.Ordinal);
        while (!stop.IsCancellationRequested)
        {
            var response = await Settle(world.Mentor.Http.GetAsync(route, CancellationToken.None), stop);
            if (response?.StatusCode != HttpStatusCode.OK)
            {
                return;
            }

            if ((await response.Content.ReadFromJsonAsync<PrekeyBundleResponse>(CancellationToken.None))!.OneTimePrekey is { } handedOut)
            {
                ledger.HandedOut.TryAdd(handedOut.Id, true);
            }
        }
    }

    private static void Verify(ServerFactory server, Ledger ledger)
    {
        var database = server.Services.GetRequiredService<Database>();

        // The database opens, and every document of every collection reads back, through every index.
        Assert.Empty(DatabaseIntegrity.Problems(database.Lite));

        var stored = database.Collection<EnvelopeDocument>(Collections.Envelopes)
            .Find(e => e.RecipientId == ledger.Recipient).Select(e => e.EnvelopeId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in ledger.Safe.Keys)
        {
            Assert.True(stored.Contains(id) || ledger.Received.ContainsKey(id), $"envelope {id} was reported safe, but is neither stored nor received");
        }

        foreach (var id in ledger.AckedGone.Keys)
        {
            Assert.False(stored.Contains(id), $"envelope {id} was acknowledged as deleted, but is stored again");
        }

        if (ledger.Consents.LastOrDefault() is { TimestampMs: > 0 } answered)
        {
            var latest = database.Collection<ConsentDocument>(Collections.Consents)
                .Find(c => c.MentorshipId == ledger.ToggledMentorship && c.AccountId == ledger.Toggler)
                .MaxBy(c => c.TimestampMs)!;
            Assert.True(latest.TimestampMs >= answered.TimestampMs, "an answered consent statement is missing");
            if (latest.TimestampMs == answered.TimestampMs)
            {
                var accepted = answered.Decision == ConsentDecisions.Accept;
                Assert.Equal(accepted ? 1 : 0, latest.Decision);
                Assert.Equal(accepted, server.Services.GetRequiredService<MentorshipRegistry>().Get(ledger.ToggledMentorship)!.MenteeConsented);
            }
        }

        var accounts = database.Collection<AccountDocument>(Collections.Accounts);
        foreach (var joined in ledger.Joined.Keys)
        {
            Assert.NotNull(accounts.FindById(joined));
        }

        var invites = database.Collection<InviteDocument>(Collections.Invites);
        foreach (var unused in ledger.Minted.Keys.Where(code => !ledger.JoinAttempted.ContainsKey(code)))
        {
            Assert.NotNull(invites.FindById(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(unused)))));
        }

        var oneTime = database.Collection<OneTimePrekeyDocument>(Collections.OneTimePrekeys);
        foreach (var keyId in ledger.HandedOut.Keys)
        {
            Assert.Null(oneTime.FindById($"{ledger.Recipient}/{keyId}"));
        }
    }

    private static async Task RecordAsync(Task<SendResult> send, Action safe)
    {
        try
        {
            await send;
            safe();
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or TaskCanceledException)
        {
            // Not safe as far as the sender knows.
        }
    }

    /// <summary>The call's result, or default when the workload stops first (an unanswered call claims nothing).</summary>
    private static async Task<T?> Settle<T>(Task<T> call, CancellationToken stop)
    {
        try
        {
            return await call.WaitAsync(stop);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or InvalidOperationException)
        {
            return default;
        }
    }

    private static async Task Settle(Task call, CancellationToken stop)
    {
        try
        {
            await call.WaitAsync(stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>What callers were told during a round, and what the disk kept when the power went.</summary>
    private sealed class Ledger
    {
        public ConcurrentDictionary<string, bool> Safe { get; } = new();

        public ConcurrentDictionary<string, bool> Received { get; } = new();

        public ConcurrentDictionary<string, bool> AckedGone { get; } = new();

        public ConcurrentQueue<(long TimestampMs, string Decision)> Consents { get; } = new();

        public ConcurrentDictionary<string, bool> Minted { get; } = new();

        public ConcurrentDictionary<string, bool> JoinAttempted { get; } = new();

        public ConcurrentDictionary<string, bool> Joined { get; } = new();

        public ConcurrentDictionary<uint, bool> HandedOut { get; } = new();

        public string Recipient { get; set; } = "";

        public string Toggler { get; set; } = "";

        public string ToggledMentorship { get; set; } = "";

        public byte[] Data { get; set; } = [];

        public byte[] Log { get; set; } = [];
    }
}
