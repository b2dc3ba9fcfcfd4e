using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace SafeMentor.Server.Messaging;

/// <summary>
/// Group commit: one writer takes whatever envelopes are pending, writes them in one transaction, makes that
/// durable, and only then tells their senders they are safe. Under load a batch grows while the previous one
/// is being written, so the cost of a durable commit is shared by many messages.
/// </summary>
internal sealed partial class EnvelopeWriter(EnvelopeQueue queue, EnvelopeStore store, IOptions<RelayOptions> options, ILogger<EnvelopeWriter> logger)
    : BackgroundService
{
    private long _commits;
    private long _written;

    /// <summary>Transactions committed so far (for tests and diagnostics).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Envelopes written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.WriterInput.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                var batch = queue.TakeBatch(options.Value.MaxBatchSize);
                if (batch.Count > 0)
                {
                    WriteBatch(batch);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down gracefully: write what was accepted, so that nothing waits for a resend needlessly.
            var rest = queue.TakeBatch(int.MaxValue);
            if (rest.Count > 0)
            {
                WriteBatch(rest);
            }
        }
    }

    private void WriteBatch(List<PendingEnvelope> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            store.WriteBatch([.. batch.Select(p => p.Document)]);
        }
        catch (Exception e) when (e is LiteDB.LiteException or IOException or InvalidOperationException)
        {
            LogBatchFailed(logger, e, batch.Count);
            queue.Fail(batch);
            return;
        }

        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _written, batch.Count);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogBatchCommitted(logger, batch.Count, elapsedMs);

        var deleteAgain = queue.Settle(batch);
        foreach (var pending in batch)
        {
            pending.Safe.TrySetResult(pending.Result);
        }

        foreach (var group in deleteAgain.GroupBy(p => p.Document.RecipientId, StringComparer.Ordinal))
        {
            store.DeleteFor(group.Key, [.. group.Select(p => p.Document.Id)]);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Committed {Count} envelopes in one transaction in {ElapsedMs:0.0} ms")]
    private static partial void LogBatchCommitted(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit a batch of {Count} envelopes; their senders were refused")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);
}
