using SafeMentor.Server.Messaging;

namespace SafeMentor.Server.Tests.Infrastructure;

/// <summary>Envelope documents for tests that write to the store directly, without a hub.</summary>
internal static class TestEnvelopes
{
    public const string Sender = "sm_sender";
    public const string Recipient = "sm_recipient";

    /// <summary>An envelope from <see cref="Sender"/> to <see cref="Recipient"/> at <paramref name="seq"/>, its ciphertext <paramref name="size"/> bytes of <paramref name="fill"/>.</summary>
    public static EnvelopeDocument Make(string id, long seq, int size, byte fill = 0)
        => new()
        {
            Id = EnvelopeDocument.KeyOf(Sender, id),
            EnvelopeId = id,
            Seq = seq,
            QueueKey = EnvelopeDocument.QueueKeyOf(Recipient, seq),
            MentorshipId = "ms_test",
            SenderId = Sender,
            RecipientId = Recipient,
            Ciphertext = Enumerable.Repeat(fill, size).ToArray(),
            ReceivedAt = DateTime.UtcNow,
        };
}
