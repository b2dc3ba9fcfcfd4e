using SafeMentor.Protocol.Identity;

namespace SafeMentor.Protocol.Prekeys;

/// <summary>
/// What the directory hands an initiator (docs/protocol.md, Prekeys): the responder's account id and public
/// identity, its signed prekey with signature, and at most one one-time prekey. Nothing in it is trusted
/// until <see cref="Validate"/> has passed.
/// </summary>
public sealed class PrekeyBundle
{
    /// <summary>Creates a bundle from its fields. Wrong lengths are misuse and throw <see cref="ArgumentException"/>.</summary>
    public PrekeyBundle(
        string accountId,
        byte[] identitySigningKey,
        byte[] identityDhKey,
        byte[] identitySignature,
        uint signedPrekeyId,
        byte[] signedPrekey,
        byte[] signedPrekeySignature,
        uint? oneTimePrekeyId = null,
        byte[]? oneTimePrekey = null)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        RequireLength(identitySigningKey, ProtocolConstants.KeySize, nameof(identitySigningKey));
        RequireLength(identityDhKey, ProtocolConstants.KeySize, nameof(identityDhKey));
        RequireLength(identitySignature, ProtocolConstants.SignatureSize, nameof(identitySignature));
        RequireLength(signedPrekey, ProtocolConstants.KeySize, nameof(signedPrekey));
        RequireLength(signedPrekeySignature, ProtocolConstants.SignatureSize, nameof(signedPrekeySignature));
        if (oneTimePrekeyId.HasValue != (oneTimePrekey is not null))
        {
            throw new ArgumentException("A one-time prekey needs both its id and its key.", nameof(oneTimePrekey));
        }

        if (oneTimePrekey is not null)
        {
            RequireLength(oneTimePrekey, ProtocolConstants.KeySize, nameof(oneTimePrekey));
        }

        AccountId = accountId;
        IdentitySigningKey = identitySigningKey.ToArray();
        IdentityDhKey = identityDhKey.ToArray();
        IdentitySignature = identitySignature.ToArray();
        SignedPrekeyId = signedPrekeyId;
        SignedPrekey = signedPrekey.ToArray();
        SignedPrekeySignature = signedPrekeySignature.ToArray();
        OneTimePrekeyId = oneTimePrekeyId;
        OneTimePrekey = oneTimePrekey?.ToArray();
    }

    /// <summary>The account id the directory claims this bundle belongs to.</summary>
    public string AccountId { get; }

    /// <summary>IKs_pub.</summary>
    public byte[] IdentitySigningKey { get; }

    /// <summary>IKd_pub.</summary>
    public byte[] IdentityDhKey { get; }

    /// <summary>sigId.</summary>
    public byte[] IdentitySignature { get; }

    /// <summary>spkId.</summary>
    public uint SignedPrekeyId { get; }

    /// <summary>SPK_pub.</summary>
    public byte[] SignedPrekey { get; }

    /// <summary>sigSpk.</summary>
    public byte[] SignedPrekeySignature { get; }

    /// <summary>opkId, when the directory had a one-time prekey left.</summary>
    public uint? OneTimePrekeyId { get; }

    /// <summary>OPK_pub, when the directory had a one-time prekey left.</summary>
    public byte[]? OneTimePrekey { get; }

    /// <summary>
    /// Checks the bundle before any key agreement: the account id is derived from IKs_pub and equals
    /// <paramref name="expectedAccountId"/> (<see cref="ProtocolError.AccountIdMismatch"/>), sigId and sigSpk
    /// verify (<see cref="ProtocolError.InvalidSignature"/>), and the one-time prekey id is not the reserved
    /// value (<see cref="ProtocolError.ReservedPrekeyId"/>). Returns the verified identity.
    /// </summary>
    public PublicIdentity Validate(string expectedAccountId)
    {
        ArgumentNullException.ThrowIfNull(expectedAccountId);
        var derived = Identity.AccountId.FromSigningKey(IdentitySigningKey);
        if (!string.Equals(derived, AccountId, StringComparison.Ordinal) || !string.Equals(derived, expectedAccountId, StringComparison.Ordinal))
        {
            throw new ProtocolException(ProtocolError.AccountIdMismatch);
        }

        var identity = PublicIdentity.Verified(IdentitySigningKey, IdentityDhKey, IdentitySignature);
        if (!SignedPrekeys.Verify(identity, SignedPrekeyId, SignedPrekey, SignedPrekeySignature))
        {
            throw new ProtocolException(ProtocolError.InvalidSignature, "The signed prekey signature does not verify.");
        }

        if (OneTimePrekeyId == ProtocolConstants.NoOneTimePrekey)
        {
            throw new ProtocolException(ProtocolError.ReservedPrekeyId);
        }

        return identity;
    }

    private static void RequireLength(byte[] value, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes, got {value.Length}.", name);
        }
    }
}
