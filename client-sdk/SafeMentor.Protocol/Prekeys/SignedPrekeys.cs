using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Prekeys;

/// <summary>
/// The signed-prekey signature (docs/protocol.md, Prekeys):
/// <c>sigSpk = Sign(IKs, lbl("SafeMentor/v1/signed-prekey") || u32(spkId) || SPK_pub)</c>.
/// The server uses the Verify overloads to refuse an upload whose signature is bad.
/// </summary>
public static class SignedPrekeys
{
    internal const string Label = "SafeMentor/v1/signed-prekey";

    /// <summary>The exact bytes that sigSpk signs.</summary>
    public static byte[] SignedMessage(uint signedPrekeyId, ReadOnlySpan<byte> signedPrekeyPublic)
    {
        if (signedPrekeyPublic.Length != ProtocolConstants.KeySize)
        {
            throw new ArgumentException("A signed prekey is 32 bytes.", nameof(signedPrekeyPublic));
        }

        return new ByteBuilder().Label(Label).U32(signedPrekeyId).Bytes(signedPrekeyPublic).ToArray();
    }

    /// <summary>Whether <paramref name="signature"/> is a valid sigSpk of <paramref name="identity"/>.</summary>
    public static bool Verify(PublicIdentity identity, uint signedPrekeyId, ReadOnlySpan<byte> signedPrekeyPublic, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return Verify(identity.SigningKey, signedPrekeyId, signedPrekeyPublic, signature);
    }

    /// <summary>Like <see cref="Verify(PublicIdentity, uint, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, from the raw 32-byte IKs_pub the server stores.</summary>
    public static bool Verify(ReadOnlySpan<byte> identitySigningKey, uint signedPrekeyId, ReadOnlySpan<byte> signedPrekeyPublic, ReadOnlySpan<byte> signature)
        => signedPrekeyPublic.Length == ProtocolConstants.KeySize
            && Crypto.Verify(identitySigningKey, SignedMessage(signedPrekeyId, signedPrekeyPublic), signature);
}
