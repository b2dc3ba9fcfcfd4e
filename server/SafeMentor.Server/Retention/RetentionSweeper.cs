using LiteDB;
using SafeMentor.Server.Audit;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Retention;

/// <summary>
/// Enforces retention on the server, every <see cref="RetentionOptions.SweepIntervalMinutes"/> on the injected
/// clock: deletes envelopes older than their programme's policy, what is left queued in ended mentorships, expired
/// invites and sign-in links, and audit bodies past their retention; then clears the deleted bytes from the
/// database file; and records a receipt and an audit entry.
/// </summary>
/// <remarks>
/// Candidates are read outside the writer and deleted by key in writes of at most
/// <see cref="RetentionOptions.SweepBatchSize"/>, one after the other, so the relay's own commits run between
/// them and a sweep of any size never holds the writer for long. Each batch updates the receipt in its own
/// transaction. LiteDB zeroes a deleted document's bytes in its page; a checkpoint then copies those pages into the
/// data file and empties the log, which is when the deleted bytes are gone from disk.
/// </remarks>
internal sealed partial class RetentionSweeper(
    Database database,
    EnvelopeStore store,
    StorageWriter writer,
    EnvelopeQueue queue,
    MentorshipRegistry registry,
    RetentionLedger ledger,
    AuditTrail audit,
    RetentionBounds bounds,
    TimeProvider time,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private DateTimeOffset _nextRunAt = time.GetUtcNow().AddMinutes(bounds.Options.SweepIntervalMinutes);

    private int BatchSize => bounds.Options.SweepBatchSize;

    /// <summary>The interval, the last run's start and the next scheduled run.</summary>
    public Contracts.SweepScheduleDto Schedule()
    {
        var last = database.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Query()
            .OrderByDescending(r => r.StartedAt).Limit(1).FirstOrDefault();
        return new(bounds.Options.SweepIntervalMinutes, last is null ? null : StoredTime.ToOffset(last.StartedAt), _nextRunAt);
    }

    /// <summary>Runs one sweep now (one at a time) and returns its receipt.</summary>
    public async Task<SweepReceiptDocument> RunAsync(string trigger, CancellationToken cancellationToken = default)
    {
        await _one.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SweepAsync(trigger, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _one.Release();
        }
    }

    public override void Dispose()
    {
        _one.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await FinishInterruptedAsync().ConfigureAwait(false);
            var interval = TimeSpan.FromMinutes(bounds.Options.SweepIntervalMinutes);
            while (!stoppingToken.IsCancellationRequested)
            {
                _nextRunAt = time.GetUtcNow() + interval;
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
                try
                {
                    await RunAsync("schedule", stoppingToken).ConfigureAwait(false);
                }
                catch (StorageFaultException)
                {
                    LogSweepFailed(logger);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; a sweep cut short is finished as interrupted at the next start.
        }
    }

    private async Task<SweepReceiptDocument> SweepAsync(string trigger, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var policies = database.Collection<ProgrammeDocument>(Collections.Programmes).FindAll()
            .Select(p => ledger.Current(p.Id))
            .ToDictionary(p => p.ProgrammeId, StringComparer.Ordinal);
        var receipt = new SweepReceiptDocument
        {
            Id = Ids.New("sw_"),
            StartedAt = started.UtcDateTime,
            Trigger = trigger,
            Programmes = [.. policies.Values.OrderBy(p => p.ProgrammeId, StringComparer.Ordinal).Select(p => new SweepLine
            {
                ProgrammeId = p.ProgrammeId,
                PolicyVersion = p.Version,
                UndeliveredRetentionMs = p.UndeliveredRetentionMs,
                AuditRetentionDays = p.AuditRetentionDays,
            })],
        };
        receipt = await writer.WriteAsync(scope =>
        {
            var copy = receipt.Clone();
            scope.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Insert(copy);
            return copy;
        }).ConfigureAwait(false);

        var cutoffs = policies.ToDictionary(p => p.Key, p => started.UtcDateTime.AddMilliseconds(-p.Value.UndeliveredRetentionMs), StringComparer.Ordinal);
        receipt = await DeleteExpiredAsync(receipt, cutoffs, cancellationToken).ConfigureAwait(false);
        receipt = await DeleteEndedQueuesAsync(receipt, cancellationToken).ConfigureAwait(false);
        receipt = await DeleteStaleAsync(receipt, started.UtcDateTime).ConfigureAwait(false);
        receipt = await WithholdOldAuditBodiesAsync(receipt, policies, started, cancellationToken).ConfigureAwait(false);
        var scrubbed = await ScrubAsync().ConfigureAwait(false);

        var finished = time.GetUtcNow().UtcDateTime;
        receipt = await writer.WriteAsync(scope =>
        {
            var copy = receipt.Clone();
            copy.State = SweepReceiptDocument.Completed;
            copy.FinishedAt = finished;
            copy.FileScrubbed = scrubbed;
            copy.AuditSeq = audit.Append(scope, Record(copy));
            scope.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Update(copy);
            return copy;
        }).ConfigureAwait(false);
        LogSwept(logger, receipt.ExpiredEnvelopes, receipt.ExpiredBytes, receipt.EndedMentorshipEnvelopes, receipt.StaleOneTimeItems, receipt.AuditBodiesRemoved);
        return receipt;
    }

    /// <summary>Envelopes older than their programme's policy, oldest first, through the index on receipt time.</summary>
    private async Task<SweepReceiptDocument> DeleteExpiredAsync(SweepReceiptDocument receipt, Dictionary<string, DateTime> cutoffs, CancellationToken cancellationToken)
    {
        if (cutoffs.Count == 0)
        {
            return receipt;
        }

        // Envelopes at or after the latest cutoff are not expired in any programme; those before it may be kept by a
        // longer policy of their own programme, and are stepped over (remembered only at the cursor's instant).
        var until = cutoffs.Values.Max();
        var cursor = DateTime.MinValue;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var limit = BatchSize + kept.Count;
            var page = store.ReceivedBetween(cursor, until, limit);
            var due = new List<(string Programme, StoredEnvelopeRef Envelope)>();
            foreach (var envelope in page.Where(e => !kept.Contains(e.Id)))
            {
                var programme = registry.Get(envelope.MentorshipId)?.Mentorship.ProgrammeId;
                if (programme is not null && cutoffs.TryGetValue(programme, out var cutoff) && envelope.ReceivedAt < cutoff)
                {
                    due.Add((programme, StoredEnvelopeRef.Of(envelope)));
                }
                else
                {
                    kept.Add(envelope.Id);
                }
            }

            if (due.Count > 0)
            {
                receipt = await DeleteAsync(receipt, due, expired: true).ConfigureAwait(false);
            }

            if (page.Count < limit)
            {
                return receipt;
            }

            var last = page[^1].ReceivedAt;
            if (last > cursor)
            {
                cursor = last;
                kept.RemoveWhere(id => page.Find(e => e.Id == id) is not { } e || e.ReceivedAt < cursor);
            }
        }

        return receipt;
    }

    /// <summary>Whatever is still queued in ended mentorships (ending deletes their queues; this catches any left behind).</summary>
    private async Task<SweepReceiptDocument> DeleteEndedQueuesAsync(SweepReceiptDocument receipt, CancellationToken cancellationToken)
    {
        var envelopes = database.Collection<EnvelopeDocument>(Collections.Envelopes);
        foreach (var mentorship in database.Collection<MentorshipDocument>(Collections.Mentorships).Find(m => m.EndedAt != null).ToList())
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var page = envelopes.Find(e => e.MentorshipId == mentorship.Id, limit: BatchSize).ToList();
                if (page.Count == 0)
                {
                    break;
                }

                receipt = await DeleteAsync(receipt, [.. page.Select(e => (mentorship.ProgrammeId, StoredEnvelopeRef.Of(e)))], expired: false).ConfigureAwait(false);
            }
        }

        return receipt;
    }

    private async Task<SweepReceiptDocument> DeleteAsync(SweepReceiptDocument receipt, List<(string Programme, StoredEnvelopeRef Envelope)> batch, bool expired)
    {
        var result = await writer.WriteAsync(
            scope =>
            {
                var copy = receipt.Clone();
                var deleted = EnvelopeQueue.DeleteStored(scope, batch.Select(b => b.Envelope)).ToHashSet();
                foreach (var (programme, envelope) in batch.Where(b => deleted.Contains(b.Envelope)))
                {
                    if (copy.Programmes.Find(p => p.ProgrammeId == programme) is not { } line)
                    {
                        continue;
                    }

                    if (expired)
                    {
                        line.ExpiredEnvelopes++;
                        line.ExpiredBytes += envelope.Size;
                    }
                    else
                    {
                        line.EndedMentorshipEnvelopes++;
                        line.EndedMentorshipBytes += envelope.Size;
                    }
                }

                scope.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Update(copy);
                return (Receipt: copy, Deleted: deleted.ToList());
            },
            r => queue.Expired(r.Deleted)).ConfigureAwait(false);
        return result.Receipt;
    }

    /// <summary>Expired invites and compliance-page links: single-use secrets' hashes that can no longer be used.</summary>
    private async Task<SweepReceiptDocument> DeleteStaleAsync(SweepReceiptDocument receipt, DateTime now)
    {
        while (true)
        {
            var invites = database.Collection<InviteDocument>(Collections.Invites).Find(i => i.ExpiresAt < now, limit: BatchSize).Select(i => i.Id).ToList();
            var links = database.Collection<Compliance.PageLinkDocument>(Collections.PageLinks).Find(l => l.ExpiresAt < now, limit: BatchSize).Select(l => l.Id).ToList();
            if (invites.Count == 0 && links.Count == 0)
            {
                return receipt;
            }

            receipt = await writer.WriteAsync(scope =>
            {
                var copy = receipt.Clone();
                var inviteCollection = scope.Collection<InviteDocument>(Collections.Invites);
                var linkCollection = scope.Collection<Compliance.PageLinkDocument>(Collections.PageLinks);
                copy.StaleOneTimeItems += invites.Count(id => inviteCollection.Delete(id)) + links.Count(id => linkCollection.Delete(id));
                scope.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Update(copy);
                return copy;
            }).ConfigureAwait(false);
        }
    }

    /// <summary>Bodies of audit entries older than their programme's audit retention; the chain itself stays.</summary>
    private async Task<SweepReceiptDocument> WithholdOldAuditBodiesAsync(SweepReceiptDocument receipt, Dictionary<string, RetentionPolicyDocument> policies, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scopes = policies.Values.Select(p => (ProgrammeId: p.ProgrammeId, Days: p.AuditRetentionDays))
            .Append((ProgrammeId: "", Days: bounds.Options.ServerAuditRetentionDays));
        foreach (var (programmeId, days) in scopes)
        {
            var until = now.AddDays(-days).ToUnixTimeMilliseconds();
            while (!cancellationToken.IsCancellationRequested)
            {
                var seqs = audit.BodiesBefore(programmeId, until, BatchSize);
                if (seqs.Count == 0)
                {
                    break;
                }

                receipt = await writer.WriteAsync(scope =>
                {
                    var copy = receipt.Clone();
                    var removed = AuditTrail.Withhold(scope, seqs, WithheldReasons.Retention);
                    if (programmeId.Length == 0)
                    {
                        copy.ServerAuditBodiesRemoved += removed;
                    }
                    else
                    {
                        copy.Line(programmeId).AuditBodiesRemoved += removed;
                    }

                    scope.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Update(copy);
                    return copy;
                }).ConfigureAwait(false);
            }
        }

        return receipt;
    }

    /// <summary>
    /// Copies the log into the data file and empties the log, on the writer's thread after a commit (never inside
    /// a transaction): the zeroed pages of deleted documents replace the old ones on disk. A checkpoint that fails
    /// stops the writer like any of its own.
    /// </summary>
    private Task<bool> ScrubAsync() => writer.CheckpointAsync();

    /// <summary>Receipts of sweeps cut short by a stop or a crash: recorded as interrupted, with what they had deleted.</summary>
    private async Task FinishInterruptedAsync()
    {
        var running = database.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Find(r => r.State == SweepReceiptDocument.Running).ToList();
        foreach (var receipt in running)
        {
            var now = time.GetUtcNow().UtcDateTime;
            await writer.WriteAsync(scope =>
            {
                var copy = receipt.Clone();
                copy.State = SweepReceiptDocument.Interrupted;
                copy.FinishedAt = now;
                copy.AuditSeq = audit.Append(scope, Record(copy));
                scope.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Update(copy);
            }).ConfigureAwait(false);
        }
    }

    private static AuditRecord Record(SweepReceiptDocument receipt)
        => AuditRecords.SweepCompleted(receipt.Id, receipt.State, receipt.ExpiredEnvelopes, receipt.ExpiredBytes, receipt.EndedMentorshipEnvelopes, receipt.StaleOneTimeItems, receipt.AuditBodiesRemoved, receipt.FileScrubbed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep: {Expired} expired envelopes ({Bytes} bytes), {Ended} from ended mentorships, {Stale} stale one-time items, {AuditBodies} audit bodies past retention deleted")]
    private static partial void LogSwept(ILogger logger, long expired, long bytes, long ended, long stale, long auditBodies);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A retention sweep could not store a change; the next sweep starts over")]
    private static partial void LogSweepFailed(ILogger logger);
}
