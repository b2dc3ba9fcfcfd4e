using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using SafeMentor.Contracts;
using SafeMentor.Server.Hosting;
using SafeMentor.Server.Tests.Infrastructure;

namespace SafeMentor.Server.Tests.Messaging;

/// <summary>Refused hub calls are expected: quiet in the logs, counted, and answered with a code a client can act on.</summary>
public sealed class HubRefusalLoggingTests
{
    [Fact]
    public async Task Send_RefusedManyTimes_NoErrorOrStackTraceInTheLogsAndCounted()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Debug" });
        await using var world = await Scenario.CreateAsync(server, consent: false);
        var mentorHub = await world.Mentor.ConnectAsync();
        server.Services.GetRequiredService<Refusals>().TakeSummary();

        for (var i = 0; i < 20; i++)
        {
            await HubAssert.RefusedAsync(ErrorCodes.ConsentRequired, () => world.SendAsync(mentorHub, world.Mentee, Scenario.FakeCiphertext()));
        }

        await HubAssert.RefusedAsync(ErrorCodes.Malformed, () => mentorHub.InvokeAsync<AckResult>(HubMethods.Ack, new[] { "bad id!" }));

        var events = LogEvents(server.DataDirectory);
        Assert.DoesNotContain(events, e => e.Level is "Error" or "Fatal");
        Assert.DoesNotContain(events, e => e.Exception is not null);
        var refused = events.Where(e => e.Template == "Hub call {Method} refused: {Code}").ToList();
        Assert.Equal(21, refused.Count);
        Assert.All(refused, e => Assert.Equal("Debug", e.Level));
        var summary = server.Services.GetRequiredService<Refusals>().TakeSummary();
        Assert.Contains(("hub", ErrorCodes.ConsentRequired, 20L), summary);
        Assert.Contains(("hub", ErrorCodes.Malformed, 1L), summary);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Invoke_ArgumentsThatCannotBeBound_ReturnsMalformed(bool messagePack)
    {
        using var server = new ServerFactory();
        await using var world = await Scenario.CreateAsync(server);
        var hub = await world.Mentor.ConnectAsync(messagePack);
        var id = Scenario.NewEnvelopeId();

        var calls = new Func<Task>[]
        {
            () => hub.InvokeCoreAsync<SendResult>(HubMethods.Send, [id, world.MentorshipId, world.Mentee.AccountId]),
            () => hub.InvokeCoreAsync<SendResult>(HubMethods.Send, [id, world.MentorshipId, world.Mentee.AccountId, Scenario.FakeCiphertext(), "extra"]),
            () => hub.InvokeCoreAsync<SendResult>(HubMethods.Send, [42, world.MentorshipId, world.Mentee.AccountId, Scenario.FakeCiphertext()]),
            () => hub.InvokeCoreAsync<SendResult>(HubMethods.Send, [id, world.MentorshipId, world.Mentee.AccountId, "not base64!"]),
            () => hub.InvokeCoreAsync<AckResult>(HubMethods.Ack, ["not an array"]),
            () => hub.InvokeCoreAsync<AckResult>("Unknown", []),
        };

        foreach (var call in calls)
        {
            var error = await Assert.ThrowsAsync<HubException>(call);
            Assert.EndsWith("HubException: " + ErrorCodes.Malformed, error.Message, StringComparison.Ordinal);
        }

        // The connection is still usable.
        await world.SendAsync(hub, world.Mentee, Scenario.FakeCiphertext(), id);
    }

    private static List<(string Level, string Template, string? Exception)> LogEvents(string dataDirectory)
    {
        var events = new List<(string, string, string?)>();
        foreach (var file in Directory.GetFiles(Path.Combine(dataDirectory, "logs")))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                events.Add((
                    root.TryGetProperty("@l", out var level) ? level.GetString()! : "Information",
                    root.GetProperty("@mt").GetString()!,
                    root.TryGetProperty("@x", out var exception) ? exception.GetString() : null));
            }
        }

        return events;
    }
}
