namespace SafeMentor.Contracts;

/// <summary>Sizes and counts the server enforces; clients should check them before sending.</summary>
public static class Limits
{
    /// <summary>
    /// Largest envelope ciphertext, in bytes (64 KiB). It equals the protocol's largest wire message, so
    /// any message a v1 client can produce fits.
    /// </summary>
    public const int MaxEnvelopeBytes = 64 * 1024;

    /// <summary>
    /// Largest hub message the server reads (96 KiB). It sits on purpose a little above
    /// <see cref="MaxEnvelopeBytes"/> in base64 (about 87.4 KB) plus the JSON framing, so an envelope that
    /// is only slightly too large gets a graceful <see cref="ErrorCodes.TooLarge"/>, while anything far
    /// larger is cut off by the transport before it is buffered.
    /// </summary>
    public const int MaxHubMessageBytes = 96 * 1024;

    /// <summary>Longest client-chosen envelope id (characters from <c>[A-Za-z0-9_-]</c>).</summary>
    public const int MaxEnvelopeIdLength = 64;

    /// <summary>Most envelope ids in one <c>Ack</c> call.</summary>
    public const int MaxAckBatch = 500;

    /// <summary>Most one-time prekeys in one upload.</summary>
    public const int MaxOneTimePrekeysPerUpload = 100;

    /// <summary>Longest display pseudonym, in characters.</summary>
    public const int MaxPseudonymLength = 64;

    /// <summary>Longest programme name, in characters.</summary>
    public const int MaxProgrammeNameLength = 200;

    /// <summary>Longest ground-rules text, in characters.</summary>
    public const int MaxGroundRulesTextLength = 20_000;

    /// <summary>Longest contact-hours description, in characters.</summary>
    public const int MaxContactHoursLength = 200;

    /// <summary>Largest <c>expectedResponseHours</c> in ground rules (a year).</summary>
    public const int MaxExpectedResponseHours = 8760;

    /// <summary>Longest invite code the server reads, in characters.</summary>
    public const int MaxInviteCodeLength = 100;

    /// <summary>Longest refresh token the server reads, in characters.</summary>
    public const int MaxTokenLength = 8192;

    /// <summary>Size of public keys (Ed25519 and X25519), in bytes.</summary>
    public const int PublicKeyBytes = 32;

    /// <summary>Size of Ed25519 signatures, in bytes.</summary>
    public const int SignatureBytes = 64;

    /// <summary>Size of a sign-in challenge nonce, in bytes.</summary>
    public const int NonceBytes = 32;

    /// <summary>Size of a ground-rules hash (SHA-256), in bytes.</summary>
    public const int HashBytes = 32;
}
