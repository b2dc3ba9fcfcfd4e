using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Compliance;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Retention;

public sealed class SweepTests
{
    [Fact]
    public async Task Sweep_EnvelopesOlderThanPolicy_AreGoneAndReceiptMatches()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var old = Enumerable.Range(0, 3).Select(i => Scenario.FakeCiphertext(600 + i, fill: 0x41)).ToList();
        foreach (var ciphertext in old)
        {
            await world.MentorSendsAsync(ciphertext);
        }

        await world.AdvanceAsync(TimeSpan.FromDays(15));
        var fresh = await world.MentorSendsAsync(Scenario.FakeCiphertext(700, fill: 0x42));

        var receipt = await world.SweepAsync();

        var line = receipt.Line(world.ProgrammeId);
        Assert.Equal(3, line.ExpiredEnvelopes);
        Assert.Equal(old.Sum(c => c.Length), line.ExpiredBytes);
        Assert.Equal(1, line.PolicyVersion);
        Assert.Equal("completed", receipt.State);
        Assert.True(receipt.FileScrubbed);
        var report = await world.GetAsync<EnforcementReportDto>(world.Officer, Routes.EnforcementReport);
        Assert.Equal(0, report.OverdueEnvelopes);
        Assert.Equal(1, report.QueuedEnvelopes);

        await world.Scenario.Mentee.ConnectAsync();
        var delivered = await world.Scenario.Mentee.NextEnvelopeAsync();
        Assert.Equal(fresh.EnvelopeId, delivered.EnvelopeId);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => world.Scenario.Mentee.NextEnvelopeAsync(TimeSpan.FromMilliseconds(300)));

        var receipts = await world.GetAsync<DeletionReceiptsResponse>(world.Officer, Routes.DeletionReceipts);
        var shown = Assert.Single(receipts.Receipts);
        Assert.Equal(receipt.Id, shown.ReceiptId);
        Assert.Equal(3, shown.Programme!.ExpiredEnvelopes);
        Assert.Equal(old.Sum(c => c.Length), shown.Totals.ExpiredBytes);
        Assert.NotNull(receipts.Sweeps.LastRunAt);
    }

    [Fact]
    public async Task Enforcement_OverduePastPolicyAndInterval_IsZeroAfterASweep()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        await world.MentorSendsAsync(Scenario.FakeCiphertext());
        await world.MentorSendsAsync(Scenario.FakeCiphertext());

        await world.AdvanceAsync(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(30));
        var due = await world.GetAsync<EnforcementReportDto>(world.Officer, Routes.EnforcementReport);
        await world.AdvanceAsync(TimeSpan.FromMinutes(31));
        var overdue = await world.GetAsync<EnforcementReportDto>(world.Officer, Routes.EnforcementReport);
        await world.SweepAsync();
        var after = await world.GetAsync<EnforcementReportDto>(world.Officer, Routes.EnforcementReport);

        Assert.Equal((2L, 0L), (due.DueEnvelopes, due.OverdueEnvelopes));
        Assert.Equal(2, overdue.OverdueEnvelopes);
        Assert.Equal(2, overdue.Buckets.Single(b => b.Label == "7 to 30 days").Envelopes);
        Assert.Equal((0L, 0L, 0L), (after.QueuedEnvelopes, after.DueEnvelopes, after.OverdueEnvelopes));
    }

    [Fact]
    public async Task Preview_ProposedPolicy_CountsExactlyWhatTheNextSweepDeletes()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);

        // Sent at increasing times, so that the first is finally 6 days old and the last half a day.
        var ages = new[] { 6.0, 5, 4, 2.5, 1.5, 0.5 };
        for (var i = 0; i < ages.Length; i++)
        {
            await world.MentorSendsAsync(Scenario.FakeCiphertext(400 + (i * 10)));
            await world.AdvanceAsync(TimeSpan.FromDays(i + 1 < ages.Length ? ages[i] - ages[i + 1] : ages[i]));
        }

        var preview = await world.PreviewAsync(ComplianceWorld.Days(3));
        await world.ChangeAsync(ComplianceWorld.Days(3), Scenario.Rules.ClientHistoryRetentionMs, 2190);
        var receipt = await world.SweepAsync();

        Assert.Equal(3, preview.ExpiredEnvelopes);
        Assert.Equal(400 + 410 + 420, preview.ExpiredBytes);
        var line = receipt.Line(world.ProgrammeId);
        Assert.Equal((preview.ExpiredEnvelopes, preview.ExpiredBytes), (line.ExpiredEnvelopes, line.ExpiredBytes));
        Assert.Equal((preview.EndedMentorshipEnvelopes, preview.EndedMentorshipBytes), (line.EndedMentorshipEnvelopes, line.EndedMentorshipBytes));
        Assert.Equal(2, line.PolicyVersion);
    }

    [Fact]
    public async Task Sweep_DeletedCiphertext_IsNotInTheDatabaseFiles()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var expired = Scenario.FakeCiphertext(1024, 0x11);
        await world.MentorSendsAsync(expired);
        await world.AdvanceAsync(TimeSpan.FromDays(15));
        var kept = Scenario.FakeCiphertext(1024, 0x22);
        await world.MentorSendsAsync(kept);
        Assert.True(DatabaseFiles.Contain(server.DataDirectory, expired), "the expired envelope was never written, so the test would prove nothing");

        await world.SweepAsync();

        Assert.False(DatabaseFiles.Contain(server.DataDirectory, expired), "the deleted ciphertext is still in the database files");
        Assert.True(DatabaseFiles.Contain(server.DataDirectory, kept), "the check must see envelopes that are still queued");
    }

    [Fact]
    public async Task Sweep_ReleasesTheRecipientsQuota()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Relay:MaxQueuedEnvelopes"] = "2" });
        await using var world = await ComplianceWorld.CreateAsync(server);
        await world.MentorSendsAsync(Scenario.FakeCiphertext());
        await world.MentorSendsAsync(Scenario.FakeCiphertext());
        await HubAssert.RefusedAsync(ErrorCodes.QueueFull, () => world.MentorSendsAsync(Scenario.FakeCiphertext()));

        await world.AdvanceAsync(TimeSpan.FromDays(15));
        await world.SweepAsync();

        await world.MentorSendsAsync(Scenario.FakeCiphertext());
    }

    [Fact]
    public async Task Sweep_ManyEnvelopes_DeletesInBatchesBetweenOtherCommits()
    {
        using var server = new ServerFactory(new Dictionary<string, string?>
        {
            ["SafeMentor:Retention:SweepBatchSize"] = "50",
            ["SafeMentor:Relay:SendBurst"] = "1000",
        });
        await using var world = await ComplianceWorld.CreateAsync(server);
        var mentor = await world.Scenario.Mentor.ConnectAsync();
        await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => world.Scenario.SendAsync(mentor, world.Scenario.Mentee, Scenario.FakeCiphertext())));
        await mentor.StopAsync();
        await world.AdvanceAsync(TimeSpan.FromDays(15));
        var writer = server.Services.GetRequiredService<StorageWriter>();
        var commitsBefore = writer.Commits;

        var sweep = world.SweepAsync();
        await world.MentorSendsAsync(Scenario.FakeCiphertext());
        var receipt = await sweep;

        Assert.Equal(400, receipt.Line(world.ProgrammeId).ExpiredEnvelopes);
        Assert.True(writer.Commits - commitsBefore >= 8, $"expected at least 8 separate commits, saw {writer.Commits - commitsBefore}");
        Assert.Equal(1, (await world.GetAsync<EnforcementReportDto>(world.Officer, Routes.EnforcementReport)).QueuedEnvelopes);
    }

    [Fact]
    public async Task Sweep_ExpiredInvites_AreDeletedAndCounted()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        await world.Scenario.InviteAsync(Roles.Mentee);
        await world.AdvanceAsync(TimeSpan.FromDays(8));

        var receipt = await world.SweepAsync();

        Assert.True(receipt.StaleOneTimeItems >= 1);
        var now = server.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(0, server.Services.GetRequiredService<Database>().Collection<InviteDocument>(Collections.Invites).Count(i => i.ExpiresAt < now));
    }

    [Fact]
    public async Task Sweep_RecordsItselfInTheAuditChain()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);

        var receipt = await world.SweepAsync();
        var export = await world.ExportAsync();

        var entry = export.Entries.Single(e => e.Seq == receipt.AuditSeq);
        Assert.Equal("retention.sweep_completed", entry.Action);
        Assert.Equal(receipt.Id, entry.Body!.Target);
        Assert.Contains("\"expiredEnvelopes\":0", entry.Body.After, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sweep_AuditBodiesPastRetention_AreWithheldAndTheChainStillVerifies()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["SafeMentor:Retention:MinAuditRetentionDays"] = "30" });
        await using var world = await ComplianceWorld.CreateAsync(server);
        await world.ChangeAsync(Scenario.Rules.UndeliveredRetentionMs, Scenario.Rules.ClientHistoryRetentionMs, 30, "Keep the audit for a month");
        await world.AdvanceAsync(TimeSpan.FromDays(31));
        await world.Scenario.ConsentAsync(world.Scenario.Mentee, ConsentDecision.Withdraw);

        var receipt = await world.SweepAsync();
        var export = await world.ExportAsync();

        Assert.True(receipt.Line(world.ProgrammeId).AuditBodiesRemoved >= 4);
        Assert.Equal("retention", export.Entries[0].Withheld);
        Assert.NotNull(export.Entries.Single(e => e.Action == "consent.withdrawn").Body);
        Assert.True(SafeMentor.Server.Compliance.AuditExporter.Verify(export, Convert.FromBase64String(export.ServerPublicKey)).IsValid);
    }
}
