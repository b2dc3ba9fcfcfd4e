namespace SafeMentor.Contracts;

// Retention, deletion evidence and the audit chain. Durations are milliseconds except audit retention (days).

/// <summary>The server's bounds on a programme's retention policy.</summary>
public sealed record RetentionBoundsDto(
    long MinUndeliveredRetentionMs,
    long MaxUndeliveredRetentionMs,
    long MinClientHistoryRetentionMs,
    long MaxClientHistoryRetentionMs,
    int MinAuditRetentionDays,
    int MaxAuditRetentionDays);

/// <summary>
/// One version of a programme's retention policy. <paramref name="GroundRulesVersion"/> is the ground-rules version
/// that carries its two message terms (parties consent to those); <paramref name="ChangedBy"/> is an account id.
/// </summary>
public sealed record RetentionPolicyDto(
    string ProgrammeId,
    long Version,
    long UndeliveredRetentionMs,
    long ClientHistoryRetentionMs,
    int AuditRetentionDays,
    uint GroundRulesVersion,
    string ChangedBy,
    DateTimeOffset ChangedAt,
    string Reason);

/// <summary>When the sweeper ran last (null before its first run) and when it runs next.</summary>
public sealed record SweepScheduleDto(int IntervalMinutes, DateTimeOffset? LastRunAt, DateTimeOffset NextRunAt);

/// <summary>The policy in force, the bounds it must keep within, and the sweep schedule.</summary>
public sealed record RetentionResponse(RetentionPolicyDto Policy, RetentionBoundsDto Bounds, SweepScheduleDto Sweeps);

/// <summary>A coordinator's change of the retention policy, with the reason recorded in its history and the audit chain.</summary>
public sealed record RetentionChangeRequest(long UndeliveredRetentionMs, long ClientHistoryRetentionMs, int AuditRetentionDays, string Reason);

/// <summary>The values of a policy version.</summary>
public sealed record PolicyValuesDto(long UndeliveredRetentionMs, long ClientHistoryRetentionMs, int AuditRetentionDays);

/// <summary>One change in a policy's history: who, when, why, and the values before (null for the first) and after.</summary>
public sealed record PolicyVersionDto(long Version, string ChangedBy, DateTimeOffset ChangedAt, string Reason, PolicyValuesDto? Before, PolicyValuesDto After, uint GroundRulesVersion);

/// <summary>Asks what a policy keeping undelivered ciphertext for <paramref name="UndeliveredRetentionMs"/> would delete now.</summary>
public sealed record RetentionPreviewRequest(long UndeliveredRetentionMs);

/// <summary>
/// What the next sweep would delete in the programme at <paramref name="At"/> if the proposed policy were in force:
/// envelopes past it, and what is left queued in ended mentorships.
/// </summary>
public sealed record RetentionPreviewResponse(
    string ProgrammeId,
    long UndeliveredRetentionMs,
    DateTimeOffset At,
    long ExpiredEnvelopes,
    long ExpiredBytes,
    long EndedMentorshipEnvelopes,
    long EndedMentorshipBytes);

/// <summary>What one sweep deleted in one programme, under which policy version.</summary>
public sealed record ReceiptProgrammeLineDto(
    string ProgrammeId,
    long PolicyVersion,
    long UndeliveredRetentionMs,
    int AuditRetentionDays,
    long ExpiredEnvelopes,
    long ExpiredBytes,
    long EndedMentorshipEnvelopes,
    long EndedMentorshipBytes,
    long AuditBodiesRemoved);

/// <summary>What one sweep deleted on the whole server.</summary>
public sealed record ReceiptTotalsDto(
    long ExpiredEnvelopes,
    long ExpiredBytes,
    long EndedMentorshipEnvelopes,
    long EndedMentorshipBytes,
    long StaleOneTimeItems,
    long AuditBodiesRemoved);

/// <summary>
/// A deletion receipt: counts and bytes, never content. <paramref name="State"/> is <c>running</c>,
/// <c>completed</c> or <c>interrupted</c>; <paramref name="FileScrubbed"/> says the deleted bytes were cleared from
/// the database file; <paramref name="AuditSeq"/> is the audit entry that records the sweep.
/// </summary>
public sealed record DeletionReceiptDto(
    string ReceiptId,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string State,
    string Trigger,
    ReceiptProgrammeLineDto? Programme,
    ReceiptTotalsDto Totals,
    bool FileScrubbed,
    long? AuditSeq);

/// <summary>The sweep schedule and the latest receipts, newest first.</summary>
public sealed record DeletionReceiptsResponse(SweepScheduleDto Sweeps, IReadOnlyList<DeletionReceiptDto> Receipts);

/// <summary>Queued envelopes whose age is in [<paramref name="FromMs"/>, <paramref name="ToMs"/>) (no upper end when null).</summary>
public sealed record AgeBucketDto(string Label, long FromMs, long? ToMs, long Envelopes, long Bytes);

/// <summary>
/// How well retention is enforced in a programme now. <paramref name="DueEnvelopes"/> are older than the policy
/// (the next sweep deletes them); <paramref name="OverdueEnvelopes"/> are older than the policy plus one sweep
/// interval, and must be zero.
/// </summary>
public sealed record EnforcementReportDto(
    string ProgrammeId,
    DateTimeOffset GeneratedAt,
    long PolicyVersion,
    long UndeliveredRetentionMs,
    int SweepIntervalMinutes,
    IReadOnlyList<AgeBucketDto> Buckets,
    long QueuedEnvelopes,
    long QueuedBytes,
    long DueEnvelopes,
    long OverdueEnvelopes,
    DateTimeOffset? OldestReceivedAt);

/// <summary>One consent statement as the register shows it: who (account id and role), to which version, what, when.</summary>
public sealed record ConsentRecordDto(string MentorshipId, string AccountId, string Role, uint GroundRulesVersion, string Decision, long TimestampMs, DateTimeOffset ReceivedAt);

/// <summary>One export receipt: the hash of the exported record (never the record) and the consents it relies on.</summary>
public sealed record ExportRecordDto(long AuditSeq, string MentorshipId, string ExporterAccountId, string RecordHash, long FromMs, long ToMs, IReadOnlyList<string> ConsentIds, DateTimeOffset RecordedAt);

/// <summary>The consent and export register of a programme, newest first.</summary>
public sealed record RegisterResponse(string ProgrammeId, IReadOnlyList<ConsentRecordDto> Consents, IReadOnlyList<ExportRecordDto> Exports);

/// <summary>An audit entry's body (docs/compliance.md): strings exactly as hashed.</summary>
public sealed record AuditBodyDto(string ProgrammeId, string Actor, string Target, string Before, string After);

/// <summary>
/// An audit entry. Hashes are base64 of 32 bytes. <paramref name="Body"/> is null when withheld, and
/// <paramref name="Withheld"/> says why: <c>other_programme</c>, <c>retention</c> or <c>erasure</c>.
/// </summary>
public sealed record AuditEntryDto(long Seq, long TimeMs, string Action, string BodyHash, string PrevHash, string Hash, AuditBodyDto? Body, string? Withheld);

/// <summary>A signed checkpoint: the server's Ed25519 signature (base64, 64 bytes) over the head at <paramref name="Seq"/>.</summary>
public sealed record AuditCheckpointDto(long Seq, string HeadHash, long TimeMs, string Signature);

/// <summary>
/// An audit export: the whole chain (bodies of this programme and server-wide ones; others withheld) and every
/// checkpoint, the last of which covers the last entry. <paramref name="Format"/> is <c>safementor-audit/1</c>.
/// </summary>
public sealed record AuditExportDto(
    string Format,
    string ServerPublicKey,
    string ProgrammeId,
    DateTimeOffset ExportedAt,
    IReadOnlyList<AuditEntryDto> Entries,
    IReadOnlyList<AuditCheckpointDto> Checkpoints);

/// <summary>The server's checkpoint key, to pin: <paramref name="PublicKey"/> is base64 of a 32-byte Ed25519 key.</summary>
public sealed record AuditServerKeyResponse(string Algorithm, string PublicKey);

/// <summary>Asks for a compliance-page sign-in link for one programme.</summary>
public sealed record PageLinkRequest(string ProgrammeId);

/// <summary>A single-use sign-in link for the compliance page (a path on the relay), valid until <paramref name="ExpiresAt"/>.</summary>
public sealed record PageLinkResponse(string Path, DateTimeOffset ExpiresAt);

/// <summary>Audit export formats.</summary>
public static class AuditFormats
{
    /// <summary>The current export format.</summary>
    public const string V1 = "safementor-audit/1";
}

/// <summary>
/// The receipt of an account's erasure. <paramref name="Tombstone"/> is the random id that now stands for the
/// account in ended mentorships, consents and the audit chain; it names no one.
/// </summary>
public sealed record AccountErasureResponse(string Tombstone, DateTimeOffset ErasedAt, int MentorshipsEnded, int EnvelopesDeleted, int PrekeysDeleted);
