using System.Security.Cryptography;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Identity;

/// <summary>
/// The public half of an identity (docs/protocol.md, Identity): IKs_pub (Ed25519), IKd_pub (X25519) and the
/// binding signature <c>sigId = Sign(IKs, lbl("SafeMentor/v1/identity") || IKd_pub)</c>. This is what the
/// server stores and hands out; it can check the binding but never act as the identity.
/// </summary>
public sealed class PublicIdentity : IEquatable<PublicIdentity>
{
    internal const string BindingLabel = "SafeMentor/v1/identity";

    private readonly byte[] _signingKey;
    private readonly byte[] _dhKey;
    private readonly byte[] _signature;

    private PublicIdentity(byte[] signingKey, byte[] dhKey, byte[] signature)
    {
        _signingKey = signingKey;
        _dhKey = dhKey;
        _signature = signature;
        AccountId = Identity.AccountId.FromSigningKey(signingKey);
    }

    /// <summary>IKs_pub, the Ed25519 identity signing key.</summary>
    public ReadOnlySpan<byte> SigningKey => _signingKey;

    /// <summary>IKd_pub, the X25519 identity DH key.</summary>
    public ReadOnlySpan<byte> DhKey => _dhKey;

    /// <summary>sigId, the binding signature over IKd_pub.</summary>
    public ReadOnlySpan<byte> BindingSignature => _signature;

    /// <summary>The account id derived from <see cref="SigningKey"/>.</summary>
    public string AccountId { get; }

    /// <summary>
    /// Reads an identity from its three parts and verifies the binding signature.
    /// Wrong lengths are misuse (<see cref="ArgumentException"/>); a bad signature is <see cref="ProtocolError.InvalidSignature"/>.
    /// </summary>
    public static PublicIdentity Verified(ReadOnlySpan<byte> signingKey, ReadOnlySpan<byte> dhKey, ReadOnlySpan<byte> bindingSignature)
    {
        RequireLength(signingKey, ProtocolConstants.KeySize, nameof(signingKey));
        RequireLength(dhKey, ProtocolConstants.KeySize, nameof(dhKey));
        RequireLength(bindingSignature, ProtocolConstants.SignatureSize, nameof(bindingSignature));
        if (!Crypto.Verify(signingKey, BindingMessage(dhKey), bindingSignature))
        {
            throw new ProtocolException(ProtocolError.InvalidSignature, "The identity binding signature does not verify.");
        }

        return new PublicIdentity(signingKey.ToArray(), dhKey.ToArray(), bindingSignature.ToArray());
    }

    /// <summary>The bytes that sigId signs.</summary>
    internal static byte[] BindingMessage(ReadOnlySpan<byte> dhKey)
        => new ByteBuilder().Label(BindingLabel).Bytes(dhKey).ToArray();

    /// <summary>Verifies an Ed25519 signature made with this identity's signing key.</summary>
    public bool VerifySignature(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
        => Crypto.Verify(_signingKey, message, signature);

    /// <summary><c>IKs_pub || IKd_pub</c>, the 64-byte fingerprint input of safety numbers.</summary>
    internal byte[] Fingerprint() => [.. _signingKey, .. _dhKey];

    /// <inheritdoc />
    public bool Equals(PublicIdentity? other)
        => other is not null
            && CryptographicOperations.FixedTimeEquals(_signingKey, other._signingKey)
            && CryptographicOperations.FixedTimeEquals(_dhKey, other._dhKey);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PublicIdentity);

    /// <inheritdoc />
    public override int GetHashCode() => AccountId.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => AccountId;

    private static void RequireLength(ReadOnlySpan<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes, got {value.Length}.", name);
        }
    }
}
