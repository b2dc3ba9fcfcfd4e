namespace SafeMentor.Protocol;

/// <summary>
/// The sizes and limits of protocol version 1 (docs/protocol.md), in one place so that the
/// server, the SDK and the tests agree on them.
/// </summary>
public static class ProtocolConstants
{
    /// <summary>The version byte of every wire message.</summary>
    public const byte Version = 0x01;

    /// <summary>The type byte of a prekey message.</summary>
    public const byte MessageTypePrekey = 0x01;

    /// <summary>The type byte of a normal message.</summary>
    public const byte MessageTypeNormal = 0x02;

    /// <summary>The X3DH fields of a prekey message: IKs_pub 32, IKd_pub 32, sigId 64, EK_pub 32, spkId 4, opkId 4.</summary>
    public const int PrekeyFieldsSize = 168;

    /// <summary>Size of every public key (Ed25519 and X25519) and of every symmetric key.</summary>
    public const int KeySize = 32;

    /// <summary>Size of an Ed25519 signature.</summary>
    public const int SignatureSize = 64;

    /// <summary>Size of the authentication challenge nonce and of a ground-rules hash.</summary>
    public const int NonceSize = 32;

    /// <summary>Size of the X3DH associated data: IKs_A || IKd_A || IKs_B || IKd_B.</summary>
    public const int AssociatedDataSize = 128;

    /// <summary>Size of a ratchet header: DHs_pub || u32(PN) || u32(N).</summary>
    public const int HeaderSize = 40;

    /// <summary>The AEAD tag appended to every ciphertext.</summary>
    public const int TagSize = 16;

    /// <summary>Payloads are padded to a multiple of this many bytes.</summary>
    public const int PaddingBlock = 256;

    /// <summary>The smallest valid ciphertext: one padding block plus the tag.</summary>
    public const int MinCiphertextLength = PaddingBlock + TagSize;

    /// <summary>
    /// The largest padded payload this implementation sends or accepts (252 blocks). It keeps the largest
    /// prekey wire message within 64 KiB, the relay's envelope limit.
    /// </summary>
    public const int MaxPaddedLength = 252 * PaddingBlock;

    /// <summary>The largest payload that can be encrypted: the padded maximum less the 0x80 marker.</summary>
    public const int MaxPayloadLength = MaxPaddedLength - 1;

    /// <summary>The largest ciphertext accepted.</summary>
    public const int MaxCiphertextLength = MaxPaddedLength + TagSize;

    /// <summary>The shortest valid normal message: version, type, header and one padded block with its tag.</summary>
    public const int MinNormalMessageLength = 2 + HeaderSize + MinCiphertextLength;

    /// <summary>The shortest valid prekey message.</summary>
    public const int MinPrekeyMessageLength = MinNormalMessageLength + PrekeyFieldsSize;

    /// <summary>The largest wire message of either type.</summary>
    public const int MaxWireMessageLength = 65536;

    /// <summary>Message keys that may be skipped in one receiving chain (a gap of exactly this many is allowed).</summary>
    public const int MaxSkip = 1000;

    /// <summary>Skipped message keys kept per session; storing one more evicts the oldest.</summary>
    public const int MaxStoredSkippedKeys = 2000;

    /// <summary>Previous sessions kept per peer, besides the current one.</summary>
    public const int MaxPreviousSessions = 5;

    /// <summary>The reserved one-time prekey id meaning "no one-time prekey was used".</summary>
    public const uint NoOneTimePrekey = 0xFFFFFFFF;

    /// <summary>How long a superseded signed prekey is kept after rotation, so late prekey messages still decrypt.</summary>
    public static readonly TimeSpan SupersededSignedPrekeyRetention = TimeSpan.FromDays(30);

    /// <summary>The largest batch of one-time prekeys uploaded at once.</summary>
    public const int MaxOneTimePrekeyBatch = 100;
}
