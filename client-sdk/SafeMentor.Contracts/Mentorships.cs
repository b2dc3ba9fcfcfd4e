using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Contracts;

/// <summary>
/// The terms of a ground-rules version as a coordinator writes them. Durations are milliseconds; the server
/// bounds both retention periods by its own configuration.
/// </summary>
public sealed record GroundRulesInput(
    [property: StringLength(Limits.MaxGroundRulesTextLength, MinimumLength = 1)] string Text,
    long UndeliveredRetentionMs,
    long ClientHistoryRetentionMs,
    bool ExportAllowed,
    [property: StringLength(Limits.MaxContactHoursLength)] string ContactHours,
    [property: Range(0, Limits.MaxExpectedResponseHours)] uint ExpectedResponseHours);

/// <summary>
/// One published ground-rules version. <paramref name="Hash"/> is the canonical <c>groundRulesHash</c>
/// (base64 of 32 bytes) that consent statements sign.
/// </summary>
public sealed record GroundRulesDto(
    string ProgrammeId,
    uint Version,
    string Text,
    long UndeliveredRetentionMs,
    long ClientHistoryRetentionMs,
    bool ExportAllowed,
    string ContactHours,
    uint ExpectedResponseHours,
    string Hash,
    DateTimeOffset PublishedAt);

/// <summary>Creates a programme with its first ground-rules version.</summary>
public sealed record CreateProgrammeRequest([property: StringLength(Limits.MaxProgrammeNameLength, MinimumLength = 1)] string Name, GroundRulesInput GroundRules);

/// <summary>A programme and its current ground rules.</summary>
public sealed record ProgrammeResponse(string ProgrammeId, string Name, GroundRulesDto GroundRules);

/// <summary>A member of a programme in one role.</summary>
/// <remarks><paramref name="Suspended"/> is true while a coordinator has suspended the account.</remarks>
public sealed record MemberDto(
    string AccountId,
    string Pseudonym,
    [property: AllowedValues(Roles.Mentee, Roles.Mentor, Roles.Coordinator, Roles.ComplianceOfficer)] string Role,
    bool Suspended = false);

/// <summary>Matches a mentor with a mentee of the same programme.</summary>
public sealed record MatchRequest([property: RegularExpression(Formats.AccountIdPattern)] string MentorAccountId, [property: RegularExpression(Formats.AccountIdPattern)] string MenteeAccountId);

/// <summary>
/// A mentorship's metadata: never content. <paramref name="RelayOpen"/> is true when both parties have accepted
/// the current ground-rules version and the mentorship has not ended. The pseudonyms are the display names the
/// two parties chose when they joined, so each party can see whom it is talking to.
/// </summary>
public sealed record MentorshipDto(
    string MentorshipId,
    string ProgrammeId,
    string MentorAccountId,
    string MentorPseudonym,
    string MenteeAccountId,
    string MenteePseudonym,
    uint GroundRulesVersion,
    bool MentorConsented,
    bool MenteeConsented,
    bool RelayOpen,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EndedAt);

/// <summary>
/// A signed consent statement (protocol §Signed statements) for the mentorship's current ground-rules version.
/// <paramref name="Decision"/> is <c>"accept"</c> or <c>"withdraw"</c>; <paramref name="GroundRulesHash"/> and
/// <paramref name="Signature"/> are base64.
/// </summary>
public sealed record ConsentRequest(
    uint GroundRulesVersion,
    [property: StringLength(Formats.Base64Of32Bytes, MinimumLength = Formats.Base64Of32Bytes)] string GroundRulesHash,
    [property: AllowedValues(ConsentDecisions.Accept, ConsentDecisions.Withdraw)] string Decision,
    long TimestampMs,
    [property: StringLength(Formats.Base64Of64Bytes, MinimumLength = Formats.Base64Of64Bytes)] string Signature);

/// <summary>Consent decisions as they appear on the wire.</summary>
public static class ConsentDecisions
{
    /// <summary>Ground rules accepted (signed as 1).</summary>
    public const string Accept = "accept";

    /// <summary>Consent withdrawn (signed as 0).</summary>
    public const string Withdraw = "withdraw";
}
