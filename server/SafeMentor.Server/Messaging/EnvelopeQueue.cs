using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Accepts envelopes, hands them to the group-commit writer, and tells each sender when its envelope is safe:
/// committed to disk, or acknowledged by the recipient before its batch was written (then it is never written).
/// All bookkeeping happens under one lock; disk work happens outside it, on the writer.
/// </summary>
internal sealed partial class EnvelopeQueue
{
    private readonly EnvelopeStore _store;
    private readonly IOptions<RelayOptions> _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingEnvelope> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SettledEnvelope> _settled = new(StringComparer.Ordinal);
    private readonly Queue<string> _settledOrder = new();
    private readonly Channel<PendingEnvelope> _toWriter = Channel.CreateUnbounded<PendingEnvelope>(new UnboundedChannelOptions { SingleReader = true });
    private long _seq;

    public EnvelopeQueue(EnvelopeStore store, IOptions<RelayOptions> options)
    {
        _store = store;
        _options = options;
        _seq = store.MaxSeq();
    }

    internal ChannelReader<PendingEnvelope> WriterInput => _toWriter.Reader;

    /// <summary>
    /// Accepts <paramref name="envelope"/> (its <c>Seq</c> is assigned here) unless it repeats an earlier send, in
    /// which case the earlier answer is returned. <paramref name="admit"/> runs under the lock for new envelopes
    /// only and returns a refusal code or null; running it under the lock means a mentorship that ends cannot
    /// gain an envelope after its queue was purged. <c>IsNew</c> tells the caller whether to deliver it live.
    /// </summary>
    public (Task<SendResult> Safe, bool IsNew) Accept(EnvelopeDocument envelope, Func<string?> admit)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(envelope.Id, out var pending))
            {
                return (SettledEnvelope.Of(pending.Document).SameSend(envelope) ? pending.Safe.Task : Refused(ErrorCodes.Conflict), false);
            }

            var earlier = _settled.GetValueOrDefault(envelope.Id) ?? (_store.Find(envelope.Id) is { } stored ? SettledEnvelope.Of(stored) : null);
            if (earlier is not null)
            {
                return (earlier.SameSend(envelope) ? Task.FromResult(new SendResult(envelope.Id, earlier.ReceivedAtMs)) : Refused(ErrorCodes.Conflict), false);
            }

            if (admit() is { } refusal)
            {
                return (Refused(refusal), false);
            }

            envelope.Seq = ++_seq;
            var accepted = new PendingEnvelope(envelope);
            _pending.Add(envelope.Id, accepted);
            _toWriter.Writer.TryWrite(accepted);
            return (accepted.Safe.Task, true);
        }
    }

    /// <summary>Deletes the envelopes <paramref name="recipientId"/> acknowledges; returns how many were held.</summary>
    public int Ack(string recipientId, IReadOnlyCollection<string> envelopeIds)
    {
        var released = new List<PendingEnvelope>();
        var onDisk = new List<string>();
        var count = 0;
        lock (_gate)
        {
            foreach (var id in envelopeIds.Distinct(StringComparer.Ordinal))
            {
                if (!_pending.TryGetValue(id, out var pending) || pending.Document.RecipientId != recipientId)
                {
                    onDisk.Add(id);
                }
                else if (pending.State == PendingState.Queued)
                {
                    // The recipient has it: it is safe without ever touching the disk.
                    pending.State = PendingState.Dropped;
                    _pending.Remove(id);
                    Remember(pending.Document);
                    released.Add(pending);
                    count++;
                }
                else if (!pending.DeleteAfterWrite)
                {
                    pending.DeleteAfterWrite = true;
                    count++;
                }
            }
        }

        foreach (var pending in released)
        {
            pending.Safe.TrySetResult(pending.Result);
        }

        return count + _store.DeleteFor(recipientId, onDisk);
    }

    /// <summary>What <paramref name="recipientId"/> has waiting, stored or still pending, in acceptance order.</summary>
    public IReadOnlyList<EnvelopeDocument> QueuedFor(string recipientId)
    {
        List<EnvelopeDocument> pending;
        lock (_gate)
        {
            pending = [.. _pending.Values.Where(p => p.Document.RecipientId == recipientId && !p.DeleteAfterWrite).Select(p => p.Document)];
        }

        var stored = _store.QueuedFor(recipientId);
        return [.. stored.Concat(pending).DistinctBy(e => e.Id, StringComparer.Ordinal).OrderBy(e => e.Seq)];
    }

    /// <summary>Deletes every envelope of a mentorship, stored or pending; pending senders are refused with mentorship_ended.</summary>
    public int Purge(string mentorshipId)
    {
        var refused = new List<PendingEnvelope>();
        lock (_gate)
        {
            foreach (var pending in _pending.Values.Where(p => p.Document.MentorshipId == mentorshipId).ToList())
            {
                if (pending.State == PendingState.Queued)
                {
                    pending.State = PendingState.Dropped;
                    _pending.Remove(pending.Document.Id);
                    refused.Add(pending);
                }
                else
                {
                    pending.DeleteAfterWrite = true;
                }
            }
        }

        foreach (var pending in refused)
        {
            pending.Safe.TrySetException(new RelayRefusal(ErrorCodes.MentorshipEnded));
        }

        return refused.Count + _store.DeleteMentorship(mentorshipId);
    }

    /// <summary>Takes up to <paramref name="max"/> envelopes for the next batch, skipping dropped ones.</summary>
    internal List<PendingEnvelope> TakeBatch(int max)
    {
        var batch = new List<PendingEnvelope>();
        lock (_gate)
        {
            while (batch.Count < max && _toWriter.Reader.TryRead(out var pending))
            {
                if (pending.State == PendingState.Queued)
                {
                    pending.State = PendingState.Writing;
                    batch.Add(pending);
                }
            }
        }

        return batch;
    }

    /// <summary>After a commit: the batch is safe; returns the ids to delete again (acknowledged or purged meanwhile).</summary>
    internal List<PendingEnvelope> Settle(IReadOnlyList<PendingEnvelope> batch)
    {
        var deleteAgain = new List<PendingEnvelope>();
        lock (_gate)
        {
            foreach (var pending in batch)
            {
                _pending.Remove(pending.Document.Id);
                Remember(pending.Document);
                if (pending.DeleteAfterWrite)
                {
                    deleteAgain.Add(pending);
                }
            }
        }

        return deleteAgain;
    }

    /// <summary>After a failed commit: nothing of the batch is safe; its senders are refused and may resend.</summary>
    internal void Fail(IReadOnlyList<PendingEnvelope> batch)
    {
        lock (_gate)
        {
            foreach (var pending in batch)
            {
                _pending.Remove(pending.Document.Id);
            }
        }

        foreach (var pending in batch)
        {
            pending.Safe.TrySetException(new RelayRefusal(ErrorCodes.Unavailable));
        }
    }

    private void Remember(EnvelopeDocument envelope)
    {
        if (_settled.TryAdd(envelope.Id, SettledEnvelope.Of(envelope)))
        {
            _settledOrder.Enqueue(envelope.Id);
            while (_settledOrder.Count > _options.Value.RememberedEnvelopeIds)
            {
                _settled.Remove(_settledOrder.Dequeue());
            }
        }
    }

    private static Task<SendResult> Refused(string code) => Task.FromException<SendResult>(new RelayRefusal(code));
}
