using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using SafeMentor.Client.Messaging;
using SafeMentor.Client.Storage;
using SafeMentor.Contracts;
using SafeMentor.Protocol;

namespace SafeMentor.Client;

public sealed partial class SafeMentorClient
{
    // Payload text limit: leaves room for the JSON around it inside the protocol's largest payload.
    private const int MaxTextBytes = 60_000;

    private readonly SemaphoreSlim _outboxSignal = new(0, int.MaxValue);

    /// <summary>A message arrived from a counterpart and was stored (before it was acknowledged).</summary>
    public event EventHandler<MessageReceivedEventArgs>? MessageReceived;

    /// <summary>An outgoing message changed status (sent, or failed for good).</summary>
    public event EventHandler<MessageReceivedEventArgs>? MessageStatusChanged;

    /// <summary>
    /// Writes a text message: it is stored in the history and the outbox at once (durably) and leaves when connected,
    /// exactly once, whatever happens to the connection meanwhile.
    /// </summary>
    public async Task<ChatMessage> SendTextAsync(string mentorshipId, string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0 || Encoding.UTF8.GetByteCount(text) > MaxTextBytes)
        {
            throw new SafeMentorException(ClientErrorCodes.InvalidText, $"A message has 1 to {MaxTextBytes} bytes of text.");
        }

        var payload = new AppPayload { Type = AppPayload.Text, Id = NewId(), SentAtMs = NowMs, Body = text };
        var entry = await EnqueueAsync(mentorshipId, payload, cancellationToken).ConfigureAwait(false);
        return entry!;
    }

    /// <summary>The local history of a mentorship, oldest first.</summary>
    public Task<IReadOnlyList<ChatMessage>> GetHistoryAsync(string mentorshipId)
    {
        var sequence = _store.GetJson<Sequence>(RecordNames.History(mentorshipId)) ?? new Sequence(0, 0);
        var messages = new List<ChatMessage>();
        for (var i = sequence.First; i < sequence.Next; i++)
        {
            if (_store.GetJson<HistoryEntry>(RecordNames.HistoryItem(mentorshipId, i)) is { } e)
            {
                messages.Add(ToMessage(mentorshipId, e));
            }
        }

        return Task.FromResult<IReadOnlyList<ChatMessage>>(messages);
    }

    /// <summary>
    /// Deletes, in every mentorship, the local history older than the ground rules' client-history retention term
    /// (as last read from the server). Returns how many messages were deleted.
    /// </summary>
    public async Task<int> DeleteExpiredHistoryAsync(CancellationToken cancellationToken = default)
    {
        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deleted = 0;
            foreach (var mentorshipId in _store.GetJson<HistoryIndex>(RecordNames.HistoryIndex)?.MentorshipIds ?? [])
            {
                if (_store.GetJson<GroundRulesDto>(RecordNames.GroundRules(mentorshipId)) is not { } rules)
                {
                    continue;
                }

                var cutoff = NowMs - rules.ClientHistoryRetentionMs;
                var sequence = _store.GetJson<Sequence>(RecordNames.History(mentorshipId)) ?? new Sequence(0, 0);
                var first = sequence.First;
                var removed = new List<(long Sequence, string MessageId)>();
                while (first < sequence.Next)
                {
                    var e = _store.GetJson<HistoryEntry>(RecordNames.HistoryItem(mentorshipId, first));
                    if (e is not null && e.StoredAtMs >= cutoff)
                    {
                        break;
                    }

                    if (e is not null)
                    {
                        removed.Add((first, e.MessageId));
                    }

                    first++;
                }

                if (first == sequence.First)
                {
                    continue;
                }

                _store.Write(b =>
                {
                    foreach (var (seq, messageId) in removed)
                    {
                        b.Delete(RecordNames.HistoryItem(mentorshipId, seq));
                        b.Delete(RecordNames.Message(messageId));
                    }

                    b.PutJson(RecordNames.History(mentorshipId), sequence with { First = first });
                });
                deleted += removed.Count;
            }

            return deleted;
        }
        finally
        {
            _stateGate.Release();
        }
    }

    /// <summary>How many messages (and control messages) wait in the outbox.</summary>
    public int PendingOutboxCount
    {
        get
        {
            var sequence = _store.GetJson<Sequence>(RecordNames.Outbox) ?? new Sequence(0, 0);
            var count = 0;
            for (var i = sequence.First; i < sequence.Next; i++)
            {
                count += _store.Get(RecordNames.OutboxItem(i)) is null ? 0 : 1;
            }

            return count;
        }
    }

    /// <summary>Waits until the outbox is empty (everything written is safe on the server).</summary>
    public async Task WaitForOutboxEmptyAsync(CancellationToken cancellationToken = default)
    {
        while (PendingOutboxCount > 0)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ChatMessage?> EnqueueAsync(string mentorshipId, AppPayload payload, CancellationToken cancellationToken)
    {
        var (counterpart, _) = await CounterpartAsync(mentorshipId, cancellationToken).ConfigureAwait(false);
        var me = _identity!.AccountId;
        ChatMessage? message = null;
        await _stateGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var outbox = _store.GetJson<Sequence>(RecordNames.Outbox) ?? new Sequence(0, 0);
            var entry = new OutboxEntry(outbox.Next, mentorshipId, counterpart, payload.Id, payload.ToUtf8(), null, payload.Type == AppPayload.Text);
            _store.Write(b =>
            {
                b.PutJson(RecordNames.OutboxItem(entry.Sequence), entry);
                b.PutJson(RecordNames.Outbox, outbox with { Next = outbox.Next + 1 });
                if (payload.Type == AppPayload.Text)
                {
                    var history = new HistoryEntry(payload.Id, me, true, payload.SentAtMs, NowMs, payload.Body!, MessageStatus.Pending);
                    AppendHistory(b, mentorshipId, history, new Dictionary<string, Sequence>(StringComparer.Ordinal));
                    message = ToMessage(mentorshipId, history);
                }
            });
        }
        finally
        {
            _stateGate.Release();
        }

        _outboxSignal.Release();
        return message;
    }

    /// <summary>Appends to a mentorship's history within a batch; <paramref name="sequences"/> carries the counters across one batch.</summary>
    private void AppendHistory(SealedStore.Batch b, string mentorshipId, HistoryEntry entry, Dictionary<string, Sequence> sequences)
    {
        if (!sequences.TryGetValue(mentorshipId, out var sequence))
        {
            sequence = _store.GetJson<Sequence>(RecordNames.History(mentorshipId));
            if (sequence is null)
            {
                sequence = new Sequence(0, 0);
                var index = _store.GetJson<HistoryIndex>(RecordNames.HistoryIndex) ?? new HistoryIndex([]);
                if (!index.MentorshipIds.Contains(mentorshipId))
                {
                    index.MentorshipIds.Add(mentorshipId);
                    b.PutJson(RecordNames.HistoryIndex, index);
                }
            }
        }

        b.PutJson(RecordNames.HistoryItem(mentorshipId, sequence.Next), entry);
        b.PutJson(RecordNames.Message(entry.MessageId), new MessageLocation(mentorshipId, sequence.Next));
        sequences[mentorshipId] = sequence with { Next = sequence.Next + 1 };
        b.PutJson(RecordNames.History(mentorshipId), sequences[mentorshipId]);
    }

    private void SetStatus(SealedStore.Batch b, string messageId, MessageStatus status, List<ChatMessage> changed)
    {
        if (_store.GetJson<MessageLocation>(RecordNames.Message(messageId)) is not { } at
            || _store.GetJson<HistoryEntry>(RecordNames.HistoryItem(at.MentorshipId, at.Sequence)) is not { } entry)
        {
            return;
        }

        var updated = entry with { Status = status };
        b.PutJson(RecordNames.HistoryItem(at.MentorshipId, at.Sequence), updated);
        changed.Add(ToMessage(at.MentorshipId, updated));
    }

    private static ChatMessage ToMessage(string mentorshipId, HistoryEntry e)
        => new(mentorshipId, e.MessageId, e.SenderAccountId, e.Outgoing, e.SentAtMs, e.StoredAtMs, e.Text, e.Status);

    /// <summary>128 random bits, base64url: a message id, also used as the envelope id (the idempotency key).</summary>
    internal static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The code of a refused hub call: the text after the last ": " (docs/api.md, Hub errors).</summary>
    internal static string? HubCode(Exception e)
    {
        if (e is not HubException hub)
        {
            return null;
        }

        var marker = hub.Message.LastIndexOf(": ", StringComparison.Ordinal);
        return hub.Message.Contains("HubException", StringComparison.Ordinal) && marker >= 0 ? hub.Message[(marker + 2)..].Trim() : ErrorCodes.Unavailable;
    }

    private static bool IsPermanent(string? code) => code is ErrorCodes.MentorshipEnded or ErrorCodes.NotAParty or ErrorCodes.Malformed or ErrorCodes.TooLarge or ErrorCodes.Conflict;

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static ProtocolException? AsProtocol(Exception e) => e as ProtocolException;
}
