using Microsoft.Extensions.Options;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Audit;

/// <summary>
/// Signs the chain head with the server's key: every <see cref="AuditOptions.CheckpointIntervalMinutes"/> on the
/// injected clock, and on demand (every audit export). A head that is already signed is not signed again.
/// </summary>
internal sealed partial class AuditCheckpointer(StorageWriter writer, AuditKey key, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditCheckpointer> logger) : BackgroundService
{
    /// <summary>Signs the current head, durably, unless it is signed already; returns the checkpoint over it.</summary>
    public Task<AuditCheckpointDocument> CheckpointAsync()
        => writer.WriteAsync(scope =>
        {
            var head = AuditTrail.Head(scope);
            var checkpoints = scope.Collection<AuditCheckpointDocument>(Collections.AuditCheckpoints);
            if (checkpoints.FindById(head.Seq) is { } existing)
            {
                return existing;
            }

            var signed = key.Sign(head.Seq, head.Hash, time.GetUtcNow().ToUnixTimeMilliseconds());
            var document = new AuditCheckpointDocument { Id = signed.Seq, HeadHash = signed.HeadHash, TimeMs = signed.TimeMs, Signature = signed.Signature };
            checkpoints.Insert(document);
            return document;
        });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMinutes(options.Value.CheckpointIntervalMinutes);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                try
                {
                    var checkpoint = await CheckpointAsync().ConfigureAwait(false);
                    LogCheckpoint(logger, checkpoint.Id);
                }
                catch (StorageFaultException)
                {
                    LogCheckpointFailed(logger);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit chain signed at seq {Seq}")]
    private static partial void LogCheckpoint(ILogger logger, long seq);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduled audit checkpoint could not be stored; the next one will cover the same entries")]
    private static partial void LogCheckpointFailed(ILogger logger);
}
