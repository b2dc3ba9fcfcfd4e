using System.ComponentModel.DataAnnotations;

namespace SafeMentor.Contracts;

/// <summary>A signed prekey: id, X25519 public key (32 bytes), and its signature by IKs (64 bytes).</summary>
public sealed record SignedPrekeyDto(uint Id, [property: StringLength(Formats.Base64Of32Bytes, MinimumLength = Formats.Base64Of32Bytes)] string PublicKey, [property: StringLength(Formats.Base64Of64Bytes, MinimumLength = Formats.Base64Of64Bytes)] string Signature);

/// <summary>A one-time prekey: id (never 0xFFFFFFFF) and X25519 public key (32 bytes).</summary>
public sealed record OneTimePrekeyDto(uint Id, [property: StringLength(Formats.Base64Of32Bytes, MinimumLength = Formats.Base64Of32Bytes)] string PublicKey);

/// <summary>
/// A prekey upload. <paramref name="SignedPrekey"/> replaces the current one when present (required on the first
/// upload); <paramref name="OneTimePrekeys"/> are added (at most <see cref="Limits.MaxOneTimePrekeysPerUpload"/>).
/// </summary>
public sealed record UploadPrekeysRequest(SignedPrekeyDto? SignedPrekey = null, IReadOnlyList<OneTimePrekeyDto>? OneTimePrekeys = null);

/// <summary>How many one-time prekeys are left, and the current signed prekey id (null before any upload).</summary>
public sealed record PrekeyCountResponse(int OneTimePrekeys, uint? SignedPrekeyId);

/// <summary>
/// A counterpart's prekey bundle. <paramref name="OneTimePrekey"/> is null when none is left; each one is handed out once.
/// </summary>
public sealed record PrekeyBundleResponse(
    string AccountId,
    string IdentitySigningKey,
    string IdentityDhKey,
    string IdentitySignature,
    SignedPrekeyDto SignedPrekey,
    OneTimePrekeyDto? OneTimePrekey);
