namespace SafeMentor.Contracts;

/// <summary>Programme roles, as they appear on the wire.</summary>
public static class Roles
{
    /// <summary>Someone who is mentored.</summary>
    public const string Mentee = "mentee";

    /// <summary>Someone who mentors.</summary>
    public const string Mentor = "mentor";

    /// <summary>The programme's trusted person: invites, sets ground rules, matches.</summary>
    public const string Coordinator = "coordinator";

    /// <summary>Read-only auditor of retention (its views come in a later version).</summary>
    public const string ComplianceOfficer = "compliance_officer";

    /// <summary>Every role a programme invite may carry.</summary>
    public static IReadOnlyList<string> All { get; } = [Mentee, Mentor, Coordinator, ComplianceOfficer];

    /// <summary>Whether <paramref name="role"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? role) => role is Mentee or Mentor or Coordinator or ComplianceOfficer;
}
