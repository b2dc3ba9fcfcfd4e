using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Compliance;

/// <summary>Lifetimes of the compliance page's sign-in links and sessions.</summary>
internal sealed class ComplianceOptions
{
    public const string SectionName = "SafeMentor:Compliance";

    /// <summary>How long a sign-in link can be used (once).</summary>
    [Range(1, 60, ErrorMessage = "SafeMentor:Compliance:PageLinkMinutes must be between 1 and 60.")]
    public int PageLinkMinutes { get; set; } = 5;

    /// <summary>How long a page session lasts after signing in (no sliding renewal).</summary>
    [Range(1, 480, ErrorMessage = "SafeMentor:Compliance:PageSessionMinutes must be between 1 and 480.")]
    public int PageSessionMinutes { get; set; } = 30;
}
