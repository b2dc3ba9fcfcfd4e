using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using SafeMentor.Contracts;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>
/// One direction of one pair within one run: a sender's connection, the recipient and the mentorship, the next
/// sequence number, and what both ends saw. Sequence numbers start at 0 and are given out in send order.
/// </summary>
internal sealed class LoadStream(int id, LoadConnection sender, string recipientId, string mentorshipId, RunRecorder run)
{
    private readonly Lock _sendGate = new();
    private readonly Lock _receiveGate = new();
    private readonly SequenceSet _safe = new();
    private readonly SequenceSet _received = new();
    private readonly LatencyList _safeLatency = new();
    private readonly LatencyList _receiptLatency = new();
    private long _nextSequence;
    private long _highestReceived = -1;

    public int Id { get; } = id;

    public long Sent => Interlocked.Read(ref _nextSequence);

    public long SendErrors { get; private set; }

    public long Duplicates { get; private set; }

    public long OutOfOrder { get; private set; }

    public long ReceivedInWindow { get; private set; }

    public int SafeCount
    {
        get
        {
            lock (_sendGate)
            {
                return _safe.Count;
            }
        }
    }

    public int ReceivedCount
    {
        get
        {
            lock (_receiveGate)
            {
                return _received.Count;
            }
        }
    }

    public LatencyList SafeLatency => _safeLatency;

    public LatencyList ReceiptLatency => _receiptLatency;

    /// <summary>
    /// Sends the next envelope; <paramref name="sentAt"/> is when it was due (for fixed-rate runs, the schedule, so a
    /// server that falls behind shows it in the latency). Completes when the relay's answer (or an error) is recorded;
    /// it never throws. Callers send one stream from one loop, so sequence numbers follow send order.
    /// </summary>
    public async Task SendNextAsync(int size, long sentAt)
    {
        var sequence = Interlocked.Increment(ref _nextSequence) - 1;
        var payload = Payload.Create(size, run.Id, Id, sequence, sentAt);
        try
        {
            await sender.Connection.InvokeAsync<SendResult>(HubMethods.Send, $"{run.Tag}s{Id}n{sequence}", mentorshipId, recipientId, payload);
            var latency = Stopwatch.GetTimestamp() - sentAt;
            lock (_sendGate)
            {
                _safe.Add(sequence);
                _safeLatency.Add(latency);
            }
        }
        catch (Exception e) when (e is HubException or InvalidOperationException or IOException or OperationCanceledException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            lock (_sendGate)
            {
                SendErrors++;
            }

            run.NoteError(e);
        }
    }

    public void OnReceived(long sequence, long sentAt, long now)
    {
        lock (_receiveGate)
        {
            if (!_received.Add(sequence))
            {
                Duplicates++;
                return;
            }

            if (sequence < _highestReceived)
            {
                OutOfOrder++;
            }
            else
            {
                _highestReceived = sequence;
            }

            _receiptLatency.Add(now - sentAt);
            if (now <= run.MeasureEnd)
            {
                ReceivedInWindow++;
            }
        }
    }

    /// <summary>Envelopes the relay answered as safe that never reached the recipient.</summary>
    public long Lost()
    {
        lock (_sendGate)
        {
            lock (_receiveGate)
            {
                long lost = 0;
                for (long sequence = 0; sequence < Sent; sequence++)
                {
                    if (_safe.Contains(sequence) && !_received.Contains(sequence))
                    {
                        lost++;
                    }
                }

                return lost;
            }
        }
    }
}
