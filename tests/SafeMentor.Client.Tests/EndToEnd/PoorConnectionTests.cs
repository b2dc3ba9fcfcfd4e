using SafeMentor.Client.Tests.Infrastructure;

namespace SafeMentor.Client.Tests.EndToEnd;

/// <summary>Drops and restarts: nothing written is lost, and nothing arrives twice, on either side.</summary>
public sealed class PoorConnectionTests
{
    [Fact]
    public async Task Send_TransportAbortedMidStreamAndServerRestarted_NothingLostNothingDuplicated()
    {
        const int PerSide = 40;
        await using var server = RelayServer.Start();
        await using var world = await Mentorship.CreateAsync(server);

        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < PerSide; i++)
            {
                await world.Mentee.SendTextAsync(world.MentorshipId, $"mentee {i}");
                await world.Mentor.SendTextAsync(world.MentorshipId, $"mentor {i}");
                if (i % 10 == 5)
                {
                    await world.Mentee.DropConnectionAsync();
                    await world.Mentor.DropConnectionAsync();
                }
            }
        });

        // Restart the relay while both sides are mid-stream.
        await Task.Delay(200);
        await server.RestartAsync();
        await sending;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await world.Mentee.WaitForOutboxEmptyAsync(timeout.Token);
        await world.Mentor.WaitForOutboxEmptyAsync(timeout.Token);
        await WaitForHistoryAsync(world.Mentor, world.MentorshipId, 2 * PerSide, timeout.Token);
        await WaitForHistoryAsync(world.Mentee, world.MentorshipId, 2 * PerSide, timeout.Token);

        foreach (var client in new[] { world.Mentor, world.Mentee })
        {
            var texts = (await client.GetHistoryAsync(world.MentorshipId)).Select(m => m.Text).ToList();
            Assert.Equal(2 * PerSide, texts.Count);
            Assert.Equal(texts.Count, texts.Distinct(StringComparer.Ordinal).Count());
            foreach (var side in new[] { "mentee", "mentor" })
            {
                // Each side's messages are all there, once, in the order they were written.
                Assert.Equal(Enumerable.Range(0, PerSide).Select(i => $"{side} {i}"), texts.Where(t => t.StartsWith(side, StringComparison.Ordinal)));
            }
        }
    }

    internal static async Task WaitForHistoryAsync(SafeMentorClient client, string mentorshipId, int count, CancellationToken cancellationToken)
    {
        while ((await client.GetHistoryAsync(mentorshipId)).Count(m => m.Status != MessageStatus.Pending) < count)
        {
            await Task.Delay(50, cancellationToken);
        }

        // Let stray duplicates, if any, arrive before the histories are compared.
        await Task.Delay(300, cancellationToken);
    }
}
