using NSec.Cryptography;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Identity;

/// <summary>
/// A party's own long-term identity: the private IKs (Ed25519) and IKd (X25519) keys in NSec <see cref="Key"/>
/// objects, and the matching <see cref="PublicIdentity"/>. Only the client ever holds one.
/// </summary>
public sealed class LocalIdentity : IDisposable
{
    private readonly Key _signingKey;
    private readonly Key _dhKey;

    private LocalIdentity(Key signingKey, Key dhKey)
    {
        _signingKey = signingKey;
        _dhKey = dhKey;
        var dhPublic = Crypto.PublicKeyBytes(dhKey);
        var signingPublic = Crypto.PublicKeyBytes(signingKey);
        var binding = Crypto.Sign(signingKey, PublicIdentity.BindingMessage(dhPublic));
        Public = PublicIdentity.Verified(signingPublic, dhPublic, binding);
    }

    /// <summary>The public identity to register with the server and to put into prekey messages.</summary>
    public PublicIdentity Public { get; }

    /// <summary>The account id of this identity.</summary>
    public string AccountId => Public.AccountId;

    internal Key DhKey => _dhKey;

    /// <summary>Creates a new identity from <paramref name="keys"/> (random by default).</summary>
    public static LocalIdentity Create(KeySource? keys = null)
    {
        keys ??= KeySource.Random;
        var signing = keys.Generate(KeyPurpose.IdentitySigning);
        var dh = keys.Generate(KeyPurpose.IdentityDh);
        return new LocalIdentity(signing, dh);
    }

    /// <summary>Restores an identity from its 32-byte Ed25519 seed and 32-byte X25519 private key.</summary>
    public static LocalIdentity Import(ReadOnlySpan<byte> signingSeed, ReadOnlySpan<byte> dhPrivateKey)
        => new(Crypto.ImportPrivate(Crypto.Ed25519, signingSeed), Crypto.ImportPrivate(Crypto.X25519, dhPrivateKey));

    /// <summary>
    /// Writes the Ed25519 seed and the X25519 private key (32 bytes each). Only for the SDK, which keeps
    /// them in its own encrypted store; nothing else may persist or transmit them.
    /// </summary>
    public void ExportPrivateKeys(Span<byte> signingSeed, Span<byte> dhPrivateKey)
    {
        Crypto.ExportPrivate(_signingKey, signingSeed);
        Crypto.ExportPrivate(_dhKey, dhPrivateKey);
    }

    /// <summary>
    /// Signs <paramref name="message"/> with IKs. Internal on purpose: outside this library an identity signs
    /// only labelled statements (<see cref="Statements.StatementSigner"/>) and its own prekeys, so no caller can
    /// make it sign bytes that another protocol context would accept.
    /// </summary>
    internal byte[] Sign(ReadOnlySpan<byte> message) => Crypto.Sign(_signingKey, message);

    /// <inheritdoc />
    public void Dispose()
    {
        _signingKey.Dispose();
        _dhKey.Dispose();
    }

    /// <summary>Names the account only; never prints key bytes.</summary>
    public override string ToString() => $"LocalIdentity({AccountId})";
}
