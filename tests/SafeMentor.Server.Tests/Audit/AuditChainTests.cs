using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Audit;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Compliance;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Compliance;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Audit;

public sealed class AuditChainTests
{
    [Fact]
    public async Task Export_AfterALifecycle_HoldsEveryRecordedActionAndVerifies()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        await world.Scenario.ConsentAsync(world.Scenario.Mentee, ConsentDecision.Withdraw);
        await world.Scenario.EndAsync(world.Scenario.Mentor);

        var export = await world.ExportAsync();

        Assert.Equal(AuditFormats.V1, export.Format);
        var actions = export.Entries.Select(e => e.Action).ToList();
        Assert.Equal(["retention.policy_changed", "mentorship.matched", "consent.accepted", "consent.accepted", "consent.withdrawn", "mentorship.ended", "compliance.read"], actions);
        Assert.Equal(Enumerable.Range(1, actions.Count).Select(i => (long)i), export.Entries.Select(e => e.Seq));
        var matched = export.Entries[1].Body!;
        Assert.Equal(world.Scenario.Coordinator.AccountId, matched.Actor);
        Assert.Equal(world.Scenario.MentorshipId, matched.Target);
        Assert.Contains(world.Scenario.Mentee.AccountId, matched.After, StringComparison.Ordinal);
        var read = export.Entries[^1].Body!;
        Assert.Equal((world.Officer.AccountId, "audit-export"), (read.Actor, read.Target));
        Assert.Equal(export.Entries[^1].Seq, export.Checkpoints[^1].Seq);

        var key = await world.GetAsync<AuditServerKeyResponse>(world.Officer, Routes.AuditServerKey);
        Assert.Equal(export.ServerPublicKey, key.PublicKey);
        var result = AuditExporter.Verify(export, Convert.FromBase64String(key.PublicKey));
        Assert.True(result.IsValid, result.Break?.Message);
        Assert.Equal(0, result.UncoveredEntries);
    }

    [Fact]
    public async Task Export_NeverContainsPseudonymsOrKeys()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);

        var json = await (await world.Officer.Http.GetAsync(world.Route(Routes.AuditExport))).Content.ReadAsStringAsync();

        foreach (var user in new[] { world.Scenario.Mentor, world.Scenario.Mentee, world.Scenario.Coordinator })
        {
            Assert.DoesNotContain("\"" + user.Pseudonym + "\"", json, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String(user.Identity.Public.SigningKey), json, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Export_OtherProgrammesBodies_AreWithheldButTheChainVerifies()
    {
        using var server = new ServerFactory();
        await using var first = await ComplianceWorld.CreateAsync(server);
        await using var second = await ComplianceWorld.CreateAsync(server);

        var export = await first.ExportAsync();

        var foreign = export.Entries.Where(e => e.Withheld == "other_programme").ToList();
        Assert.NotEmpty(foreign);
        Assert.All(foreign, e => Assert.Null(e.Body));
        Assert.DoesNotContain(export.Entries, e => e.Body?.ProgrammeId == second.ProgrammeId);
        Assert.True(AuditExporter.Verify(export, Convert.FromBase64String(export.ServerPublicKey)).IsValid);
    }

    [Fact]
    public async Task Append_InBatchesWithRefusedChanges_LeavesNoGapOrFork()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var writer = server.Services.GetRequiredService<StorageWriter>();
        var trail = server.Services.GetRequiredService<AuditTrail>();

        var writes = Enumerable.Range(0, 60).Select(i => writer.WriteAsync(scope =>
        {
            trail.Append(scope, AuditRecords.ComplianceRead(world.ProgrammeId, world.Officer.AccountId, $"view-{i}"));
            if (i % 3 == 0)
            {
                throw new InvalidOperationException("refused on purpose");
            }

            return i;
        })).ToList();
        foreach (var write in writes)
        {
            try
            {
                await write;
            }
            catch (StorageFaultException)
            {
            }
        }

        var export = await world.ExportAsync();
        Assert.Equal(Enumerable.Range(1, export.Entries.Count).Select(i => (long)i), export.Entries.Select(e => e.Seq));
        Assert.Equal(40, export.Entries.Count(e => e.Body?.Target.StartsWith("view-", StringComparison.Ordinal) == true));
        Assert.DoesNotContain(export.Entries, e => e.Body?.Target is "view-0" or "view-3" or "view-57");
        Assert.True(AuditExporter.Verify(export, Convert.FromBase64String(export.ServerPublicKey)).IsValid);
    }

    [Fact]
    public async Task Suspension_ThroughTheApi_IsRecordedWithItsCoordinatorInTheSameWrite()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var route = Routes.SuspendMember.Replace("{programmeId}", world.ProgrammeId, StringComparison.Ordinal).Replace("{accountId}", world.Scenario.Mentor.AccountId, StringComparison.Ordinal);

        await Http200.EnsureAsync(await world.Scenario.Coordinator.Http.PostAsync(route, null));
        await Http200.EnsureAsync(await world.Scenario.Coordinator.Http.PostAsync(route, null));
        await Http200.EnsureAsync(await world.Scenario.Coordinator.Http.PostAsync(Routes.ReinstateMember.Replace("{programmeId}", world.ProgrammeId, StringComparison.Ordinal).Replace("{accountId}", world.Scenario.Mentor.AccountId, StringComparison.Ordinal), null));

        var export = await world.ExportAsync();
        var suspended = Assert.Single(export.Entries, e => e.Action == "account.suspended").Body!;
        Assert.Equal((world.Scenario.Coordinator.AccountId, world.Scenario.Mentor.AccountId), (suspended.Actor, suspended.Target));
        Assert.Equal(("{\"suspended\":false}", "{\"suspended\":true}"), (suspended.Before, suspended.After));
        var reinstated = Assert.Single(export.Entries, e => e.Action == "account.reinstated").Body!;
        Assert.Equal("{\"suspended\":false}", reinstated.After);
        Assert.True(AuditExporter.Verify(export, Convert.FromBase64String(export.ServerPublicKey)).IsValid);
    }

    [Fact]
    public async Task ExportReceiptEntries_AppearInTheRegisterBesideTheConsents()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var writer = server.Services.GetRequiredService<StorageWriter>();
        var trail = server.Services.GetRequiredService<AuditTrail>();
        var recordHash = Enumerable.Repeat((byte)7, 32).ToArray();

        await writer.WriteAsync(scope => trail.Append(scope, AuditRecords.ExportRecorded(world.ProgrammeId, world.Scenario.MentorshipId, world.Scenario.Mentor.AccountId, recordHash, 1000, 2000, ["ec_1"])));

        var register = await world.GetAsync<RegisterResponse>(world.Officer, Routes.ComplianceRegister);

        var receipt = Assert.Single(register.Exports);
        Assert.Equal((world.Scenario.MentorshipId, world.Scenario.Mentor.AccountId, Convert.ToBase64String(recordHash)), (receipt.MentorshipId, receipt.ExporterAccountId, receipt.RecordHash));
        Assert.Equal(["ec_1"], receipt.ConsentIds);
        Assert.Equal(2, register.Consents.Count);
        Assert.All(register.Consents, c => Assert.Equal("accept", c.Decision));
        Assert.Contains(register.Consents, c => c.Role == Roles.Mentee && c.AccountId == world.Scenario.Mentee.AccountId);
    }

    [Fact]
    public async Task Checkpoint_WithoutNewEntries_IsNotSignedTwice()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var checkpointer = server.Services.GetRequiredService<AuditCheckpointer>();

        var first = await checkpointer.CheckpointAsync();
        var again = await checkpointer.CheckpointAsync();

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Signature, again.Signature);
        Assert.True(new AuditCheckpoint(first.Id, first.HeadHash, first.TimeMs, first.Signature).Verify(server.Services.GetRequiredService<AuditKey>().PublicKey));
    }

    [Fact]
    public void Key_OnFirstStart_IsCreatedOwnerOnlyAndReusedAfterwards()
    {
        var folder = Path.Combine(Path.GetTempPath(), "safementor-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var options = Options.Create(new StorageOptions { DataDirectory = folder });
            byte[] first;
            using (var key = new AuditKey(options, NullLogger<AuditKey>.Instance))
            {
                first = key.PublicKey;
            }

            var path = Path.Combine(folder, AuditKey.FileName);
            Assert.Equal(32, new FileInfo(path).Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
            }

            using var reopened = new AuditKey(options, NullLogger<AuditKey>.Instance);
            Assert.Equal(first, reopened.PublicKey);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
