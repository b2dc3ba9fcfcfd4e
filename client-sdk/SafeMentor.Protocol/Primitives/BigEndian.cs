using System.Buffers.Binary;
using System.Text;

namespace SafeMentor.Protocol.Primitives;

/// <summary>
/// Builds the byte strings of docs/protocol.md, Notation: <c>lbl(x)</c>, <c>str(x)</c> and big-endian integers.
/// Used for signed data and hash inputs, never on a hot path.
/// </summary>
internal sealed class ByteBuilder
{
    private readonly List<byte> _bytes = new(128);

    /// <summary><c>lbl(x) = u8(len(x)) || ascii(x)</c>.</summary>
    public ByteBuilder Label(string label)
    {
        var ascii = Encoding.ASCII.GetBytes(label);
        _bytes.Add(checked((byte)ascii.Length));
        _bytes.AddRange(ascii);
        return this;
    }

    /// <summary><c>str(x) = u16(len(utf8(x))) || utf8(x)</c>, the string exactly as given.</summary>
    public ByteBuilder Str(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        byte[] utf8;
        try
        {
            utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetBytes(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The string is not valid UTF-16 (a lone surrogate).", paramName, e);
        }

        if (utf8.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A string in signed data is at most 65535 UTF-8 bytes.", paramName);
        }

        U16((ushort)utf8.Length);
        _bytes.AddRange(utf8);
        return this;
    }

    public ByteBuilder Bytes(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            _bytes.Add(b);
        }

        return this;
    }

    public ByteBuilder U8(byte value)
    {
        _bytes.Add(value);
        return this;
    }

    public ByteBuilder U16(ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        return Bytes(b);
    }

    public ByteBuilder U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return Bytes(b);
    }

    public ByteBuilder U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        return Bytes(b);
    }

    public byte[] ToArray() => [.. _bytes];
}
