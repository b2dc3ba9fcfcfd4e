using SafeMentor.Contracts;
using SafeMentor.Protocol.Statements;
using SafeMentor.Server.Mentorships;
using SafeMentor.Server.Retention;
using SafeMentor.Server.Storage;

namespace SafeMentor.Server.Compliance;

/// <summary>
/// The read models behind the compliance views: the consent and export register (metadata: ids, roles, versions,
/// decisions, times; no pseudonyms, no signatures) and the deletion receipts as a programme's officer sees them.
/// </summary>
internal sealed class ComplianceRegister(Database database, AuditExporter exporter, RetentionSweeper sweeper)
{
    /// <summary>How many receipts a view lists, newest first.</summary>
    public const int ReceiptsShown = 50;

    public RegisterResponse Register(string programmeId)
    {
        var consents = database.Collection<ConsentDocument>(Collections.Consents);
        var records = new List<ConsentRecordDto>();
        foreach (var mentorship in database.Collection<MentorshipDocument>(Collections.Mentorships).Find(m => m.ProgrammeId == programmeId))
        {
            foreach (var consent in consents.Find(c => c.MentorshipId == mentorship.Id))
            {
                var role = consent.AccountId == mentorship.MentorId ? Roles.Mentor : consent.AccountId == mentorship.MenteeId ? Roles.Mentee : "";
                records.Add(new ConsentRecordDto(
                    mentorship.Id,
                    consent.AccountId,
                    role,
                    checked((uint)consent.GroundRulesVersion),
                    consent.Decision == (int)ConsentDecision.Accept ? ConsentDecisions.Accept : ConsentDecisions.Withdraw,
                    consent.TimestampMs,
                    StoredTime.ToOffset(consent.ReceivedAt)));
            }
        }

        return new RegisterResponse(programmeId, [.. records.OrderByDescending(r => r.ReceivedAt).ThenBy(r => r.MentorshipId, StringComparer.Ordinal)], exporter.ExportRecords(programmeId));
    }

    public DeletionReceiptsResponse Receipts(string programmeId)
    {
        var receipts = database.Collection<SweepReceiptDocument>(Collections.SweepReceipts).Query()
            .OrderByDescending(r => r.StartedAt)
            .Limit(ReceiptsShown)
            .ToList();
        return new DeletionReceiptsResponse(sweeper.Schedule(), [.. receipts.Select(r => ToDto(r, programmeId))]);
    }

    public static DeletionReceiptDto ToDto(SweepReceiptDocument receipt, string programmeId)
    {
        var line = receipt.Programmes.Find(p => p.ProgrammeId == programmeId);
        return new DeletionReceiptDto(
            receipt.Id,
            StoredTime.ToOffset(receipt.StartedAt),
            receipt.FinishedAt is { } finished ? StoredTime.ToOffset(finished) : null,
            receipt.State,
            receipt.Trigger,
            line is null ? null : new ReceiptProgrammeLineDto(line.ProgrammeId, line.PolicyVersion, line.UndeliveredRetentionMs, line.AuditRetentionDays, line.ExpiredEnvelopes, line.ExpiredBytes, line.EndedMentorshipEnvelopes, line.EndedMentorshipBytes, line.AuditBodiesRemoved),
            new ReceiptTotalsDto(receipt.ExpiredEnvelopes, receipt.ExpiredBytes, receipt.EndedMentorshipEnvelopes, receipt.EndedMentorshipBytes, receipt.StaleOneTimeItems, receipt.AuditBodiesRemoved),
            receipt.FileScrubbed,
            receipt.AuditSeq);
    }
}
