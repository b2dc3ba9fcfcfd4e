using SafeMentor.Contracts;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Storing one accepted envelope, as a change through the storage writer. The relay's state is judged again
/// inside the transaction: an envelope accepted just before its mentorship ended, or its relay closed, is refused
/// rather than stored behind the change that closed it.
/// </summary>
internal sealed class EnvelopeWrite(EnvelopeQueue queue, QueuedEnvelope envelope) : StorageWrite
{
    private bool _taken;

    public QueuedEnvelope Envelope => envelope;

    /// <summary>Set when the envelope must not be stored after all; its sender is refused with this code.</summary>
    public string? RefusedWith { get; set; }

    internal override void Apply(WriteScope scope)
    {
        RefusedWith = null;
        _taken = queue.Take(envelope);
        if (!_taken)
        {
            // Acknowledged before the writer got to it: safe already, and never written.
            return;
        }

        var document = envelope.Document;
        RefusedWith = queue.Registry.AdmitSend(scope, document.MentorshipId, document.SenderId, document.RecipientId);
        if (RefusedWith is null)
        {
            EnvelopeStore.Insert(scope, document);
            EnvelopeQueue.Applied(scope, this);
        }
    }

    internal override void Committed()
    {
        if (!_taken)
        {
            return;
        }

        if (RefusedWith is { } code)
        {
            queue.Refuse(envelope, code);
        }
        else
        {
            queue.Stored(envelope);
        }
    }

    internal override void Failed(Exception error) => queue.Refuse(envelope, ErrorCodes.Unavailable);
}
