using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Retention;

/// <summary>
/// The server's retention bounds beyond the maxima in <c>SafeMentor:Programmes</c>, the audit log's retention, and
/// the sweeper's schedule.
/// </summary>
internal sealed class RetentionOptions : IValidatableObject
{
    public const string SectionName = "SafeMentor:Retention";

    /// <summary>Shortest time a programme may let undelivered ciphertext wait.</summary>
    [Range(1, 3650, ErrorMessage = "SafeMentor:Retention:MinUndeliveredRetentionDays must be between 1 and 3650.")]
    public int MinUndeliveredRetentionDays { get; set; } = 1;

    /// <summary>Shortest time a programme may ask clients to keep history.</summary>
    [Range(1, 36500, ErrorMessage = "SafeMentor:Retention:MinClientHistoryRetentionDays must be between 1 and 36500.")]
    public int MinClientHistoryRetentionDays { get; set; } = 1;

    /// <summary>Shortest time a programme may keep its audit entries' bodies.</summary>
    [Range(1, 36500, ErrorMessage = "SafeMentor:Retention:MinAuditRetentionDays must be between 1 and 36500.")]
    public int MinAuditRetentionDays { get; set; } = 365;

    /// <summary>Longest time a programme may keep its audit entries' bodies.</summary>
    [Range(1, 36500, ErrorMessage = "SafeMentor:Retention:MaxAuditRetentionDays must be between 1 and 36500.")]
    public int MaxAuditRetentionDays { get; set; } = 3650;

    /// <summary>The audit retention a new programme starts with.</summary>
    [Range(1, 36500, ErrorMessage = "SafeMentor:Retention:DefaultAuditRetentionDays must be between 1 and 36500.")]
    public int DefaultAuditRetentionDays { get; set; } = 2190;

    /// <summary>How long bodies of server-wide entries (sweeps, erasure tombstones) are kept.</summary>
    [Range(1, 36500, ErrorMessage = "SafeMentor:Retention:ServerAuditRetentionDays must be between 1 and 36500.")]
    public int ServerAuditRetentionDays { get; set; } = 3650;

    /// <summary>Minutes between sweeps.</summary>
    [Range(1, 1440, ErrorMessage = "SafeMentor:Retention:SweepIntervalMinutes must be between 1 and 1440.")]
    public int SweepIntervalMinutes { get; set; } = 60;

    /// <summary>Most deletions in one storage write of a sweep; envelope commits run between them.</summary>
    [Range(1, 10_000, ErrorMessage = "SafeMentor:Retention:SweepBatchSize must be between 1 and 10000.")]
    public int SweepBatchSize { get; set; } = 256;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MinAuditRetentionDays > MaxAuditRetentionDays)
        {
            yield return new ValidationResult("SafeMentor:Retention:MinAuditRetentionDays must not exceed MaxAuditRetentionDays.", [nameof(MinAuditRetentionDays)]);
        }

        if (DefaultAuditRetentionDays < MinAuditRetentionDays || DefaultAuditRetentionDays > MaxAuditRetentionDays)
        {
            yield return new ValidationResult("SafeMentor:Retention:DefaultAuditRetentionDays must lie between MinAuditRetentionDays and MaxAuditRetentionDays.", [nameof(DefaultAuditRetentionDays)]);
        }
    }
}
