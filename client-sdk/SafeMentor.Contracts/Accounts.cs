using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Contracts;

// Binary values (keys, signatures, nonces, hashes) travel in JSON as standard base64 strings with padding.

/// <summary>A fresh sign-in challenge: 32 random bytes, valid once, until <paramref name="ExpiresAt"/>.</summary>
public sealed record ChallengeResponse(string Nonce, DateTimeOffset ExpiresAt);

/// <summary>
/// Creates an account by redeeming an invite. <paramref name="NonceSignature"/> is the signature of the
/// auth statement (protocol §Signed statements) over the account id derived from
/// <paramref name="IdentitySigningKey"/> and a challenge <paramref name="Nonce"/>: proof of possession.
/// </summary>
public sealed record CreateAccountRequest(
    [property: StringLength(Limits.MaxInviteCodeLength, MinimumLength = 1)] string InviteCode,
    [property: StringLength(Limits.MaxPseudonymLength, MinimumLength = 1)] string Pseudonym,
    [property: StringLength(Formats.Base64Of32Bytes, MinimumLength = Formats.Base64Of32Bytes)] string IdentitySigningKey,
    [property: StringLength(Formats.Base64Of32Bytes, MinimumLength = Formats.Base64Of32Bytes)] string IdentityDhKey,
    [property: StringLength(Formats.Base64Of64Bytes, MinimumLength = Formats.Base64Of64Bytes)] string IdentitySignature,
    [property: StringLength(Formats.Base64Of32Bytes, MinimumLength = Formats.Base64Of32Bytes)] string Nonce,
    [property: StringLength(Formats.Base64Of64Bytes, MinimumLength = Formats.Base64Of64Bytes)] string NonceSignature);

/// <summary>Answers a challenge: the auth statement over <paramref name="AccountId"/> and <paramref name="Nonce"/>, signed.</summary>
public sealed record SignInRequest(
    [property: RegularExpression(Formats.AccountIdPattern)] string AccountId,
    [property: StringLength(Formats.Base64Of32Bytes, MinimumLength = Formats.Base64Of32Bytes)] string Nonce,
    [property: StringLength(Formats.Base64Of64Bytes, MinimumLength = Formats.Base64Of64Bytes)] string Signature);

/// <summary>Exchanges a refresh token for a new access token and refresh token.</summary>
public sealed record RefreshRequest([property: StringLength(Limits.MaxTokenLength, MinimumLength = 1)] string RefreshToken);

/// <summary>
/// Tokens issued on sign-in and refresh. <paramref name="ExpiresIn"/> is the access token's lifetime in seconds.
/// Send the access token as <c>Authorization: Bearer ...</c>, or as the <c>access_token</c> query parameter to the hub.
/// </summary>
public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

/// <summary>One role the account holds in one programme.</summary>
public sealed record MembershipDto(string ProgrammeId, [property: AllowedValues(Roles.Mentee, Roles.Mentor, Roles.Coordinator, Roles.ComplianceOfficer)] string Role);

/// <summary>
/// An account as its owner sees it. <paramref name="CanCreateProgrammes"/> is true for accounts created with a
/// server coordinator invite.
/// </summary>
public sealed record AccountResponse(string AccountId, string Pseudonym, bool CanCreateProgrammes, IReadOnlyList<MembershipDto> Memberships);

/// <summary>Redeems an invite with an existing account (joining another programme or taking another role).</summary>
public sealed record RedeemInviteRequest([property: StringLength(Limits.MaxInviteCodeLength, MinimumLength = 1)] string InviteCode);

/// <summary>Asks for an invite into a programme with one of <see cref="Roles.All"/>.</summary>
public sealed record CreateInviteRequest([property: AllowedValues(Roles.Mentee, Roles.Mentor, Roles.Coordinator, Roles.ComplianceOfficer)] string Role);

/// <summary>
/// A freshly minted invite. The server keeps only a hash of <paramref name="Code"/>; it is shown once.
/// <paramref name="ProgrammeId"/> is null for a server coordinator invite.
/// </summary>
public sealed record InviteResponse(
    string Code,
    string? ProgrammeId,
    [property: AllowedValues(Roles.Mentee, Roles.Mentor, Roles.Coordinator, Roles.ComplianceOfficer)] string Role,
    DateTimeOffset ExpiresAt);
