using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Messaging;

/// <summary>Pipelined sends, quotas, paged delivery and order, and the races the single writer settles.</summary>
public sealed class EnvelopePathTests
{
    private static readonly Dictionary<string, string?> s_fast = new()
    {
        ["SafeMentor:Relay:SendsPerSecond"] = "100000",
        ["SafeMentor:Relay:SendBurst"] = "100000",
        ["SafeMentor:Relay:MaxQueuedEnvelopes"] = "100000",
        ["SafeMentor:Relay:MaxQueuedBytes"] = "1000000000",
    };

    [Fact]
    public async Task Send_PipelinedOnOneConnection_IsAcceptedAndDeliveredInTheOrderSent()
    {
        const int Count = 600;
        using var server = new ServerFactory(s_fast);
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync(messagePack: true);
        await world.Mentee.ConnectAsync(autoAck: true);

        // All invoked before any is awaited: up to MaxInFlightPerConnection run at once on the server.
        var ids = Enumerable.Range(0, Count).Select(_ => Scenario.NewEnvelopeId()).ToList();
        var sends = ids.Select(id => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(1024), id)).ToList();
        await Task.WhenAll(sends);

        var received = new List<string>();
        while (received.Count < Count)
        {
            received.Add((await world.Mentee.NextEnvelopeAsync()).EnvelopeId);
        }

        Assert.Equal(ids, received);
    }

    [Fact]
    public async Task Send_BeyondTheQueueQuota_IsRefusedWithQueueFullUntilTheRecipientAcknowledges()
    {
        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["SafeMentor:Relay:MaxQueuedEnvelopes"] = "5",
            ["SafeMentor:Relay:MaxQueuedBytes"] = "65536",
        });
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();

        for (var i = 0; i < 5; i++)
        {
            await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        }

        await HubAssert.RefusedAsync(ErrorCodes.QueueFull, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));

        // The counterpart's own queue is separate: the mentee can still write to the mentor.
        var menteeHub = await world.Mentee.ConnectAsync();
        await world.SendAsync(menteeHub, world.Mentor, Scenario.FakeCiphertext());

        // Once the mentee has acknowledged two, two more fit, and no more.
        var first = await world.Mentee.NextEnvelopeAsync();
        var second = await world.Mentee.NextEnvelopeAsync();
        Assert.Equal(2, (await menteeHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { first.EnvelopeId, second.EnvelopeId })).Deleted);
        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        await HubAssert.RefusedAsync(ErrorCodes.QueueFull, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
        Assert.Equal(5, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
    }

    [Fact]
    public async Task Send_BeyondTheByteQuota_IsRefusedWithQueueFull()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Relay:MaxQueuedBytes"] = "65536" });
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();

        for (var i = 0; i < 8; i++)
        {
            await world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(8192));
        }

        await HubAssert.RefusedAsync(ErrorCodes.QueueFull, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(8192)));
        await HubAssert.RefusedAsync(ErrorCodes.QueueFull, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
        Assert.Equal(8, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
    }

    [Fact]
    public async Task Drain_QueueLongerThanTheWindow_ComesInOrderAndAcknowledgementsWorkDuringIt()
    {
        const int Queued = 1500;
        using var server = new ServerFactory(s_fast);
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync(messagePack: true);
        var ids = Enumerable.Range(0, Queued).Select(_ => Scenario.NewEnvelopeId()).ToList();
        await Task.WhenAll(ids.Select(id => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(1024), id)));

        // Without acknowledgements the drain stops at the delivery window...
        var menteeHub = await world.Mentee.ConnectAsync();
        var received = new List<string>();
        for (var i = 0; i < 256; i++)
        {
            received.Add((await world.Mentee.NextEnvelopeAsync()).EnvelopeId);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Mentee.NextEnvelopeAsync(TimeSpan.FromMilliseconds(300)));

        // ...and each acknowledgement, answered while most of the queue is still waiting, lets more come.
        while (received.Count < Queued)
        {
            var acked = await menteeHub.InvokeAsync<AckResult>(HubMethods.Ack, received.Skip(Math.Max(0, received.Count - 100)).Take(100).ToArray());
            Assert.True(acked.Deleted > 0);
            for (var i = 0; i < acked.Deleted && received.Count < Queued; i++)
            {
                received.Add((await world.Mentee.NextEnvelopeAsync()).EnvelopeId);
            }
        }

        Assert.Equal(ids, received);
    }

    [Fact]
    public async Task Drain_WhileLiveEnvelopesArrive_NothingOvertakesTheQueue()
    {
        const int Queued = 800;
        const int Live = 400;
        using var server = new ServerFactory(new Dictionary<string, string?>(s_fast) { ["SafeMentor:Relay:LiveEnvelopesPerRecipient"] = "50" });
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync(messagePack: true);
        var ids = Enumerable.Range(0, Queued + Live).Select(_ => Scenario.NewEnvelopeId()).ToList();
        await Task.WhenAll(ids.Take(Queued).Select(id => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(1024), id)));

        // The recipient comes online and drains while the sender keeps writing; the short live list overflows
        // to disk too, so delivery switches between pages and memory several times.
        await world.Mentee.ConnectAsync(autoAck: true);
        var live = Task.WhenAll(ids.Skip(Queued).Select(id => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext(1024), id)));
        var received = new List<string>();
        while (received.Count < Queued + Live)
        {
            received.Add((await world.Mentee.NextEnvelopeAsync()).EnvelopeId);
        }

        await live;
        Assert.Equal(ids, received);
    }

    [Fact]
    public async Task Ack_BeforeTheWriterTakesTheEnvelope_CompletesTheSenderAndNeverWritesIt()
    {
        // Without the grace, so that the envelope's write is queued at once and meets the acknowledgement in the writer.
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Relay:LiveAckGraceMilliseconds"] = "0" });
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        var menteeHub = await world.Mentee.ConnectAsync();
        var writer = server.Services.GetRequiredService<StorageWriter>();
        using var hold = WriterHold.Start(writer);
        var writesBefore = writer.Writes;

        var send = world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        var envelope = await world.Mentee.NextEnvelopeAsync();
        var acked = await menteeHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { envelope.EnvelopeId });
        var safe = await send;

        await hold.ReleaseAsync();
        await writer.WriteAsync(_ => { });
        Assert.Equal(1, acked.Deleted);
        Assert.Equal(envelope.EnvelopeId, safe.EnvelopeId);
        Assert.Equal(0, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
        // The held write, the envelope's own (which found it acknowledged and wrote nothing) and the probe: had the
        // envelope been stored, its acknowledgement would have needed a fourth, deleting it.
        Assert.Equal(3, writer.Writes - writesBefore);
    }

    [Fact]
    public async Task Grace_AcknowledgedLiveEnvelopesNeverReachTheWriter_UnacknowledgedOnesAreStoredAfterIt()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Relay:LiveAckGraceMilliseconds"] = "300" });
        await using var world = await Scenario.CreateAsync(server);
        var writer = server.Services.GetRequiredService<StorageWriter>();
        var queue = server.Services.GetRequiredService<EnvelopeQueue>();
        var mentorHub = await world.Mentor.ConnectAsync();
        var menteeHub = await world.Mentee.ConnectAsync();
        var writesBefore = writer.Writes;

        // Acknowledged within the grace: safe by the acknowledgement, and the writer never sees it.
        var acked = world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        var first = await world.Mentee.NextEnvelopeAsync();
        Assert.Equal(1, queue.InGrace);
        Assert.Equal(1, (await menteeHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { first.EnvelopeId })).Deleted);
        Assert.Equal(first.EnvelopeId, (await acked).EnvelopeId);
        await WaitUntilAsync(() => queue.InGrace == 0);
        Assert.Equal(writesBefore, writer.Writes);
        Assert.Equal(0, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));

        // Not acknowledged: stored once the grace is over, and only then reported safe.
        var unacked = world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        var second = await world.Mentee.NextEnvelopeAsync();
        Assert.False(unacked.IsCompleted);
        Assert.Equal(second.EnvelopeId, (await unacked.WaitAsync(TimeSpan.FromSeconds(10))).EnvelopeId);
        Assert.Equal(1, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
        Assert.Equal(0, queue.InGrace);

        // A recipient who is not connected gets no grace: the envelope is written at once.
        await menteeHub.StopAsync();
        var registry = server.Services.GetRequiredService<HubConnections>();
        await WaitUntilAsync(() => registry.CountOf(world.Mentee.AccountId) == 0);
        var offline = world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext());
        Assert.Equal(0, queue.InGrace);
        await offline.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
    }

    [Fact]
    public async Task End_WhileItsSendsWaitForTheWriter_RefusesThemWithMentorshipEndedAndStoresNone()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var mentorHub = await world.Mentor.ConnectAsync();
        var writer = server.Services.GetRequiredService<StorageWriter>();
        using var hold = WriterHold.Start(writer);

        // Accepted (the relay is open) but not yet stored; then the mentee ends the mentorship.
        var sends = Enumerable.Range(0, 3).Select(_ => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext())).ToList();
        await WaitUntilAsync(() => writer.Queued == 3);
        var end = world.Mentee.Http.PostAsync(Routes.EndMentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal), null);
        await WaitUntilAsync(() => writer.Queued == 4);
        await hold.ReleaseAsync();

        await Http200.EnsureAsync(await end);
        foreach (var send in sends)
        {
            await HubAssert.RefusedAsync(ErrorCodes.MentorshipEnded, () => send);
        }

        Assert.Equal(0, server.Services.StoredEnvelopesFor(world.Mentee.AccountId));
        await HubAssert.RefusedAsync(ErrorCodes.MentorshipEnded, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
    }

    [Fact]
    public async Task End_TwiceAtOnce_EndsOnceAndRefusesTheOther()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var route = Routes.EndMentorship.Replace("{mentorshipId}", world.MentorshipId, StringComparison.Ordinal);

        var answers = await Task.WhenAll(world.Mentor.Http.PostAsync(route, null), world.Mentee.Http.PostAsync(route, null));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        await Http200.AssertProblemAsync(answers.Single(a => a.StatusCode == HttpStatusCode.Conflict), 409, ErrorCodes.MentorshipEnded);
    }

    [Fact]
    public async Task Consent_AcceptAndWithdrawWithTheSameTimestampAtOnce_StoresOneAndRefusesTheOther()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var rules = await world.CurrentRulesAsync();
        var timestamp = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();

        var answers = await Task.WhenAll(
            world.PostConsentAsync(world.Mentee, world.ConsentRequest(world.Mentee, ConsentDecision.Accept, rules, timestampMs: timestamp)),
            world.PostConsentAsync(world.Mentee, world.ConsentRequest(world.Mentee, ConsentDecision.Withdraw, rules, timestampMs: timestamp)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var stored = server.Services.GetRequiredService<Database>().Collection<Server.Mentorships.ConsentDocument>(Collections.Consents)
            .Count(c => c.MentorshipId == world.MentorshipId && c.AccountId == world.Mentee.AccountId);
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task UploadPrekeys_SameIdsTwiceAtOnce_StoresOneAndAnswersConflict()
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server, consent: false, oneTimePrekeys: 0);
        var keys = world.Mentee.Prekeys.GenerateOneTimePrekeys(10).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey))).ToList();
        var request = new UploadPrekeysRequest(null, keys);

        var answers = await Task.WhenAll(world.Mentee.Http.PutAsJsonAsync(Routes.Prekeys, request), world.Mentee.Http.PutAsJsonAsync(Routes.Prekeys, request));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var count = await Http200.ReadAsync<PrekeyCountResponse>(await world.Mentee.Http.GetAsync(Routes.PrekeyCount));
        Assert.Equal(10, count.OneTimePrekeys);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
