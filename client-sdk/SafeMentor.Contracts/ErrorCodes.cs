namespace SafeMentor.Contracts;

/// <summary>
/// Stable, machine-readable error codes. HTTP answers carry one as the <c>code</c> member of an RFC 9457
/// problem document; the hub carries one as the whole message of a <c>HubException</c>.
/// Codes never change meaning; new ones may be added.
/// </summary>
public static class ErrorCodes
{
    /// <summary>The caller is not a party of the mentorship (or not its counterpart's peer).</summary>
    public const string NotAParty = "not_a_party";

    /// <summary>The relay is closed: both parties have not accepted the current ground-rules version.</summary>
    public const string ConsentRequired = "consent_required";

    /// <summary>The mentorship has ended.</summary>
    public const string MentorshipEnded = "mentorship_ended";

    /// <summary>The request or envelope is larger than allowed.</summary>
    public const string TooLarge = "too_large";

    /// <summary>Too many requests; try again later.</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The request is not well formed (shape, length, encoding or a field out of range).</summary>
    public const string Malformed = "malformed";

    /// <summary>No valid bearer token, or a token that has expired or was forged.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The caller is signed in but may not do this (for example, not a coordinator of the programme).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The thing asked for does not exist (or is not visible to the caller).</summary>
    public const string NotFound = "not_found";

    /// <summary>The request conflicts with the current state (for example, an id already used).</summary>
    public const string Conflict = "conflict";

    /// <summary>The invite code is unknown, already used or expired.</summary>
    public const string InviteInvalid = "invite_invalid";

    /// <summary>The sign-in challenge is unknown, already used or expired, or its answer does not verify.</summary>
    public const string ChallengeInvalid = "challenge_invalid";

    /// <summary>A signature (identity binding, signed prekey, consent) does not verify.</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>A consent names a ground-rules version or hash that is not the mentorship's current one.</summary>
    public const string GroundRulesMismatch = "ground_rules_mismatch";

    /// <summary>The account has no signed prekey on file yet.</summary>
    public const string NoPrekeys = "no_prekeys";

    /// <summary>
    /// The recipient's queue in this mentorship holds as many envelopes or bytes as the server allows; retry later,
    /// once the recipient has received and acknowledged some.
    /// </summary>
    public const string QueueFull = "queue_full";

    /// <summary>The mentorship's current ground rules do not allow export.</summary>
    public const string ExportNotAllowed = "export_not_allowed";

    /// <summary>The export consent had expired when the receipt arrived.</summary>
    public const string ExportConsentExpired = "export_consent_expired";

    /// <summary>The exported range is not inside the range the export consent covers.</summary>
    public const string ExportOutOfRange = "export_out_of_range";

    /// <summary>A retention period lies outside the server's configured bounds; the problem's detail names them.</summary>
    public const string OutOfBounds = "out_of_bounds";

    /// <summary>
    /// The account is suspended by a coordinator: its own sign-in is refused, and the relay of every mentorship it is a
    /// party to is closed (a counterpart's send is refused with this code).
    /// </summary>
    public const string AccountSuspended = "account_suspended";

    /// <summary>The account already holds as many hub connections as the server allows; close one first.</summary>
    public const string TooManyConnections = "too_many_connections";

    /// <summary>The server could not complete the request (for example, storage is unavailable).</summary>
    public const string Unavailable = "unavailable";
}
