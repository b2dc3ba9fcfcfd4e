using System.Buffers.Binary;

namespace SafeMentor.Protocol.Wire;

/// <summary>
/// The two wire messages of docs/protocol.md, Wire messages, parsed and length-checked before any cryptography:
/// <code>
/// normal = u8(0x01) || u8(0x02) || header || ciphertext
/// prekey = u8(0x01) || u8(0x01) || IKs_A || IKd_A || sigId_A || EK_A || u32(spkId) || u32(opkId) || header || ciphertext
/// header = DHs_pub || u32(PN) || u32(N)
/// </code>
/// The ciphertext is at least 272 bytes and 16 more than a multiple of 256.
/// </summary>
internal sealed class WireMessage
{
    public const byte TypePrekey = ProtocolConstants.MessageTypePrekey;
    public const byte TypeNormal = ProtocolConstants.MessageTypeNormal;

    private WireMessage(PrekeyFields? prekey, byte[] header, byte[] ciphertext)
    {
        Prekey = prekey;
        Header = header;
        Ciphertext = ciphertext;
    }

    /// <summary>The X3DH fields, for a prekey message; null for a normal one.</summary>
    public PrekeyFields? Prekey { get; }

    /// <summary>The 40 header bytes exactly as received (they are part of the AEAD's associated data).</summary>
    public byte[] Header { get; }

    public byte[] Ciphertext { get; }

    public ReadOnlySpan<byte> HeaderDh => Header.AsSpan(0, ProtocolConstants.KeySize);

    public uint PreviousChainLength => BinaryPrimitives.ReadUInt32BigEndian(Header.AsSpan(32, 4));

    public uint MessageNumber => BinaryPrimitives.ReadUInt32BigEndian(Header.AsSpan(36, 4));

    public static byte[] EncodeHeader(ReadOnlySpan<byte> dhPublic, uint previousChainLength, uint messageNumber)
    {
        var header = new byte[ProtocolConstants.HeaderSize];
        dhPublic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(32), previousChainLength);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(36), messageNumber);
        return header;
    }

    public static byte[] Encode(PrekeyFields? prekey, ReadOnlySpan<byte> header, ReadOnlySpan<byte> ciphertext)
    {
        var prefix = 2 + (prekey is null ? 0 : PrekeyFields.Size);
        var wire = new byte[prefix + header.Length + ciphertext.Length];
        wire[0] = ProtocolConstants.Version;
        wire[1] = prekey is null ? TypeNormal : TypePrekey;
        if (prekey is not null)
        {
            var span = wire.AsSpan(2);
            prekey.IdentitySigningKey.CopyTo(span);
            prekey.IdentityDhKey.CopyTo(span[32..]);
            prekey.IdentitySignature.CopyTo(span[64..]);
            prekey.EphemeralKey.CopyTo(span[128..]);
            BinaryPrimitives.WriteUInt32BigEndian(span[160..], prekey.SignedPrekeyId);
            BinaryPrimitives.WriteUInt32BigEndian(span[164..], prekey.OneTimePrekeyId);
        }

        header.CopyTo(wire.AsSpan(prefix));
        ciphertext.CopyTo(wire.AsSpan(prefix + header.Length));
        return wire;
    }

    /// <summary>Parses and checks lengths; every failure is a <see cref="ProtocolException"/> with a specific error.</summary>
    public static WireMessage Parse(ReadOnlySpan<byte> wire)
    {
        if (wire.Length > ProtocolConstants.MaxWireMessageLength)
        {
            throw new ProtocolException(ProtocolError.MessageTooLarge);
        }

        if (wire.Length < 2)
        {
            throw new ProtocolException(ProtocolError.MessageTooShort);
        }

        if (wire[0] != ProtocolConstants.Version)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion);
        }

        var body = wire[2..];
        PrekeyFields? prekey = null;
        switch (wire[1])
        {
            case TypeNormal:
                break;
            case TypePrekey:
                if (body.Length < PrekeyFields.Size)
                {
                    throw new ProtocolException(ProtocolError.MessageTooShort);
                }

                prekey = new PrekeyFields(
                    body[..32].ToArray(),
                    body[32..64].ToArray(),
                    body[64..128].ToArray(),
                    body[128..160].ToArray(),
                    BinaryPrimitives.ReadUInt32BigEndian(body[160..]),
                    BinaryPrimitives.ReadUInt32BigEndian(body[164..]));
                body = body[PrekeyFields.Size..];
                break;
            default:
                throw new ProtocolException(ProtocolError.UnknownMessageType);
        }

        if (body.Length < ProtocolConstants.HeaderSize + ProtocolConstants.MinCiphertextLength)
        {
            throw new ProtocolException(ProtocolError.MessageTooShort);
        }

        var ciphertext = body[ProtocolConstants.HeaderSize..];
        if (ciphertext.Length > ProtocolConstants.MaxCiphertextLength)
        {
            throw new ProtocolException(ProtocolError.MessageTooLarge);
        }

        if ((ciphertext.Length - ProtocolConstants.TagSize) % ProtocolConstants.PaddingBlock != 0)
        {
            throw new ProtocolException(ProtocolError.InvalidLength);
        }

        return new WireMessage(prekey, body[..ProtocolConstants.HeaderSize].ToArray(), ciphertext.ToArray());
    }
}
