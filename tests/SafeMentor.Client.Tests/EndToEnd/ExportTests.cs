using System.Text.Json.Nodes;
using SafeMentor.Client.Exports;
using SafeMentor.Client.Tests.Infrastructure;

namespace SafeMentor.Client.Tests.EndToEnd;

/// <summary>Consented exports: asked over the encrypted channel, approved by the counterpart, verified offline.</summary>
public sealed class ExportTests
{
    [Fact]
    public async Task CreateExport_WithoutConsent_Refused()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);

        var error = await Assert.ThrowsAsync<SafeMentorException>(() => world.Mentor.CreateExportAsync(world.MentorshipId));

        Assert.Equal(ClientErrorCodes.ExportConsentRequired, error.Code);
    }

    [Fact]
    public async Task CreateExport_RequestDeclined_Refused()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);
        var request = await RequestAsync(world);
        var answered = Answered(world.Mentor);

        await world.Mentee.DeclineExportAsync(request.RequestId);

        Assert.Equal(ExportRequestStatus.Declined, (await answered).Status);
        var error = await Assert.ThrowsAsync<SafeMentorException>(() => world.Mentor.CreateExportAsync(world.MentorshipId));
        Assert.Equal(ClientErrorCodes.ExportConsentRequired, error.Code);
    }

    [Fact]
    public async Task CreateExport_Approved_RecordVerifiesAndServerHoldsOnlyAReceipt()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);
        var record = await ExportAsync(world);

        var verification = ExportVerifier.Verify(record.ToJson());

        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
        Assert.Equal(["I made a mistake on the ward.", "Let's look at what happened, calmly."], record.Messages.Select(m => m.Text));
        Assert.Contains("I made a mistake on the ward.", record.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(world.Mentee.AccountId, record.Counterpart.AccountId);
        var database = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "safementor.db"));
        Assert.Equal(-1, database.AsSpan().IndexOf("I made a mistake"u8));
    }

    [Fact]
    public async Task Verify_TamperedRecord_EveryTamperingDetected()
    {
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);
        var original = (await ExportAsync(world)).ToJson();

        foreach (var tampering in new[] { "content", "signature", "range", "expiry", "consent-purpose", "reordered", "counterpart-key" })
        {
            var json = JsonNode.Parse(original)!;
            switch (tampering)
            {
                case "content":
                    json["messages"]![0]!["text"] = "I did nothing wrong.";
                    break;
                case "signature":
                    var signature = Convert.FromBase64String(json["signature"]!.GetValue<string>());
                    signature[10] ^= 1;
                    json["signature"] = Convert.ToBase64String(signature);
                    break;
                case "range":
                    json["fromMs"] = json["fromMs"]!.GetValue<long>() - 86_400_000;
                    break;
                case "expiry":
                    json["createdAtMs"] = json["exportConsent"]!["expiresMs"]!.GetValue<long>() + 1;
                    break;
                case "consent-purpose":
                    json["exportConsent"]!["purpose"] = "publication";
                    break;
                case "reordered":
                    var messages = json["messages"]!.AsArray();
                    var first = messages[0]!.DeepClone();
                    messages.RemoveAt(0);
                    messages.Add(first);
                    break;
                case "counterpart-key":
                    // The exporter swaps in an identity of its own making for the counterpart: the consent no longer verifies.
                    json["counterpart"] = json["exporter"]!.DeepClone();
                    json["counterpart"]!["pseudonym"] = "Quiet Fox";
                    break;
            }

            var verification = ExportVerifier.Verify(json.ToJsonString());

            Assert.False(verification.IsValid, tampering);
            Assert.NotEmpty(verification.Problems);
        }

        Assert.True(ExportVerifier.Verify(original).IsValid);
    }

    internal static async Task<ExportRecord> ExportAsync(Mentorship world)
    {
        await world.Mentee.SendTextAsync(world.MentorshipId, "I made a mistake on the ward.");
        Assert.Equal("I made a mistake on the ward.", Mentorship.Next(world.MentorInbox).Text);
        await world.Mentor.SendTextAsync(world.MentorshipId, "Let's look at what happened, calmly.");
        Assert.Equal("Let's look at what happened, calmly.", Mentorship.Next(world.MenteeInbox).Text);
        await world.Mentor.WaitForOutboxEmptyAsync();

        var request = await RequestAsync(world);
        var answered = Answered(world.Mentor);
        await world.Mentee.ApproveExportAsync(request.RequestId);
        Assert.Equal(ExportRequestStatus.Approved, (await answered).Status);
        return await world.Mentor.CreateExportAsync(world.MentorshipId);
    }

    private static async Task<ExportRequestInfo> RequestAsync(Mentorship world)
    {
        var arrived = Answered(world.Mentee);
        var now = DateTimeOffset.UtcNow;
        await world.Mentor.RequestExportAsync(
            world.MentorshipId, now.AddDays(-1).ToUnixTimeMilliseconds(), now.AddDays(1).ToUnixTimeMilliseconds(), "supervision review", "programme coordinator", now.AddDays(7).ToUnixTimeMilliseconds());
        var request = await arrived;
        Assert.True(request.Incoming);
        Assert.Equal("supervision review", request.Purpose);
        return request;
    }

    private static Task<ExportRequestInfo> Answered(SafeMentorClient client)
    {
        var done = new TaskCompletionSource<ExportRequestInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ExportRequestChanged += (_, e) => done.TrySetResult(e.Request);
        return done.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
