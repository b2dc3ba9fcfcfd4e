using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Deletions the queue did not ask for: envelopes past their programme's retention, and the leftover queues of
/// ended mentorships. They are deleted by key inside a storage write, in bounded batches chosen by the caller, and
/// once durable the queue forgets them the way it forgets acknowledged ones: quota, fingerprint, live list and
/// deliveries still waiting for an acknowledgement.
/// </summary>
internal sealed partial class EnvelopeQueue
{
    /// <summary>Inside a write: deletes the stored envelopes named by <paramref name="candidates"/>; returns those that were there.</summary>
    public static List<StoredEnvelopeRef> DeleteStored(WriteScope scope, IEnumerable<StoredEnvelopeRef> candidates)
    {
        var envelopes = scope.Collection<EnvelopeDocument>(Collections.Envelopes);
        return [.. candidates.Where(candidate => envelopes.Delete(candidate.Key))];
    }

    /// <summary>After the deletion is durable, on the writer's thread: releases what memory held of the deleted envelopes.</summary>
    public void Expired(IReadOnlyList<StoredEnvelopeRef> deleted)
    {
        if (deleted.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var envelope in deleted)
            {
                RemoveStored(envelope.Key);
                Release(envelope.MentorshipId, envelope.RecipientId, envelope.Size);
            }

            foreach (var recipient in deleted.GroupBy(e => e.RecipientId, StringComparer.Ordinal))
            {
                if (!_mailboxes.TryGetValue(recipient.Key, out var mailbox))
                {
                    continue;
                }

                var keys = recipient.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in mailbox.Live.Where(e => keys.Contains(e.Key)).ToList())
                {
                    RemoveLive(gone, mailbox);
                }

                foreach (var connection in mailbox.Connections)
                {
                    foreach (var envelope in recipient)
                    {
                        if (connection.Unacked.TryGetValue(envelope.EnvelopeId, out var delivered) && delivered.Key == envelope.Key)
                        {
                            connection.Unacked.Remove(envelope.EnvelopeId);
                        }
                    }

                    connection.Signal();
                }
            }
        }
    }
}

/// <summary>A stored envelope as a deletion needs it: its key and what its quota and delivery bookkeeping are keyed by.</summary>
internal sealed record StoredEnvelopeRef(string Key, string EnvelopeId, string MentorshipId, string RecipientId, int Size, DateTime ReceivedAt)
{
    public static StoredEnvelopeRef Of(EnvelopeDocument envelope)
        => new(envelope.Id, envelope.EnvelopeId, envelope.MentorshipId, envelope.RecipientId, envelope.Ciphertext.Length, envelope.ReceivedAt);
}
