using System.Buffers.Binary;

namespace SafeMentor.Protocol.Tests.Support;

/// <summary>Offsets of docs/protocol.md, Wire messages, for tampering with messages byte by byte.</summary>
internal static class WireLayout
{
    public const byte TypePrekey = 0x01;
    public const byte TypeNormal = 0x02;

    public const int IdentitySigningKey = 2;
    public const int IdentityDhKey = 34;
    public const int IdentitySignature = 66;
    public const int EphemeralKey = 130;
    public const int SignedPrekeyId = 162;
    public const int OneTimePrekeyId = 166;
    public const int PrekeyHeader = 170;
    public const int NormalHeader = 2;

    public static int Header(byte[] wire) => wire[1] == TypePrekey ? PrekeyHeader : NormalHeader;

    public static int Ciphertext(byte[] wire) => Header(wire) + ProtocolConstants.HeaderSize;

    public static int HeaderDh(byte[] wire) => Header(wire);

    public static int HeaderPreviousChainLength(byte[] wire) => Header(wire) + 32;

    public static int HeaderNumber(byte[] wire) => Header(wire) + 36;

    public static uint ReadU32(byte[] wire, int offset) => BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(offset));

    /// <summary>A copy of <paramref name="wire"/> with one byte XORed with <paramref name="mask"/>.</summary>
    public static byte[] Flip(byte[] wire, int index, byte mask = 0x01)
    {
        var copy = wire.ToArray();
        copy[index] ^= mask;
        return copy;
    }

    public static byte[] WithU32(byte[] wire, int offset, uint value)
    {
        var copy = wire.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(offset), value);
        return copy;
    }

    public static byte[] WithBytes(byte[] wire, int offset, ReadOnlySpan<byte> bytes)
    {
        var copy = wire.ToArray();
        bytes.CopyTo(copy.AsSpan(offset));
        return copy;
    }
}
