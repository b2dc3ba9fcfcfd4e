using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Accounts;

/// <summary>Sign-in, token and invite lifetimes.</summary>
internal sealed class AuthOptions
{
    public const string SectionName = "SafeMentor:Auth";

    [Range(1, 1440, ErrorMessage = "SafeMentor:Auth:AccessTokenMinutes must be between 1 and 1440.")]
    public int AccessTokenMinutes { get; set; } = 15;

    [Range(1, 365, ErrorMessage = "SafeMentor:Auth:RefreshTokenDays must be between 1 and 365.")]
    public int RefreshTokenDays { get; set; } = 14;

    [Range(10, 3600, ErrorMessage = "SafeMentor:Auth:ChallengeSeconds must be between 10 and 3600.")]
    public int ChallengeSeconds { get; set; } = 120;

    /// <summary>Hub connections one account may hold at once.</summary>
    [Range(1, 1000, ErrorMessage = "SafeMentor:Auth:MaxConnectionsPerAccount must be between 1 and 1000.")]
    public int MaxConnectionsPerAccount { get; set; } = 5;

    /// <summary>Devices one account may have signed in at once; signing in one more signs the oldest out.</summary>
    [Range(1, 1000, ErrorMessage = "SafeMentor:Auth:MaxSignInsPerAccount must be between 1 and 1000.")]
    public int MaxSignInsPerAccount { get; set; } = 10;

    [Range(1, 365, ErrorMessage = "SafeMentor:Auth:InviteDays must be between 1 and 365.")]
    public int InviteDays { get; set; } = 7;
}
