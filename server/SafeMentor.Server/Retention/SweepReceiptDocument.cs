namespace SafeMentor.Server.Retention;

/// <summary>
/// The receipt of one sweep: what it deleted, per programme and under which policy version, and whether the deleted
/// bytes were cleared from the database file. Counts and bytes only, never content. It is updated in the same
/// transaction as each batch of deletions, so it never claims less than was deleted, even after a crash.
/// </summary>
internal sealed class SweepReceiptDocument
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Interrupted = "interrupted";

    public string Id { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    public string State { get; set; } = Running;
    public string Trigger { get; set; } = "";
    public List<SweepLine> Programmes { get; set; } = [];
    public long StaleOneTimeItems { get; set; }
    public long ServerAuditBodiesRemoved { get; set; }
    public bool FileScrubbed { get; set; }
    public long? AuditSeq { get; set; }

    public long ExpiredEnvelopes => Programmes.Sum(p => p.ExpiredEnvelopes);
    public long ExpiredBytes => Programmes.Sum(p => p.ExpiredBytes);
    public long EndedMentorshipEnvelopes => Programmes.Sum(p => p.EndedMentorshipEnvelopes);
    public long EndedMentorshipBytes => Programmes.Sum(p => p.EndedMentorshipBytes);
    public long AuditBodiesRemoved => ServerAuditBodiesRemoved + Programmes.Sum(p => p.AuditBodiesRemoved);

    public SweepLine Line(string programmeId) => Programmes.First(p => p.ProgrammeId == programmeId);

    /// <summary>A copy to change inside a write: a write may be applied twice, so it never changes the original.</summary>
    public SweepReceiptDocument Clone()
    {
        var copy = (SweepReceiptDocument)MemberwiseClone();
        copy.Programmes = [.. Programmes.Select(p => p.Clone())];
        return copy;
    }
}

/// <summary>What a sweep deleted in one programme, and the policy version it applied.</summary>
internal sealed class SweepLine
{
    public string ProgrammeId { get; set; } = "";
    public long PolicyVersion { get; set; }
    public long UndeliveredRetentionMs { get; set; }
    public int AuditRetentionDays { get; set; }
    public long ExpiredEnvelopes { get; set; }
    public long ExpiredBytes { get; set; }
    public long EndedMentorshipEnvelopes { get; set; }
    public long EndedMentorshipBytes { get; set; }
    public long AuditBodiesRemoved { get; set; }

    public SweepLine Clone() => (SweepLine)MemberwiseClone();
}
