using System.Collections.Concurrent;
using System.Diagnostics;
using SafeMentor.Contracts;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>
/// What one measured run (one target, one repeat) saw: its streams and the envelopes that arrived for them.
/// Envelopes of other runs (a warm-up, an earlier repeat) are counted as stale and otherwise ignored.
/// </summary>
internal sealed class RunRecorder
{
    private static int s_lastRun;
    private readonly List<LoadStream> _streams = [];
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private long _stale;
    private long _measureEnd = long.MaxValue;

    public RunRecorder()
    {
        Id = Interlocked.Increment(ref s_lastRun);

        // Envelope ids must never repeat on one relay: it would answer a repeated id from its memory.
        Tag = $"b{Environment.ProcessId:x}r{Id}";
    }

    public int Id { get; }

    public string Tag { get; }

    public IReadOnlyList<LoadStream> Streams => _streams;

    /// <summary>Receipts after this time do not count toward the run's throughput (Stopwatch ticks).</summary>
    public long MeasureEnd
    {
        get => Interlocked.Read(ref _measureEnd);
        set => Interlocked.Exchange(ref _measureEnd, value);
    }

    public long Stale => Interlocked.Read(ref _stale);

    public IReadOnlyDictionary<string, int> Errors => _errors;

    public LoadStream AddStream(LoadConnection sender, string recipientId, string mentorshipId)
    {
        var stream = new LoadStream(_streams.Count, sender, recipientId, mentorshipId, this);
        _streams.Add(stream);
        return stream;
    }

    public void OnEnvelope(EnvelopeDto envelope)
    {
        var now = Stopwatch.GetTimestamp();
        if (!Payload.TryRead(envelope.Ciphertext, out var run, out var stream, out var sequence, out var sentAt)
            || run != Id || stream < 0 || stream >= _streams.Count)
        {
            Interlocked.Increment(ref _stale);
            return;
        }

        _streams[stream].OnReceived(sequence, sentAt, now);
    }

    public void NoteError(Exception e)
    {
        // Hub refusals end with the error code; anything else is named by its type.
        var message = e.Message;
        var code = e is Microsoft.AspNetCore.SignalR.HubException && message.LastIndexOf(": ", StringComparison.Ordinal) is var at and >= 0
            ? message[(at + 2)..]
            : e.GetType().Name;
        _errors.AddOrUpdate(code, 1, (_, n) => n + 1);
    }

    public long Sent => _streams.Sum(s => s.Sent);

    public long Safe => _streams.Sum(s => (long)s.SafeCount);

    public long Received => _streams.Sum(s => (long)s.ReceivedCount);

    public long ReceivedInWindow => _streams.Sum(s => s.ReceivedInWindow);

    public long SendErrors => _streams.Sum(s => s.SendErrors);

    public long Duplicates => _streams.Sum(s => s.Duplicates);

    public long OutOfOrder => _streams.Sum(s => s.OutOfOrder);

    public long Lost => _streams.Sum(s => s.Lost());

    public Percentiles SafeLatency => LatencyList.Merge(_streams.Select(s => s.SafeLatency));

    public Percentiles ReceiptLatency => LatencyList.Merge(_streams.Select(s => s.ReceiptLatency));

    /// <summary>Waits until every envelope answered as safe has arrived, or nothing has arrived for <paramref name="quiet"/>.</summary>
    public async Task WaitForDeliveryAsync(TimeSpan quiet, CancellationToken cancellationToken)
    {
        var last = -1L;
        var lastChange = Stopwatch.GetTimestamp();
        while (true)
        {
            var received = Received;
            if (received >= Safe)
            {
                return;
            }

            if (received != last)
            {
                last = received;
                lastChange = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastChange) > quiet)
            {
                return;
            }

            await Task.Delay(5, cancellationToken);
        }
    }
}
