using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Server.Keys;

/// <summary>Prekey directory limits.</summary>
internal sealed class KeysOptions
{
    public const string SectionName = "SafeMentor:Keys";

    /// <summary>Bundle fetches per account per minute (each may use up a one-time prekey of someone else).</summary>
    [Range(1, 100_000, ErrorMessage = "SafeMentor:Keys:BundleRequestsPerMinute must be between 1 and 100000.")]
    public int BundleRequestsPerMinute { get; set; } = 30;

    /// <summary>Most one-time prekeys held for one account.</summary>
    [Range(100, 100_000, ErrorMessage = "SafeMentor:Keys:MaxStoredOneTimePrekeys must be between 100 and 100000.")]
    public int MaxStoredOneTimePrekeys { get; set; } = 1000;
}
