using SafeMentor.Contracts;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Messaging;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Retention;

/// <summary>
/// What is queued in a programme now, by age, against its policy: how many envelopes are due (older than the
/// policy) and overdue (older than the policy plus one sweep interval, which enforcement must keep at zero); and the
/// dry run of a proposed policy, counted exactly as the next sweep would delete.
/// </summary>
internal sealed class EnforcementReport(Database database, RetentionLedger ledger, RetentionBounds bounds, TimeProvider time)
{
    private static readonly (string Label, TimeSpan From, TimeSpan? To)[] s_buckets =
    [
        ("under 1 hour", TimeSpan.Zero, TimeSpan.FromHours(1)),
        ("1 hour to 1 day", TimeSpan.FromHours(1), TimeSpan.FromDays(1)),
        ("1 to 7 days", TimeSpan.FromDays(1), TimeSpan.FromDays(7)),
        ("7 to 30 days", TimeSpan.FromDays(7), TimeSpan.FromDays(30)),
        ("30 days or more", TimeSpan.FromDays(30), null),
    ];

    public EnforcementReportDto For(string programmeId)
    {
        var now = time.GetUtcNow();
        var policy = ledger.Current(programmeId);
        var interval = TimeSpan.FromMinutes(bounds.Options.SweepIntervalMinutes);
        var due = now.UtcDateTime.AddMilliseconds(-policy.UndeliveredRetentionMs);
        var overdue = due - interval;
        var counts = new (long Envelopes, long Bytes)[s_buckets.Length];
        long total = 0, bytes = 0, dueCount = 0, overdueCount = 0;
        DateTime? oldest = null;
        foreach (var (envelope, _) in Queued(programmeId))
        {
            total++;
            bytes += envelope.Ciphertext.Length;
            oldest = oldest is { } o && o <= envelope.ReceivedAt ? o : envelope.ReceivedAt;
            dueCount += envelope.ReceivedAt < due ? 1 : 0;
            overdueCount += envelope.ReceivedAt < overdue ? 1 : 0;
            var age = now - StoredTime.ToOffset(envelope.ReceivedAt);
            var bucket = Array.FindIndex(s_buckets, b => age >= b.From && (b.To is not { } to || age < to));
            bucket = bucket < 0 ? 0 : bucket;
            counts[bucket] = (counts[bucket].Envelopes + 1, counts[bucket].Bytes + envelope.Ciphertext.Length);
        }

        return new EnforcementReportDto(
            programmeId,
            now,
            policy.Version,
            policy.UndeliveredRetentionMs,
            bounds.Options.SweepIntervalMinutes,
            [.. s_buckets.Select((b, i) => new AgeBucketDto(b.Label, (long)b.From.TotalMilliseconds, b.To is { } to ? (long)to.TotalMilliseconds : null, counts[i].Envelopes, counts[i].Bytes))],
            total,
            bytes,
            dueCount,
            overdueCount,
            oldest is { } first ? StoredTime.ToOffset(first) : null);
    }

    /// <summary>What the next sweep would delete now in the programme if <paramref name="undeliveredRetentionMs"/> were its policy.</summary>
    public RetentionPreviewResponse Preview(string programmeId, long undeliveredRetentionMs)
    {
        var now = time.GetUtcNow();
        var cutoff = now.UtcDateTime.AddMilliseconds(-undeliveredRetentionMs);
        long expired = 0, expiredBytes = 0, ended = 0, endedBytes = 0;
        foreach (var (envelope, inEnded) in Queued(programmeId))
        {
            if (envelope.ReceivedAt < cutoff)
            {
                expired++;
                expiredBytes += envelope.Ciphertext.Length;
            }
            else if (inEnded)
            {
                ended++;
                endedBytes += envelope.Ciphertext.Length;
            }
        }

        return new RetentionPreviewResponse(programmeId, undeliveredRetentionMs, now, expired, expiredBytes, ended, endedBytes);
    }

    private IEnumerable<(EnvelopeDocument Envelope, bool InEndedMentorship)> Queued(string programmeId)
    {
        var envelopes = database.Collection<EnvelopeDocument>(Collections.Envelopes);
        foreach (var mentorship in database.Collection<MentorshipDocument>(Collections.Mentorships).Find(m => m.ProgrammeId == programmeId).ToList())
        {
            foreach (var envelope in envelopes.Find(e => e.MentorshipId == mentorship.Id))
            {
                yield return (envelope, mentorship.EndedAt is not null);
            }
        }
    }
}
