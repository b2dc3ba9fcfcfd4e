namespace SafeMentor.Contracts;

/// <summary>
/// The shapes of ids and encoded values, as regular expressions (ECMAScript syntax, anchored). The server refuses a
/// value of another shape with <see cref="ErrorCodes.Malformed"/>; the OpenAPI document carries the same patterns.
/// </summary>
public static class Formats
{
    /// <summary>An account id: <c>sm_</c> and 32 characters of lower-case base32 (protocol §Identity).</summary>
    public const string AccountIdPattern = "^sm_[a-z2-7]{32}$";

    /// <summary>A programme id: <c>pg_</c> and 32 lower-case hex digits.</summary>
    public const string ProgrammeIdPattern = "^pg_[0-9a-f]{32}$";

    /// <summary>A mentorship id: <c>ms_</c> and 32 lower-case hex digits.</summary>
    public const string MentorshipIdPattern = "^ms_[0-9a-f]{32}$";

    /// <summary>Characters of canonical standard base64 for a 32-byte value (key, nonce, hash), padding included.</summary>
    public const int Base64Of32Bytes = 44;

    /// <summary>Characters of canonical standard base64 for a 64-byte value (signature).</summary>
    public const int Base64Of64Bytes = 88;
}
