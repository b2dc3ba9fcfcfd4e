using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Identity;

/// <summary>
/// Account ids (docs/protocol.md, Identity): <c>"sm_" || base32lower(SHA-256(IKs_pub)[0..20))</c>.
/// The id is derived from the signing key, so it carries no personal data and cannot be claimed by another key.
/// </summary>
public static class AccountId
{
    /// <summary>The fixed prefix of every account id.</summary>
    public const string Prefix = "sm_";

    /// <summary>Length of an account id: the prefix and 32 base32 characters.</summary>
    public const int Length = 35;

    /// <summary>Derives the account id of an Ed25519 identity public key.</summary>
    public static string FromSigningKey(ReadOnlySpan<byte> identitySigningPublicKey)
    {
        if (identitySigningPublicKey.Length != ProtocolConstants.KeySize)
        {
            throw new ArgumentException("An identity signing public key is 32 bytes.", nameof(identitySigningPublicKey));
        }

        var hash = Crypto.Sha256(identitySigningPublicKey);
        return Prefix + Base32.EncodeLower(hash.AsSpan(0, 20));
    }

    /// <summary>Whether <paramref name="value"/> has the shape of an account id (prefix, length, alphabet). Says nothing about who owns it.</summary>
    public static bool IsWellFormed(string? value)
    {
        if (value is null || value.Length != Length || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value.AsSpan(Prefix.Length))
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '2' and <= '7')))
            {
                return false;
            }
        }

        // 160 bits fill 32 base32 characters exactly, so every character is significant.
        return true;
    }
}
