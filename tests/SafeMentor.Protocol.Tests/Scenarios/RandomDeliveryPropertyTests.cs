using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>
/// Seeded random conversations: bursty senders, random delivery order, dropped messages and duplicates.
/// Every delivered message decrypts exactly once to its own payload; every duplicate is rejected as one and
/// changes nothing. Message counts stay far below MAX_SKIP and the stored-key limit, and duplicates are drawn
/// from recent chains, so each expected outcome is exact.
/// </summary>
public sealed class RandomDeliveryPropertyTests
{
    private sealed record Envelope(Party From, Party To, int Id, byte[] Payload, byte[] Wire);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(17)]
    [InlineData(2024)]
    [InlineData(90210)]
    public void Decrypt_RandomOrderDropsAndDuplicates_EachMessageDecryptsExactlyOnce(int seed)
    {
        var random = new Random(seed);
        using var world = TestWorld.Initiated(withOneTimePrekey: seed % 2 == 0);
        var inFlight = new List<Envelope>();
        var delivered = new List<Envelope>();
        var sender = world.Alice;
        var sent = 0;
        var decrypted = 0;
        var duplicates = 0;
        var dropped = 0;

        for (var step = 0; step < 700; step++)
        {
            var roll = random.NextDouble();
            if (roll < 0.45)
            {
                if (random.NextDouble() < 0.25)
                {
                    sender = world.Other(sender);
                }

                if (!sender.RecordFor(world.Other(sender)).CanSend)
                {
                    sender = world.Alice; // Bob can send only once he has received.
                }

                var payload = Payloads.Numbered(sender.Name, sent);
                var envelope = new Envelope(sender, world.Other(sender), sent++, payload, sender.Send(world.Other(sender), payload));
                if (random.NextDouble() < 0.1)
                {
                    dropped++;
                }
                else
                {
                    inFlight.Add(envelope);
                }
            }
            else if (roll < 0.9 && inFlight.Count > 0)
            {
                var envelope = inFlight[random.Next(inFlight.Count)];
                inFlight.Remove(envelope);
                Deliver(envelope);
                delivered.Add(envelope);
                decrypted++;
            }
            else if (delivered.Count > 0)
            {
                var recent = Math.Min(delivered.Count, 40);
                var envelope = delivered[delivered.Count - 1 - random.Next(recent)];
                Rejection.Assert(envelope.To, envelope.From, envelope.Wire, ProtocolError.DuplicateMessage);
                duplicates++;
            }
        }

        // Drain what is still in flight, in random order.
        while (inFlight.Count > 0)
        {
            var envelope = inFlight[random.Next(inFlight.Count)];
            inFlight.Remove(envelope);
            Deliver(envelope);
            decrypted++;
        }

        Assert.Equal(sent, decrypted + dropped);
        Assert.True(duplicates > 20, $"only {duplicates} duplicates were tried");
        Assert.True(dropped > 5, $"only {dropped} messages were dropped");
    }

    private static void Deliver(Envelope envelope)
    {
        var result = envelope.To.Receive(envelope.From, envelope.Wire);
        Assert.Equal(envelope.Payload, result.Payload);
    }
}
