using SafeMentor.Contracts;

namespace SafeMentor.Server.Messaging;

/// <summary>Where an accepted envelope is on its way to being safe. Changed only under the queue's lock.</summary>
internal enum EnvelopeState
{
    /// <summary>Accepted, waiting for the storage writer.</summary>
    Queued,

    /// <summary>The writer has taken it into a transaction; an acknowledgement from now on must delete it from disk.</summary>
    Taken,

    /// <summary>Committed durably.</summary>
    Stored,

    /// <summary>Acknowledged by the recipient before the writer took it: safe, and never written.</summary>
    Dropped,

    /// <summary>Refused after acceptance (the mentorship ended or its relay closed first, or storage failed).</summary>
    Refused,
}

/// <summary>An accepted envelope held in memory until it is stored, dropped or refused, with the sender's completion.</summary>
internal sealed class QueuedEnvelope(EnvelopeDocument document)
{
    public EnvelopeDocument Document { get; } = document;

    public string Key => Document.Id;

    public EnvelopeState State { get; set; } = EnvelopeState.Queued;

    /// <summary>Its place in the recipient's list of live envelopes, while it is there.</summary>
    public LinkedListNode<QueuedEnvelope>? LiveNode { get; set; }

    /// <summary>Completes when the envelope is safe (stored or acknowledged) or is refused.</summary>
    public TaskCompletionSource<SendResult> Safe { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SendResult Result => new(Document.EnvelopeId, Document.ReceivedAtMs);

    public bool IsSettled => State is EnvelopeState.Stored or EnvelopeState.Dropped or EnvelopeState.Refused;
}

/// <summary>What is remembered of a settled envelope, so that a resend gets the same answer.</summary>
internal sealed record SettledEnvelope(string RecipientId, string MentorshipId, long ReceivedAtMs)
{
    public static SettledEnvelope Of(EnvelopeDocument envelope) => new(envelope.RecipientId, envelope.MentorshipId, envelope.ReceivedAtMs);

    /// <summary>Same sender is implied by the key; the resend must also name the same recipient and mentorship.</summary>
    public bool SameSend(EnvelopeDocument envelope) => RecipientId == envelope.RecipientId && MentorshipId == envelope.MentorshipId;
}

/// <summary>
/// An envelope delivered on a connection and not yet acknowledged: enough to delete it by key and release its
/// quota when the acknowledgement comes, without reading it back. <see cref="Pending"/> is the in-memory envelope
/// when it had not been stored yet at delivery.
/// </summary>
internal sealed record DeliveredEnvelope(string Key, string MentorshipId, int Size, long ReceivedAtMs, QueuedEnvelope? Pending)
{
    public static DeliveredEnvelope Of(EnvelopeDocument envelope, QueuedEnvelope? pending)
        => new(envelope.Id, envelope.MentorshipId, envelope.Ciphertext.Length, envelope.ReceivedAtMs, pending);
}
