namespace SafeMentor.Server.Retention;

/// <summary>
/// One version of a programme's retention policy. Id is "programmeId/version". The two message terms are those of
/// ground-rules version <see cref="GroundRulesVersion"/>; <see cref="AuditRetentionDays"/> is the policy's own.
/// Version 0 is never stored: it stands for a programme created before policies were versioned.
/// </summary>
internal sealed class RetentionPolicyDocument
{
    public string Id { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public long Version { get; set; }
    public long UndeliveredRetentionMs { get; set; }
    public long ClientHistoryRetentionMs { get; set; }
    public int AuditRetentionDays { get; set; }
    public long GroundRulesVersion { get; set; }
    public string ChangedBy { get; set; } = "";
    public DateTime ChangedAt { get; set; }
    public string Reason { get; set; } = "";

    public static string IdOf(string programmeId, long version) => $"{programmeId}/{version}";

    public Audit.PolicyValues Values => new(UndeliveredRetentionMs, ClientHistoryRetentionMs, AuditRetentionDays);
}
