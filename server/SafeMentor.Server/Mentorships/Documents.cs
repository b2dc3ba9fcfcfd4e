namespace SafeMentor.Server.Mentorships;

/// <summary>A programme; <see cref="CurrentVersion"/> is the ground-rules version in force.</summary>
internal sealed class ProgrammeDocument
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public long CurrentVersion { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>One published ground-rules version. Id is "programmeId/version".</summary>
internal sealed class GroundRulesDocument
{
    public string Id { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public long Version { get; set; }
    public string Text { get; set; } = "";
    public long UndeliveredRetentionMs { get; set; }
    public long ClientHistoryRetentionMs { get; set; }
    public bool ExportAllowed { get; set; }
    public string ContactHours { get; set; } = "";
    public long ExpectedResponseHours { get; set; }
    public byte[] Hash { get; set; } = [];
    public DateTime PublishedAt { get; set; }
}

/// <summary>A mentor-mentee pairing inside a programme. Bound to the programme's current ground rules.</summary>
internal sealed class MentorshipDocument
{
    public string Id { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public string MentorId { get; set; } = "";
    public string MenteeId { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? EndedAt { get; set; }
}

/// <summary>A signed consent statement as received and verified; all of them are kept as evidence.</summary>
internal sealed class ConsentDocument
{
    public string Id { get; set; } = "";
    public string MentorshipId { get; set; } = "";
    public string AccountId { get; set; } = "";
    public long GroundRulesVersion { get; set; }
    public byte[] GroundRulesHash { get; set; } = [];
    public int Decision { get; set; }
    public long TimestampMs { get; set; }
    public byte[] Signature { get; set; } = [];
    public DateTime ReceivedAt { get; set; }
}
