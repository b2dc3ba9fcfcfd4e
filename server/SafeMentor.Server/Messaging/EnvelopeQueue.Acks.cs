namespace SafeMentor.Server.Messaging;

/// <summary>
/// Acknowledgements. An id is resolved through the recipient's connections (what was delivered and not yet
/// acknowledged), so an acknowledgement never searches the queue: an envelope the writer has not taken is dropped
/// in memory, and stored ones are deleted by primary key in one change through the writer, whatever the queue's length.
/// </summary>
internal sealed partial class EnvelopeQueue
{
    /// <summary>
    /// Acknowledges envelopes delivered to <paramref name="recipientId"/>; returns how many of them were still held
    /// and are now gone (durably, for stored ones). Ids not delivered on a live connection of the recipient are
    /// ignored: such an envelope is delivered again, and can be acknowledged then.
    /// </summary>
    public async Task<int> AckAsync(string recipientId, IEnumerable<string> envelopeIds)
    {
        var dropped = new List<QueuedEnvelope>();
        var toDelete = new List<DeliveredEnvelope>();
        lock (_gate)
        {
            if (!_mailboxes.TryGetValue(recipientId, out var mailbox))
            {
                return 0;
            }

            foreach (var id in envelopeIds.Distinct(StringComparer.Ordinal))
            {
                DeliveredEnvelope? delivered = null;
                foreach (var connection in mailbox.Connections)
                {
                    if (connection.Unacked.Remove(id, out var found))
                    {
                        delivered ??= found;
                        connection.Signal();
                    }
                }

                if (delivered?.Pending is { State: EnvelopeState.Queued } pending)
                {
                    // The recipient has it and the writer has not taken it: safe without ever touching the disk.
                    pending.State = EnvelopeState.Dropped;
                    _pending.Remove(pending.Key);
                    Release(pending.Document.MentorshipId, pending.Document.RecipientId, pending.Document.Ciphertext.Length);
                    RemoveLive(pending, mailbox);
                    StoredBacklog(pending);
                    Remember(pending.Key, SettledEnvelope.Of(pending.Document));
                    dropped.Add(pending);
                }
                else if (delivered is not null && delivered.Pending is not { State: EnvelopeState.Dropped or EnvelopeState.Refused })
                {
                    toDelete.Add(delivered);
                }
            }
        }

        foreach (var envelope in dropped)
        {
            envelope.Safe.TrySetResult(envelope.Result);
        }

        if (toDelete.Count == 0)
        {
            return dropped.Count;
        }

        var deleted = await _writer.WriteAsync(
            scope => EnvelopeStore.Delete(scope, toDelete.Select(d => d.Key)),
            keys => Deleted(recipientId, toDelete, keys)).ConfigureAwait(false);
        return dropped.Count + deleted.Count;
    }

    /// <summary>After the deletion is durable: releases the quota and remembers the ids for resends.</summary>
    private void Deleted(string recipientId, List<DeliveredEnvelope> requested, List<string> deletedKeys)
    {
        var deleted = new HashSet<string>(deletedKeys, StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var envelope in requested.Where(d => deleted.Contains(d.Key)))
            {
                RemoveStored(envelope.Key);
                Release(envelope.MentorshipId, recipientId, envelope.Size);
                Remember(envelope.Key, new SettledEnvelope(recipientId, envelope.MentorshipId, envelope.ReceivedAtMs));
                if (envelope.Pending is { } pending)
                {
                    RemoveLive(pending);
                }
            }
        }
    }
}
