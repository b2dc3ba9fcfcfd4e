using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Audit;

/// <summary>How often the chain head is signed.</summary>
internal sealed class AuditOptions
{
    public const string SectionName = "SafeMentor:Audit";

    /// <summary>Minutes between signed checkpoints (one is also signed for every audit export).</summary>
    [Range(1, 10_080, ErrorMessage = "SafeMentor:Audit:CheckpointIntervalMinutes must be between 1 and 10080.")]
    public int CheckpointIntervalMinutes { get; set; } = 60;
}
