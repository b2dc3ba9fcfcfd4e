using Microsoft.Extensions.Options;
using SafeMentor.Contracts;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Accepts envelopes, hands them to the storage writer, and tells each sender when its envelope is safe:
/// committed to disk, or acknowledged by its recipient before the writer took it (then it is never written).
/// All bookkeeping happens in memory under one short lock; disk work happens on the writer, and reads of stored
/// envelopes happen outside the lock.
/// </summary>
/// <remarks>
/// What the queue keeps in memory is independent of how much ciphertext is stored: envelopes until they are
/// durable, recently settled ids (for idempotent resends), a 64-bit fingerprint per stored envelope (so that
/// checking a resend needs no disk read unless it is one), and per recipient and mentorship a count and a byte
/// total (the quota). Delivery is in <c>EnvelopeQueue.Delivery.cs</c>, acknowledgements in <c>EnvelopeQueue.Acks.cs</c>.
/// </remarks>
internal sealed partial class EnvelopeQueue
{
    private const string BatchNote = "envelopes";

    private readonly EnvelopeStore _store;
    private readonly StorageWriter _writer;
    private readonly MentorshipRegistry _registry;
    private readonly RelayOptions _options;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, QueuedEnvelope> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SettledEnvelope> _settled = new(StringComparer.Ordinal);
    private readonly Queue<string> _settledOrder = new();
    private readonly Dictionary<ulong, int> _stored = [];
    private readonly Dictionary<(string Mentorship, string Recipient), QueueUsage> _usage = [];
    private long _seq;

    public EnvelopeQueue(EnvelopeStore store, StorageWriter writer, MentorshipRegistry registry, IOptions<RelayOptions> options)
    {
        _store = store;
        _writer = writer;
        _registry = registry;
        _options = options.Value;
        var legacy = new List<EnvelopeDocument>();
        var unsized = new List<string>();
        foreach (var envelope in store.AllStored())
        {
            _seq = Math.Max(_seq, envelope.Seq);
            if (envelope.EnvelopeId.Length == 0)
            {
                legacy.Add(store.Find(envelope.Id)!);
                continue;
            }

            // A size of 0 is an empty ciphertext or a document from before sizes were stored: read it to know which.
            var size = envelope.Size;
            if (size == 0 && (size = store.Find(envelope.Id)!.Ciphertext.Length) > 0)
            {
                unsized.Add(envelope.Id);
            }

            AddStored(envelope.Id);
            Usage(envelope.MentorshipId, envelope.RecipientId).Add(size);
        }

        if (legacy.Count > 0)
        {
            Upgrade(legacy);
        }

        StoreSizes(unsized);
    }

    internal MentorshipRegistry Registry => _registry;

    /// <summary>Envelopes and bytes counted against a recipient's quota in a mentorship (diagnostics and tests).</summary>
    public (int Envelopes, long Bytes) QueuedFor(string mentorshipId, string recipientId)
    {
        lock (_gate)
        {
            return _usage.TryGetValue((mentorshipId, recipientId), out var usage) ? (usage.Count, usage.Bytes) : (0, 0);
        }
    }

    /// <summary>
    /// Accepts a send, or answers a resend of an earlier one with its earlier answer. <paramref name="envelope"/>
    /// carries the sender's fields and <see cref="EnvelopeDocument.Id"/>; the sequence is assigned here. Runs
    /// without awaiting, so sends on one connection are accepted in the order they arrive.
    /// </summary>
    public Task<SendResult> Accept(EnvelopeDocument envelope)
    {
        lock (_gate)
        {
            if (Earlier(envelope) is { } earlier)
            {
                return earlier;
            }

            if (!_stored.ContainsKey(Fingerprint(envelope.Id)))
            {
                return AcceptNew(envelope);
            }
        }

        // The key may be stored: look it up on disk, outside the lock, and decide again under it.
        if (_store.Find(envelope.Id) is { } stored)
        {
            return SettledEnvelope.Of(stored).SameSend(envelope)
                ? Task.FromResult(new SendResult(stored.EnvelopeId, stored.ReceivedAtMs))
                : Refused(ErrorCodes.Conflict);
        }

        lock (_gate)
        {
            return Earlier(envelope) ?? AcceptNew(envelope);
        }
    }

    /// <summary>Inside the transaction that ends a mentorship: deletes its stored envelopes and refuses those of this batch.</summary>
    public static List<string> Purge(WriteScope scope, string mentorshipId)
    {
        var keys = EnvelopeStore.DeleteMentorship(scope, mentorshipId);
        if (scope.TryGetNote<List<EnvelopeWrite>>(BatchNote, out var batch))
        {
            foreach (var write in batch.Where(w => w.Envelope.Document.MentorshipId == mentorshipId))
            {
                write.RefusedWith = ErrorCodes.MentorshipEnded;
            }
        }

        return keys;
    }

    /// <summary>After the ending is durable: forgets what memory held of the mentorship's deleted envelopes.</summary>
    public void Purged(MentorshipState ended, IReadOnlyList<string> keys)
    {
        lock (_gate)
        {
            foreach (var key in keys)
            {
                RemoveStored(key);
            }

            foreach (var party in new[] { ended.Mentorship.MentorId, ended.Mentorship.MenteeId })
            {
                _usage.Remove((ended.Mentorship.Id, party));
                ForgetDelivered(party, ended.Mentorship.Id);
            }
        }
    }

    /// <summary>On the writer's thread, applying an envelope: false when it was acknowledged or refused before the writer took it.</summary>
    internal bool Take(QueuedEnvelope envelope)
    {
        lock (_gate)
        {
            if (envelope.State == EnvelopeState.Queued)
            {
                envelope.State = EnvelopeState.Taken;
            }

            return envelope.State == EnvelopeState.Taken;
        }
    }

    /// <summary>Inside a write: remembers that this batch stores the envelope, so that an ending later in the batch can refuse it.</summary>
    internal static void Applied(WriteScope scope, EnvelopeWrite write) => scope.Note<List<EnvelopeWrite>>(BatchNote).Add(write);

    /// <summary>After the commit: the envelope is on disk and its sender is told.</summary>
    internal void Stored(QueuedEnvelope envelope)
    {
        lock (_gate)
        {
            envelope.State = EnvelopeState.Stored;
            _pending.Remove(envelope.Key);
            AddStored(envelope.Key);
            StoredBacklog(envelope);
        }

        envelope.Safe.TrySetResult(envelope.Result);
    }

    /// <summary>After the commit (or a failed write): the envelope was not stored; its sender is refused with <paramref name="code"/>.</summary>
    internal void Refuse(QueuedEnvelope envelope, string code)
    {
        lock (_gate)
        {
            envelope.State = EnvelopeState.Refused;
            _pending.Remove(envelope.Key);
            Release(envelope.Document.MentorshipId, envelope.Document.RecipientId, envelope.Document.Ciphertext.Length);
            RemoveLive(envelope);
            StoredBacklog(envelope);
        }

        envelope.Safe.TrySetException(new RelayRefusal(code));
    }

    /// <summary>
    /// Envelopes stored by the first storage layout were keyed by envelope id alone; rekeys them by sender and
    /// envelope id, with their queue position, once, before the queue serves anyone.
    /// </summary>
    private void Upgrade(List<EnvelopeDocument> legacy)
    {
        foreach (var envelope in legacy)
        {
            var oldId = envelope.Id;
            envelope.EnvelopeId = oldId;
            envelope.Id = EnvelopeDocument.KeyOf(envelope.SenderId, oldId);
            envelope.QueueKey = EnvelopeDocument.QueueKeyOf(envelope.RecipientId, envelope.Seq);
            AddStored(envelope.Id);
            Usage(envelope.MentorshipId, envelope.RecipientId).Add(envelope.Ciphertext.Length);
        }

        _writer.WriteAsync(scope =>
        {
            var envelopes = scope.Collection<EnvelopeDocument>(Collections.Envelopes);
            foreach (var envelope in legacy)
            {
                envelopes.Delete(envelope.EnvelopeId);
                envelopes.Insert(envelope);
            }
        }).GetAwaiter().GetResult();
    }

    /// <summary>At start: writes the size into documents stored before it was, so that later starts need not read their ciphertext.</summary>
    private void StoreSizes(List<string> keys)
    {
        foreach (var chunk in keys.Chunk(256))
        {
            _writer.WriteAsync(scope =>
            {
                var envelopes = scope.Collection<EnvelopeDocument>(Collections.Envelopes);
                foreach (var key in chunk)
                {
                    // Read back, the ciphertext sets the size, and the update stores it.
                    if (envelopes.FindById(key) is { } envelope)
                    {
                        envelopes.Update(envelope);
                    }
                }
            }).GetAwaiter().GetResult();
        }
    }

    private Task<SendResult>? Earlier(EnvelopeDocument envelope)
    {
        if (_pending.TryGetValue(envelope.Id, out var pending))
        {
            return SettledEnvelope.Of(pending.Document).SameSend(envelope) ? pending.Safe.Task : Refused(ErrorCodes.Conflict);
        }

        if (_settled.TryGetValue(envelope.Id, out var settled))
        {
            return settled.SameSend(envelope) ? Task.FromResult(new SendResult(envelope.EnvelopeId, settled.ReceivedAtMs)) : Refused(ErrorCodes.Conflict);
        }

        return null;
    }

    private Task<SendResult> AcceptNew(EnvelopeDocument envelope)
    {
        if (_registry.AdmitSend(envelope.MentorshipId, envelope.SenderId, envelope.RecipientId) is { } refusal)
        {
            return Refused(refusal);
        }

        var usage = Usage(envelope.MentorshipId, envelope.RecipientId);
        if (usage.Count >= _options.MaxQueuedEnvelopes || usage.Bytes + envelope.Ciphertext.Length > _options.MaxQueuedBytes)
        {
            return Refused(ErrorCodes.QueueFull);
        }

        usage.Add(envelope.Ciphertext.Length);
        envelope.Seq = ++_seq;
        envelope.QueueKey = EnvelopeDocument.QueueKeyOf(envelope.RecipientId, envelope.Seq);
        var accepted = new QueuedEnvelope(envelope);
        _pending.Add(envelope.Id, accepted);

        // Still under the lock: the recipient's connections see envelopes in acceptance order, and so does the writer
        // (those given a grace, in their own acceptance order, after it).
        AppendLive(accepted);
        Hand(accepted);
        return accepted.Safe.Task;
    }

    private QueueUsage Usage(string mentorshipId, string recipientId)
    {
        if (!_usage.TryGetValue((mentorshipId, recipientId), out var usage))
        {
            usage = new QueueUsage();
            _usage.Add((mentorshipId, recipientId), usage);
        }

        return usage;
    }

    private void Release(string mentorshipId, string recipientId, int bytes)
    {
        if (_usage.TryGetValue((mentorshipId, recipientId), out var usage))
        {
            usage.Remove(bytes);
            if (usage.Count == 0)
            {
                _usage.Remove((mentorshipId, recipientId));
            }
        }
    }

    private void Remember(string key, SettledEnvelope settled)
    {
        if (_settled.TryAdd(key, settled))
        {
            _settledOrder.Enqueue(key);
            while (_settledOrder.Count > _options.RememberedEnvelopeIds)
            {
                _settled.Remove(_settledOrder.Dequeue());
            }
        }
    }

    private void AddStored(string key) => _stored[Fingerprint(key)] = _stored.GetValueOrDefault(Fingerprint(key)) + 1;

    private void RemoveStored(string key)
    {
        var fingerprint = Fingerprint(key);
        if (_stored.TryGetValue(fingerprint, out var count))
        {
            if (count <= 1)
            {
                _stored.Remove(fingerprint);
            }
            else
            {
                _stored[fingerprint] = count - 1;
            }
        }
    }

    /// <summary>64-bit FNV-1a of the key: a fingerprint, not a secret; a collision only costs a disk read.</summary>
    private static ulong Fingerprint(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static Task<SendResult> Refused(string code) => Task.FromException<SendResult>(new RelayRefusal(code));

    /// <summary>Envelopes and bytes held for one recipient in one mentorship: stored, or accepted and not yet settled.</summary>
    private sealed class QueueUsage
    {
        public int Count { get; private set; }

        public long Bytes { get; private set; }

        public void Add(int bytes)
        {
            Count++;
            Bytes += bytes;
        }

        public void Remove(int bytes)
        {
            Count--;
            Bytes -= bytes;
        }
    }
}
