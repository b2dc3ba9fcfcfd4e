using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Mentorships;

/// <summary>The server's bounds on what a programme's ground rules may set.</summary>
internal sealed class ProgrammeOptions
{
    public const string SectionName = "SafeMentor:Programmes";

    [Range(1, 3650, ErrorMessage = "SafeMentor:Programmes:MaxUndeliveredRetentionDays must be between 1 and 3650.")]
    public int MaxUndeliveredRetentionDays { get; set; } = 30;

    [Range(1, 36500, ErrorMessage = "SafeMentor:Programmes:MaxClientHistoryRetentionDays must be between 1 and 36500.")]
    public int MaxClientHistoryRetentionDays { get; set; } = 365;
}
