using System.Security.Cryptography;
using System.Text;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Ratchet;

/// <summary>
/// The Double Ratchet's key derivations (docs/protocol.md, Double Ratchet):
/// <code>
/// KDF_RK(rk, dh) = HKDF(ikm = dh, salt = rk, info = "SafeMentor/v1/root", L = 64) -> (rk' = [0,32), ck = [32,64))
/// KDF_CK(ck)     : mk = HMAC(ck, 0x01); ck' = HMAC(ck, 0x02)
/// message keys   : HKDF(ikm = mk, salt = 0x00*32, info = "SafeMentor/v1/message", L = 56) -> (key = [0,32), nonce = [32,56))
/// </code>
/// </summary>
internal static class ChainKdf
{
    private static readonly byte[] s_rootInfo = Encoding.ASCII.GetBytes("SafeMentor/v1/root");
    private static readonly byte[] s_messageInfo = Encoding.ASCII.GetBytes("SafeMentor/v1/message");
    private static readonly byte[] s_messageKeyInput = [0x01];
    private static readonly byte[] s_chainKeyInput = [0x02];

    /// <summary>Returns the new root key and chain key.</summary>
    public static (byte[] RootKey, byte[] ChainKey) RootStep(ReadOnlySpan<byte> rootKey, ReadOnlySpan<byte> dhOutput)
    {
        Span<byte> okm = stackalloc byte[64];
        try
        {
            Crypto.Hkdf(dhOutput, rootKey, s_rootInfo, okm);
            return (okm[..32].ToArray(), okm[32..].ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(okm);
        }
    }

    /// <summary>Returns the next chain key and the message key of the current step.</summary>
    public static (byte[] ChainKey, byte[] MessageKey) ChainStep(ReadOnlySpan<byte> chainKey)
    {
        var messageKey = new byte[32];
        var nextChainKey = new byte[32];
        Crypto.Hmac(chainKey, s_messageKeyInput, messageKey);
        Crypto.Hmac(chainKey, s_chainKeyInput, nextChainKey);
        return (nextChainKey, messageKey);
    }

    /// <summary>Expands a message key into the AEAD key (32 bytes) and nonce (24 bytes), written to <paramref name="output"/>.</summary>
    public static void MessageKeys(ReadOnlySpan<byte> messageKey, Span<byte> output)
    {
        Span<byte> salt = stackalloc byte[32];
        salt.Clear();
        Crypto.Hkdf(messageKey, salt, s_messageInfo, output[..56]);
    }
}
