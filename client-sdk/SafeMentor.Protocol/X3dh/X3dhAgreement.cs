using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.X3dh;

/// <summary>
/// X3DH session start (docs/protocol.md, X3DH), for initiator A and responder B:
/// <code>
/// DH1 = DH(IKd_A, SPK_B)   DH2 = DH(EK_A, IKd_B)   DH3 = DH(EK_A, SPK_B)   [DH4 = DH(EK_A, OPK_B)]
/// SK  = HKDF(ikm = 0xFF*32 || DH1 || DH2 || DH3 [|| DH4], salt = 0x00*32, info = "SafeMentor/v1/x3dh", L = 32)
/// AD  = IKs_A_pub || IKd_A_pub || IKs_B_pub || IKd_B_pub   (128 bytes)
/// </code>
/// The 0xFF prefix keeps the key material distinct from any X25519 output, as in Signal's X3DH.
/// Any all-zero DH output aborts with <see cref="ProtocolError.InvalidKeyAgreement"/>.
/// </summary>
internal static class X3dhAgreement
{
    private static readonly byte[] s_info = Encoding.ASCII.GetBytes("SafeMentor/v1/x3dh");

    /// <summary>A's side: its identity and ephemeral keys against B's verified bundle keys.</summary>
    public static byte[] InitiatorSecret(Key identityDhA, Key ephemeralA, ReadOnlySpan<byte> identityDhB, ReadOnlySpan<byte> signedPrekeyB, ReadOnlySpan<byte> oneTimePrekeyB)
    {
        var count = oneTimePrekeyB.IsEmpty ? 3 : 4;
        var ikm = new byte[32 * (count + 1)];
        try
        {
            ikm.AsSpan(0, 32).Fill(0xFF);
            Crypto.Dh(identityDhA, signedPrekeyB, ikm.AsSpan(32, 32));
            Crypto.Dh(ephemeralA, identityDhB, ikm.AsSpan(64, 32));
            Crypto.Dh(ephemeralA, signedPrekeyB, ikm.AsSpan(96, 32));
            if (count == 4)
            {
                Crypto.Dh(ephemeralA, oneTimePrekeyB, ikm.AsSpan(128, 32));
            }

            return Derive(ikm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    /// <summary>B's side: the same four agreements from its private keys and A's public ones.</summary>
    public static byte[] ResponderSecret(Key identityDhB, Key signedPrekeyB, Key? oneTimePrekeyB, ReadOnlySpan<byte> identityDhA, ReadOnlySpan<byte> ephemeralA)
    {
        var count = oneTimePrekeyB is null ? 3 : 4;
        var ikm = new byte[32 * (count + 1)];
        try
        {
            ikm.AsSpan(0, 32).Fill(0xFF);
            Crypto.Dh(signedPrekeyB, identityDhA, ikm.AsSpan(32, 32));
            Crypto.Dh(identityDhB, ephemeralA, ikm.AsSpan(64, 32));
            Crypto.Dh(signedPrekeyB, ephemeralA, ikm.AsSpan(96, 32));
            if (oneTimePrekeyB is not null)
            {
                Crypto.Dh(oneTimePrekeyB, ephemeralA, ikm.AsSpan(128, 32));
            }

            return Derive(ikm);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    /// <summary><c>AD = IKs_A_pub || IKd_A_pub || IKs_B_pub || IKd_B_pub</c>.</summary>
    public static byte[] AssociatedData(PublicIdentity initiator, PublicIdentity responder)
        => [.. initiator.SigningKey, .. initiator.DhKey, .. responder.SigningKey, .. responder.DhKey];

    private static byte[] Derive(ReadOnlySpan<byte> ikm)
    {
        var sk = new byte[32];
        Span<byte> salt = stackalloc byte[32];
        salt.Clear();
        Crypto.Hkdf(ikm, salt, s_info, sk);
        return sk;
    }
}
