using System.Diagnostics;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>The three ways the bench sends: a window of sends in flight for a time, a fixed count with a window, a fixed rate.</summary>
internal static class Senders
{
    /// <summary>
    /// Each stream keeps <paramref name="window"/> sends in flight until <paramref name="duration"/> has passed
    /// (a closed loop: a slower server gets fewer sends). Returns when every send has been answered.
    /// </summary>
    public static async Task RunWindowAsync(RunRecorder run, int window, int size, TimeSpan duration, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        run.MeasureEnd = deadline;
        await Task.WhenAll(run.Streams.Select(stream => SendLoopAsync(stream, window, size, () => Stopwatch.GetTimestamp() < deadline, cancellationToken)));
    }

    /// <summary>Each stream sends <paramref name="count"/> envelopes, <paramref name="window"/> in flight at a time.</summary>
    public static Task RunCountAsync(RunRecorder run, int window, int size, long count, CancellationToken cancellationToken)
        => Task.WhenAll(run.Streams.Select(stream => SendLoopAsync(stream, window, size, () => stream.Sent < count, cancellationToken)));

    /// <summary>
    /// Sends at <paramref name="rate"/> envelopes per second in total, spread round-robin over the streams, for
    /// <paramref name="duration"/>, without waiting for answers (an open loop: a server that falls behind builds a
    /// backlog, and the latency, measured from each envelope's scheduled time, shows it). At most
    /// <paramref name="maxOutstanding"/> sends wait for an answer (the bench passes one second's worth); beyond that a
    /// due send is skipped and counted, so a server that cannot keep up is not buried under an ever-growing backlog.
    /// Receipts up to <paramref name="grace"/> after the last scheduled send count as delivered within the run.
    /// </summary>
    public static async Task<(long Scheduled, long Skipped)> RunRateAsync(
        RunRecorder run, int rate, int size, TimeSpan duration, TimeSpan grace, long maxOutstanding, CancellationToken cancellationToken)
    {
        var streams = run.Streams;
        var interval = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        run.MeasureEnd = end + (long)(grace.TotalSeconds * Stopwatch.Frequency);
        var outstanding = 0L;
        var skipped = 0L;
        var pending = new List<Task>();
        long i = 0;
        while (true)
        {
            var due = start + (long)(i * interval);
            if (due >= end)
            {
                break;
            }

            var now = Stopwatch.GetTimestamp();
            if (due > now)
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, (due - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)), cancellationToken);
                continue;
            }

            var stream = streams[(int)(i % streams.Count)];
            i++;
            if (Interlocked.Read(ref outstanding) >= maxOutstanding)
            {
                skipped++;
                continue;
            }

            Interlocked.Increment(ref outstanding);
            pending.Add(SendAndCountAsync(stream, size, due));
        }

        await Task.WhenAll(pending);
        return (i, skipped);

        async Task SendAndCountAsync(LoadStream stream, int size, long due)
        {
            await stream.SendNextAsync(size, due);
            Interlocked.Decrement(ref outstanding);
        }
    }

    private static async Task SendLoopAsync(LoadStream stream, int window, int size, Func<bool> more, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(window);
        while (true)
        {
            await slots.WaitAsync(cancellationToken);
            if (!more())
            {
                slots.Release();
                break;
            }

            _ = SendAndReleaseAsync(stream, size, slots);
        }

        // Every slot back means every send of this stream has been answered.
        for (var i = 0; i < window; i++)
        {
            await slots.WaitAsync(cancellationToken);
        }

        static async Task SendAndReleaseAsync(LoadStream stream, int size, SemaphoreSlim slots)
        {
            await stream.SendNextAsync(size, Stopwatch.GetTimestamp());
            slots.Release();
        }
    }
}
