using System.Buffers.Binary;
using System.Text;

namespace SafeMentor.Protocol.Primitives;

/// <summary>
/// Writes persisted state (sessions, prekeys) in a fixed, big-endian layout, so that serialising a
/// deserialised state gives back the very same bytes.
/// </summary>
internal sealed class StateWriter
{
    private readonly List<byte> _bytes = new(512);

    public void U8(byte value) => _bytes.Add(value);

    public void Bool(bool value) => U8(value ? (byte)1 : (byte)0);

    public void U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _bytes.AddRange(b);
    }

    public void I64(long value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(b, value);
        _bytes.AddRange(b);
    }

    /// <summary>Bytes of a length both sides know (keys, signatures).</summary>
    public void Fixed(ReadOnlySpan<byte> bytes) => _bytes.AddRange(bytes);

    /// <summary>An optional fixed-size value: a presence byte, then the bytes.</summary>
    public void Optional(ReadOnlySpan<byte> bytes, bool present)
    {
        Bool(present);
        if (present)
        {
            Fixed(bytes);
        }
    }

    public void String(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        U32((uint)utf8.Length);
        _bytes.AddRange(utf8);
    }

    public byte[] ToArray() => [.. _bytes];
}
