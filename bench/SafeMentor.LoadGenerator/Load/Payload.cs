using System.Buffers.Binary;

namespace SafeMentor.LoadGenerator.Load;

/// <summary>
/// Ciphertext the bench sends: shaped like a protocol v1 normal message (version byte 0x01, type 0x02, at least
/// 314 bytes), which is all the relay checks. After the two type bytes come the bench's own fields, so a receiver
/// can tell which run and stream an envelope belongs to, its sequence number and when it was sent; the rest is
/// random filler.
/// </summary>
/// <remarks>
/// Layout: [0] 0x01, [1] 0x02, [2..6) run, [6..10) stream, [10..18) sequence number, [18..26) send time
/// (<see cref="System.Diagnostics.Stopwatch"/> ticks), then filler. Little-endian.
/// </remarks>
internal static class Payload
{
    public const int MinimumSize = 314;
    private const int HeaderSize = 26;

    private static readonly byte[] s_filler = CreateFiller();

    public static byte[] Create(int size, int run, int stream, long sequence, long sentAt)
    {
        var bytes = new byte[size];
        s_filler.AsSpan(0, size).CopyTo(bytes);
        bytes[0] = 0x01;
        bytes[1] = 0x02;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2), run);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(6), stream);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(10), sequence);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(18), sentAt);
        return bytes;
    }

    public static bool TryRead(ReadOnlySpan<byte> ciphertext, out int run, out int stream, out long sequence, out long sentAt)
    {
        if (ciphertext.Length < HeaderSize || ciphertext[0] != 0x01 || ciphertext[1] != 0x02)
        {
            (run, stream, sequence, sentAt) = (0, 0, 0, 0);
            return false;
        }

        run = BinaryPrimitives.ReadInt32LittleEndian(ciphertext[2..]);
        stream = BinaryPrimitives.ReadInt32LittleEndian(ciphertext[6..]);
        sequence = BinaryPrimitives.ReadInt64LittleEndian(ciphertext[10..]);
        sentAt = BinaryPrimitives.ReadInt64LittleEndian(ciphertext[18..]);
        return true;
    }

    private static byte[] CreateFiller()
    {
        var filler = new byte[Contracts.Limits.MaxEnvelopeBytes];
        Random.Shared.NextBytes(filler);
        return filler;
    }
}
