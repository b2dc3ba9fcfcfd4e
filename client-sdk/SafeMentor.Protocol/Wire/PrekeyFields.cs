using System.Security.Cryptography;

namespace SafeMentor.Protocol.Wire;

/// <summary>
/// The X3DH fields a prekey message carries (docs/protocol.md, Wire messages): the initiator's IKs_pub,
/// IKd_pub, sigId and EK_pub, and the responder prekey ids it used. Every prekey message of one session
/// carries exactly the same fields.
/// </summary>
internal sealed class PrekeyFields : IEquatable<PrekeyFields>
{
    /// <summary>32 + 32 + 64 + 32 + 4 + 4 bytes.</summary>
    public const int Size = ProtocolConstants.PrekeyFieldsSize;

    public PrekeyFields(byte[] identitySigningKey, byte[] identityDhKey, byte[] identitySignature, byte[] ephemeralKey, uint signedPrekeyId, uint oneTimePrekeyId)
    {
        IdentitySigningKey = identitySigningKey;
        IdentityDhKey = identityDhKey;
        IdentitySignature = identitySignature;
        EphemeralKey = ephemeralKey;
        SignedPrekeyId = signedPrekeyId;
        OneTimePrekeyId = oneTimePrekeyId;
    }

    public byte[] IdentitySigningKey { get; }

    public byte[] IdentityDhKey { get; }

    public byte[] IdentitySignature { get; }

    public byte[] EphemeralKey { get; }

    public uint SignedPrekeyId { get; }

    /// <summary>The one-time prekey id, or 0xFFFFFFFF when none was used.</summary>
    public uint OneTimePrekeyId { get; }

    public bool UsedOneTimePrekey => OneTimePrekeyId != ProtocolConstants.NoOneTimePrekey;

    public bool Equals(PrekeyFields? other)
        => other is not null
            && CryptographicOperations.FixedTimeEquals(IdentitySigningKey, other.IdentitySigningKey)
            && CryptographicOperations.FixedTimeEquals(IdentityDhKey, other.IdentityDhKey)
            && CryptographicOperations.FixedTimeEquals(IdentitySignature, other.IdentitySignature)
            && CryptographicOperations.FixedTimeEquals(EphemeralKey, other.EphemeralKey)
            && SignedPrekeyId == other.SignedPrekeyId
            && OneTimePrekeyId == other.OneTimePrekeyId;

    public override bool Equals(object? obj) => Equals(obj as PrekeyFields);

    public override int GetHashCode() => HashCode.Combine(EphemeralKey[0], EphemeralKey[1], SignedPrekeyId, OneTimePrekeyId);
}
