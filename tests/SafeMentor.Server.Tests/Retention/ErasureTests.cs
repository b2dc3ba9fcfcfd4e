using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Compliance;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Compliance;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Retention;

public sealed class ErasureTests
{
    [Fact]
    public async Task Erase_Account_EndsItsMentorshipsDeletesItsDataAndLeavesATombstone()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var mentorHub = await world.Scenario.Mentor.ConnectAsync();
        await world.Scenario.SendAsync(mentorHub, world.Scenario.Mentee, Scenario.FakeCiphertext());
        var menteeHub = await world.Scenario.Mentee.ConnectAsync(autoAck: false);
        var menteeClosed = new TaskCompletionSource();
        menteeHub.Closed += _ =>
        {
            menteeClosed.TrySetResult();
            return Task.CompletedTask;
        };
        var refreshToken = world.Scenario.Mentee.Tokens!.RefreshToken;

        var response = await world.Scenario.Mentee.Http.DeleteAsync(Routes.Me);

        var erased = await Http200.ReadAsync<AccountErasureResponse>(response);
        Assert.StartsWith("er_", erased.Tombstone, StringComparison.Ordinal);
        Assert.Equal((1, 1, 6), (erased.MentorshipsEnded, erased.EnvelopesDeleted, erased.PrekeysDeleted));
        var ended = await world.Scenario.Mentor.NextRelayEventAsync();
        Assert.True(ended.Ended);
        var mentorship = await Http200.ReadAsync<MentorshipDto>(await world.Scenario.Mentor.Http.GetAsync(Routes.Mentorship.Replace("{mentorshipId}", world.Scenario.MentorshipId, StringComparison.Ordinal)));
        Assert.Equal(erased.Tombstone, mentorship.MenteeAccountId);
        Assert.NotNull(mentorship.EndedAt);
        await Http200.AssertProblemAsync(await world.Scenario.Mentee.Http.GetAsync(Routes.Me), 401, ErrorCodes.Unauthorized);
        await Http200.AssertProblemAsync(await world.Scenario.Mentee.Http.PostAsJsonAsync(Routes.Refresh, new RefreshRequest(refreshToken)), 401, ErrorCodes.Unauthorized);
        await menteeClosed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await HubAssert.RefusedAsync(ErrorCodes.NotAParty, () => world.Scenario.SendAsync(mentorHub, world.Scenario.Mentee, Scenario.FakeCiphertext()));

        var export = await world.ExportAsync();
        var tombstone = export.Entries.Single(e => e.Action == "account.erased");
        Assert.Equal(erased.Tombstone, tombstone.Body!.Actor);
        Assert.Contains("\"envelopesDeleted\":1", tombstone.Body.After, StringComparison.Ordinal);
        Assert.DoesNotContain(world.Scenario.Mentee.AccountId, System.Text.Json.JsonSerializer.Serialize(export), StringComparison.Ordinal);
        Assert.Contains(export.Entries, e => e.Withheld == "erasure");
        Assert.True(AuditExporter.Verify(export, Convert.FromBase64String(export.ServerPublicKey)).IsValid);
        var register = await world.GetAsync<RegisterResponse>(world.Officer, Routes.ComplianceRegister);
        Assert.Contains(register.Consents, c => c.AccountId == erased.Tombstone);
    }

    [Fact]
    public async Task Erase_Account_NothingOfItIsInTheDatabaseFileAfterItIsClosed()
    {
        using var server = new ServerFactory();
        await using var world = await ComplianceWorld.CreateAsync(server);
        var pseudonym = "Quiet-Fox-" + Guid.NewGuid().ToString("N");
        await using var leaving = await TestUser.JoinAsync(server, await world.Scenario.InviteAsync(Roles.Mentee), pseudonym);
        await leaving.UploadPrekeysAsync(3);
        var mentorship = await world.Scenario.MatchAsync(world.Scenario.Mentor, leaving);
        await world.Scenario.ConsentAsync(world.Scenario.Mentor, ConsentDecision.Accept, mentorship.MentorshipId);
        await world.Scenario.ConsentAsync(leaving, ConsentDecision.Accept, mentorship.MentorshipId);
        var toLeaving = Scenario.FakeCiphertext(900, 0x61);
        var fromLeaving = Scenario.FakeCiphertext(900, 0x62);
        var mentorHub = await world.Scenario.Mentor.ConnectAsync();
        await world.Scenario.SendAsync(mentorHub, leaving, toLeaving, mentorshipId: mentorship.MentorshipId);
        var leavingHub = await leaving.ConnectAsync();
        await world.Scenario.SendAsync(leavingHub, world.Scenario.Mentor, fromLeaving, mentorshipId: mentorship.MentorshipId);
        await leaving.DisconnectAsync();
        await world.Scenario.Mentor.DisconnectAsync();

        var personal = new List<(string What, byte[] Bytes)>
        {
            ("account id", Encoding.UTF8.GetBytes(leaving.AccountId)),
            ("pseudonym", Encoding.UTF8.GetBytes(pseudonym)),
            ("identity signing key", leaving.Identity.Public.SigningKey.ToArray()),
            ("identity DH key", leaving.Identity.Public.DhKey.ToArray()),
            ("identity binding signature", leaving.Identity.Public.BindingSignature.ToArray()),
            ("signed prekey", leaving.Prekeys.CurrentSignedPrekey(leaving.Identity).PublicKey),
            ("signed prekey signature", leaving.Prekeys.CurrentSignedPrekey(leaving.Identity).Signature),
            ("ciphertext to the account", toLeaving),
            ("ciphertext from the account", fromLeaving),
        };
        var before = DatabaseFiles.Read(server.DataDirectory);
        Assert.All(personal, p => Assert.True(DatabaseFiles.Contain(before, p.Bytes), $"the {p.What} was never stored, so the test would prove nothing"));

        await Http200.EnsureAsync(await leaving.Http.DeleteAsync(Routes.Me));
        server.Services.GetRequiredService<StorageWriter>().Dispose();
        server.Services.GetRequiredService<Database>().Dispose();

        var after = DatabaseFiles.Read(server.DataDirectory);
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, FileMedium.LogFileName)), "the database was not closed cleanly");
        Assert.All(personal, p => Assert.False(DatabaseFiles.Contain(after, p.Bytes), $"the database file still contains the erased account's {p.What}"));
        Assert.True(DatabaseFiles.Contain(after, Encoding.UTF8.GetBytes(world.Scenario.Mentor.AccountId)), "the check must see accounts that were not erased");
    }
}
