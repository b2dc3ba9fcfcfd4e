using System.Threading.Channels;
using SafeMentor.Contracts;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Delivery: every connection of a recipient receives the recipient's envelopes in acceptance order, queued ones
/// first, then live ones, with never more than <see cref="RelayOptions.DeliveryWindow"/> unacknowledged.
/// </summary>
/// <remarks>
/// While a recipient has connections it has a <see cref="Mailbox"/>. Envelopes accepted for it since then are kept
/// in a short in-memory list (<see cref="Mailbox.Live"/>), so an online conversation needs no disk read. The list
/// is bounded: when it overflows, its oldest entries leave memory and <see cref="Mailbox.Floor"/> rises past them.
/// The invariant is that every unacknowledged envelope of the recipient with a sequence above the floor is in the
/// list; those at or below it are read from disk in pages (merged with the few accepted before the mailbox existed
/// and not yet durable, <see cref="Mailbox.Backlog"/>). Each connection has a cursor, the last sequence it was
/// given, so a connection that is slow, or starts while a long queue waits, pages through the disk and then joins
/// the live list without ever skipping or reordering an envelope. Memory is a page per connection and a bounded
/// list per recipient, whatever the length of the queue.
/// </remarks>
internal sealed partial class EnvelopeQueue
{
    private const long PageBytes = 1024 * 1024;

    private readonly Dictionary<string, Mailbox> _mailboxes = new(StringComparer.Ordinal);

    /// <summary>Registers a connection of <paramref name="accountId"/>; its pump then delivers from the start of the queue.</summary>
    public RelayConnection Connect(string connectionId, string accountId)
    {
        var connection = new RelayConnection(connectionId, accountId);
        lock (_gate)
        {
            if (!_mailboxes.TryGetValue(accountId, out var mailbox))
            {
                mailbox = new Mailbox(_seq);
                mailbox.Backlog.AddRange(_pending.Values
                    .Where(e => e.Document.RecipientId == accountId && !e.IsSettled)
                    .OrderBy(e => e.Document.Seq));
                _mailboxes.Add(accountId, mailbox);
            }

            mailbox.Connections.Add(connection);
        }

        return connection;
    }

    /// <summary>Forgets a closed connection; the recipient's mailbox goes with its last connection.</summary>
    public void Disconnect(RelayConnection connection)
    {
        connection.Close();
        connection.Dispose();
        lock (_gate)
        {
            if (_mailboxes.TryGetValue(connection.AccountId, out var mailbox) && mailbox.Connections.Remove(connection) && mailbox.Connections.Count == 0)
            {
                foreach (var live in mailbox.Live)
                {
                    live.LiveNode = null;
                }

                _mailboxes.Remove(connection.AccountId);
            }
        }
    }

    /// <summary>
    /// The next envelopes for <paramref name="connection"/>, in order, as many as its window allows (empty when
    /// there is nothing new or the window is full). Reads from disk happen outside the lock.
    /// </summary>
    internal List<EnvelopeDto> TakePage(RelayConnection connection)
    {
        long after, until;
        List<QueuedEnvelope> backlog;
        int room;
        lock (_gate)
        {
            room = _options.DeliveryWindow - connection.Unacked.Count;
            if (connection.IsClosed || room <= 0 || !_mailboxes.TryGetValue(connection.AccountId, out var mailbox))
            {
                return [];
            }

            if (connection.Cursor >= mailbox.Floor)
            {
                return TakeLive(connection, mailbox, room);
            }

            after = connection.Cursor;
            until = mailbox.Floor;
            backlog = [.. mailbox.Backlog.Where(e => e.Document.Seq > after && e.Document.Seq <= until && !IsGone(e))];
        }

        var stored = _store.Page(connection.AccountId, after, until, room, PageBytes);
        if (stored.Count > 0 && (stored.Count >= room || stored.Sum(e => (long)e.Ciphertext.Length) >= PageBytes))
        {
            until = stored[^1].Seq;
        }

        var merged = new SortedList<long, (EnvelopeDocument Document, QueuedEnvelope? Pending)>();
        foreach (var pending in backlog.Where(e => e.Document.Seq <= until))
        {
            merged[pending.Document.Seq] = (pending.Document, pending);
        }

        foreach (var envelope in stored)
        {
            merged.TryAdd(envelope.Seq, (envelope, null));
        }

        var page = new List<EnvelopeDto>(Math.Min(room, merged.Count));
        lock (_gate)
        {
            if (connection.IsClosed)
            {
                return [];
            }

            foreach (var (seq, (document, pending)) in merged)
            {
                if (page.Count == room)
                {
                    until = seq - 1;
                    break;
                }

                if (pending is not null && IsGone(pending))
                {
                    continue;
                }

                connection.Unacked[document.EnvelopeId] = DeliveredEnvelope.Of(document, pending);
                page.Add(document.ToDto());
            }

            connection.Cursor = until;
        }

        return page;
    }

    private static List<EnvelopeDto> TakeLive(RelayConnection connection, Mailbox mailbox, int room)
    {
        var page = new List<EnvelopeDto>();
        long bytes = 0;

        // Walk back to the first entry the connection has not seen; the list is short and usually seen up to its end.
        var node = mailbox.Live.Last;
        while (node?.Previous is { } previous && previous.Value.Document.Seq > connection.Cursor)
        {
            node = previous;
        }

        for (; node is not null && page.Count < room && bytes < PageBytes; node = node.Next)
        {
            var envelope = node.Value;
            if (envelope.Document.Seq <= connection.Cursor)
            {
                continue;
            }

            connection.Unacked[envelope.Document.EnvelopeId] = DeliveredEnvelope.Of(envelope.Document, envelope);
            connection.Cursor = envelope.Document.Seq;
            bytes += envelope.Document.Ciphertext.Length;
            page.Add(envelope.Document.ToDto());
        }

        return page;
    }

    /// <summary>Under the lock, at acceptance: the recipient's connections learn of the envelope.</summary>
    private void AppendLive(QueuedEnvelope envelope)
    {
        if (!_mailboxes.TryGetValue(envelope.Document.RecipientId, out var mailbox))
        {
            return;
        }

        envelope.LiveNode = mailbox.Live.AddLast(envelope);
        mailbox.LiveBytes += envelope.Document.Ciphertext.Length;
        while (mailbox.Live.First is { } first && (mailbox.Live.Count > _options.LiveEnvelopesPerRecipient || mailbox.LiveBytes > _options.LiveBytesPerRecipient))
        {
            // Out of memory, not out of the queue: at or below the floor, envelopes are read from disk.
            RemoveLive(first.Value, mailbox);
            mailbox.Floor = first.Value.Document.Seq;
            if (!first.Value.IsSettled)
            {
                mailbox.Backlog.Add(first.Value);
            }
        }

        foreach (var connection in mailbox.Connections)
        {
            connection.Signal();
        }
    }

    private void RemoveLive(QueuedEnvelope envelope)
    {
        if (envelope.LiveNode is not null && _mailboxes.TryGetValue(envelope.Document.RecipientId, out var mailbox))
        {
            RemoveLive(envelope, mailbox);
        }
    }

    private static void RemoveLive(QueuedEnvelope envelope, Mailbox mailbox)
    {
        if (envelope.LiveNode is { } node && node.List == mailbox.Live)
        {
            mailbox.Live.Remove(node);
            mailbox.LiveBytes -= envelope.Document.Ciphertext.Length;
        }

        envelope.LiveNode = null;
    }

    /// <summary>A settled envelope needs no place in a backlog: it is on disk, or gone.</summary>
    private void StoredBacklog(QueuedEnvelope envelope)
    {
        if (_mailboxes.TryGetValue(envelope.Document.RecipientId, out var mailbox) && mailbox.Backlog.Count > 0)
        {
            mailbox.Backlog.Remove(envelope);
        }
    }

    /// <summary>After a mentorship ended: its envelopes are no longer waiting for acknowledgement anywhere.</summary>
    private void ForgetDelivered(string recipientId, string mentorshipId)
    {
        if (!_mailboxes.TryGetValue(recipientId, out var mailbox))
        {
            return;
        }

        foreach (var stale in mailbox.Live.Where(e => e.Document.MentorshipId == mentorshipId && e.State == EnvelopeState.Stored).ToList())
        {
            RemoveLive(stale, mailbox);
        }

        foreach (var connection in mailbox.Connections)
        {
            foreach (var id in connection.Unacked.Where(d => d.Value.MentorshipId == mentorshipId).Select(d => d.Key).ToList())
            {
                connection.Unacked.Remove(id);
            }

            connection.Signal();
        }
    }

    private static bool IsGone(QueuedEnvelope envelope) => envelope.State is EnvelopeState.Dropped or EnvelopeState.Refused;

    /// <summary>A recipient with at least one connection.</summary>
    private sealed class Mailbox(long floor)
    {
        /// <summary>Every unacknowledged envelope with a higher sequence is in <see cref="Live"/>.</summary>
        public long Floor { get; set; } = floor;

        public LinkedList<QueuedEnvelope> Live { get; } = new();

        public long LiveBytes { get; set; }

        /// <summary>Envelopes at or below the floor that were not yet durable when they got there.</summary>
        public List<QueuedEnvelope> Backlog { get; } = [];

        public List<RelayConnection> Connections { get; } = [];
    }
}

/// <summary>One hub connection as the delivery sees it: how far it has been served, and what it has not acknowledged.</summary>
internal sealed class RelayConnection : IDisposable
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _closed = new();

    public RelayConnection(string connectionId, string accountId)
    {
        ConnectionId = connectionId;
        AccountId = accountId;
        Closed = _closed.Token;
    }

    public string ConnectionId { get; }

    public string AccountId { get; }

    /// <summary>The sequence of the last envelope given to this connection (or passed over, in a range it has read).</summary>
    public long Cursor { get; set; }

    /// <summary>Delivered and not yet acknowledged, by envelope id.</summary>
    public Dictionary<string, DeliveredEnvelope> Unacked { get; } = new(StringComparer.Ordinal);

    public bool IsClosed => Closed.IsCancellationRequested;

    public CancellationToken Closed { get; }

    /// <summary>Something may be ready: an envelope arrived, or an acknowledgement made room.</summary>
    public void Signal() => _wake.Writer.TryWrite(true);

    public ValueTask<bool> WaitAsync() => _wake.Reader.ReadAsync(Closed);

    public void Close() => _closed.Cancel();

    public void Dispose() => _closed.Dispose();
}
