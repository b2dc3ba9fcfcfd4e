using System.Diagnostics;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// The acknowledgement grace: an envelope accepted for a recipient who is connected is handed to the storage writer
/// only if the recipient has not acknowledged it within <see cref="RelayOptions.LiveAckGraceMilliseconds"/>. Online,
/// most envelopes are acknowledged within milliseconds; the sender is then told they are safe by the acknowledgement,
/// and they are never written or deleted. "Safe" means what it always does (stored durably, or acknowledged); an
/// envelope in its grace is neither, so a crash loses only envelopes whose senders were not told they were safe.
/// </summary>
/// <remarks>
/// The grace runs on the machine's clock, not the injected one: it is flow control, not a policy. Envelopes leave it
/// in acceptance order. Nothing else changes for an envelope in its grace: it is delivered, counted in the quota,
/// refused if its mentorship ends, and judged again when it is written.
/// </remarks>
internal sealed partial class EnvelopeQueue
{
    private readonly Queue<(long Due, QueuedEnvelope Envelope)> _grace = new();
    private Timer? _graceTimer;

    /// <summary>Envelopes waiting out their grace (diagnostics and tests).</summary>
    public int InGrace
    {
        get
        {
            lock (_gate)
            {
                return _grace.Count;
            }
        }
    }

    /// <summary>Under the lock, at acceptance: to the writer now, or after the grace when the recipient is online.</summary>
    private void Hand(QueuedEnvelope accepted)
    {
        if (_options.LiveAckGraceMilliseconds == 0 || accepted.LiveNode is null)
        {
            _writer.Enqueue(new EnvelopeWrite(this, accepted));
            return;
        }

        // The timer is armed exactly while envelopes wait: the first to wait arms it, and EndGrace re-arms it for the next.
        if (_grace.Count == 0)
        {
            _graceTimer ??= new Timer(_ => EndGrace(), null, Timeout.Infinite, Timeout.Infinite);
            _graceTimer.Change(_options.LiveAckGraceMilliseconds, Timeout.Infinite);
        }

        _grace.Enqueue((Stopwatch.GetTimestamp() + Stopwatch.Frequency * _options.LiveAckGraceMilliseconds / 1000, accepted));
    }

    /// <summary>On the timer: envelopes whose grace is over and that are still unacknowledged go to the writer, in order.</summary>
    private void EndGrace()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            while (_grace.TryPeek(out var head) && head.Due <= now)
            {
                _grace.Dequeue();
                if (head.Envelope.State == EnvelopeState.Queued)
                {
                    _writer.Enqueue(new EnvelopeWrite(this, head.Envelope));
                }
            }

            if (_grace.TryPeek(out var next))
            {
                var wait = (next.Due - now) * 1000 / Stopwatch.Frequency;
                _graceTimer!.Change(Math.Max(1, wait), Timeout.Infinite);
            }
        }
    }
}
