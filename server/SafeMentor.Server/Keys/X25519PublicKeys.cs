namespace SafeMentor.Server.Keys;

/// <summary>
/// X25519 public keys of small order. A Diffie-Hellman with one of them gives the same output whatever the private key
/// (all zeros), so such a key as an identity DH key or a prekey would make a session's secret known to anyone. The
/// server checks the shape of what it stores and hands out; refusing these few encodings is a shape check (protocol
/// §Primitives: clients also abort on an all-zero DH output).
/// </summary>
internal static class X25519PublicKeys
{
    // The points of order 1, 2, 4 and 8 and their encodings above p, as little-endian u-coordinates with bit 255
    // cleared (X25519 ignores that bit, so each has a second encoding with it set).
    private static readonly byte[][] s_lowOrder =
    [
        Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("0100000000000000000000000000000000000000000000000000000000000000"),
        Convert.FromHexString("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        Convert.FromHexString("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
        Convert.FromHexString("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        Convert.FromHexString("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
    ];

    /// <summary>Whether <paramref name="publicKey"/> (32 bytes) is a point of small order in any of its encodings.</summary>
    public static bool IsLowOrder(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != 32)
        {
            return true;
        }

        Span<byte> masked = stackalloc byte[32];
        publicKey.CopyTo(masked);
        masked[31] &= 0x7f;
        foreach (var point in s_lowOrder)
        {
            if (masked.SequenceEqual(point))
            {
                return true;
            }
        }

        return false;
    }
}
