using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Storage;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Storage;

/// <summary>
/// Many writers at once, of every kind: accounts joining eight at a time while others consent, send, acknowledge
/// and upload prekeys. The database used to corrupt its free-page list under this (concurrent write
/// transactions on different collections); with one writer every document must read back and the log must
/// hold no storage error.
/// </summary>
public sealed class ConcurrencyTests
{
    private static readonly Dictionary<string, string?> s_settings = new()
    {
        ["SafeMentor:Relay:SendsPerSecond"] = "100000",
        ["SafeMentor:Relay:SendBurst"] = "100000",
        ["SafeMentor:Relay:MaxQueuedEnvelopes"] = "100000",
        ["SafeMentor:Relay:MaxQueuedBytes"] = "1000000000",
        ["SafeMentor:Keys:BundleRequestsPerMinute"] = "100000",
    };

    [Fact]
    public async Task Join_300AccountsEightAtATimeBesideOtherWriters_EveryDocumentReadsBackAndNoStorageErrorIsLogged()
    {
        const int Accounts = 300;
        using var server = new ServerFactory(s_settings);
        await using var world = await Scenario.CreateAsync(server);
        var joined = new List<TestUser>();
        using var stop = new CancellationTokenSource();
        await using var toggler = await TestUser.JoinAsync(server, await world.InviteAsync(Roles.Mentee), "toggler");
        var toggled = await world.MatchAsync(world.Mentor, toggler);
        var mentorHub = await world.Mentor.ConnectAsync(messagePack: true);
        await world.Mentee.ConnectAsync(autoAck: true);
        var others = new[]
        {
            Task.Run(() => SendAsync(world, mentorHub, stop.Token)),
            Task.Run(() => ToggleConsentAsync(world, toggler, toggled.MentorshipId, stop.Token)),
            Task.Run(() => UploadPrekeysAsync(world, stop.Token)),
        };

        using var eightAtATime = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, Accounts).Select(async i =>
        {
            await eightAtATime.WaitAsync();
            try
            {
                var user = await TestUser.JoinAsync(server, await world.InviteAsync(i % 2 == 0 ? Roles.Mentee : Roles.Mentor), $"joiner {i}");
                await user.UploadPrekeysAsync(10);
                lock (joined)
                {
                    joined.Add(user);
                }
            }
            finally
            {
                eightAtATime.Release();
            }
        }));
        await stop.CancelAsync();
        await Task.WhenAll(others);

        var database = server.Services.GetRequiredService<Database>();
        var accounts = database.Collection<AccountDocument>(Collections.Accounts);
        Assert.All(joined, user => Assert.NotNull(accounts.FindById(user.AccountId)));
        Assert.Equal(Accounts + 4, accounts.Count());
        Assert.Empty(DatabaseIntegrity.Problems(database.Lite));
        Assert.False(server.StorageFailure.HasStopped);

        var log = ReadLogs(server.DataDirectory);
        Assert.DoesNotContain("LiteException", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\"@l\":\"Error\"", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\"@l\":\"Fatal\"", log, StringComparison.Ordinal);
        foreach (var user in joined)
        {
            await user.DisposeAsync();
        }
    }

    private static async Task SendAsync(Scenario world, HubConnection hub, CancellationToken stop)
    {
        var ciphertext = Scenario.FakeCiphertext(1024);
        while (!stop.IsCancellationRequested)
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => world.SendAsync(hub, world.Mentee, ciphertext)));
        }
    }

    private static async Task ToggleConsentAsync(Scenario world, TestUser toggler, string mentorshipId, CancellationToken stop)
    {
        // A second mentorship, so that the first one's relay stays open for the sends.
        var rules = await world.CurrentRulesAsync();
        var decision = ConsentDecision.Accept;
        while (!stop.IsCancellationRequested)
        {
            await Http200.EnsureAsync(await world.PostConsentAsync(toggler, world.ConsentRequest(toggler, decision, rules, mentorshipId), mentorshipId));
            decision = decision == ConsentDecision.Accept ? ConsentDecision.Withdraw : ConsentDecision.Accept;
        }
    }

    private static async Task UploadPrekeysAsync(Scenario world, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var bundle = await world.Mentor.Http.GetAsync(Routes.Bundle.Replace("{accountId}", world.Mentee.AccountId, StringComparison.Ordinal), CancellationToken.None);
            await Http200.EnsureAsync(bundle);
            var keys = world.Mentee.Prekeys.GenerateOneTimePrekeys(1).Select(k => new OneTimePrekeyDto(k.Id, Convert.ToBase64String(k.PublicKey))).ToList();
            await Http200.EnsureAsync(await world.Mentee.Http.PutAsJsonAsync(Routes.Prekeys, new UploadPrekeysRequest(null, keys), CancellationToken.None));
        }
    }

    private static string ReadLogs(string dataDirectory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dataDirectory, "logs")))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }
}
