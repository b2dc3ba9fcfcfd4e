using SafeMentor.Contracts;

namespace SafeMentor.Server.Messaging;

/// <summary>Where an accepted envelope is between acceptance and being safe.</summary>
internal enum PendingState
{
    /// <summary>Waiting for the writer.</summary>
    Queued,

    /// <summary>In the batch being committed.</summary>
    Writing,

    /// <summary>Acknowledged by the recipient (or purged) before the writer took it: never written.</summary>
    Dropped,
}

/// <summary>An accepted envelope that is not yet known to be safe, with the sender's completion.</summary>
internal sealed class PendingEnvelope(EnvelopeDocument document)
{
    public EnvelopeDocument Document { get; } = document;

    public PendingState State { get; set; } = PendingState.Queued;

    /// <summary>Acknowledged or purged while its batch was being committed: delete it right after the commit.</summary>
    public bool DeleteAfterWrite { get; set; }

    /// <summary>Completes when the envelope is safe: committed, or acknowledged by the recipient.</summary>
    public TaskCompletionSource<SendResult> Safe { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SendResult Result => new(Document.Id, Document.ReceivedAtMs);
}

/// <summary>What is remembered of a settled envelope, so that a resend gets the same answer.</summary>
internal sealed record SettledEnvelope(string SenderId, string RecipientId, string MentorshipId, long ReceivedAtMs)
{
    public static SettledEnvelope Of(EnvelopeDocument envelope)
        => new(envelope.SenderId, envelope.RecipientId, envelope.MentorshipId, envelope.ReceivedAtMs);

    public bool SameSend(EnvelopeDocument envelope)
        => SenderId == envelope.SenderId && RecipientId == envelope.RecipientId && MentorshipId == envelope.MentorshipId;
}
