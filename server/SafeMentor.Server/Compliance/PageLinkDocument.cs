namespace SafeMentor.Server.Compliance;

/// <summary>
/// An unused compliance-page sign-in link. Id is the SHA-256 of its token (hex); the token itself is never stored.
/// Deleted when used, or by the sweeper once expired.
/// </summary>
internal sealed class PageLinkDocument
{
    public string Id { get; set; } = "";
    public string AccountId { get; set; } = "";
    public string ProgrammeId { get; set; } = "";
    public DateTime ExpiresAt { get; set; }
}
