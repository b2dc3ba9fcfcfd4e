using System.Buffers.Binary;
using System.Text;

namespace SafeMentor.Protocol.Primitives;

/// <summary>
/// Reads what <see cref="StateWriter"/> wrote. Any truncation, bad flag or trailing byte is
/// <see cref="ProtocolError.MalformedState"/>: stored state is checked as carefully as wire input.
/// </summary>
internal ref struct StateReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;

    public StateReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
    }

    public byte U8() => Take(1)[0];

    public bool Bool() => U8() switch
    {
        0 => false,
        1 => true,
        _ => throw Malformed("a flag is neither 0 nor 1"),
    };

    public uint U32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public long I64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));

    public ReadOnlySpan<byte> Fixed(int length) => Take(length);

    public byte[]? Optional(int length) => Bool() ? Take(length).ToArray() : null;

    public string String()
    {
        var length = U32();
        if (length > 65536)
        {
            throw Malformed("a string is too long");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Take((int)length));
        }
        catch (DecoderFallbackException)
        {
            throw Malformed("a string is not UTF-8");
        }
    }

    /// <summary>A count of items, bounded so corrupted state cannot ask for a huge allocation.</summary>
    public int Count(int max)
    {
        var count = U32();
        if (count > (uint)max)
        {
            throw Malformed("a count exceeds its limit");
        }

        return (int)count;
    }

    public readonly void End()
    {
        if (_offset != _data.Length)
        {
            throw Malformed("trailing bytes");
        }
    }

    public static ProtocolException Malformed(string what)
        => new(ProtocolError.MalformedState, $"The stored state is malformed: {what}.");

    private ReadOnlySpan<byte> Take(int length)
    {
        if (length < 0 || _data.Length - _offset < length)
        {
            throw Malformed("it is truncated");
        }

        var slice = _data.Slice(_offset, length);
        _offset += length;
        return slice;
    }
}
