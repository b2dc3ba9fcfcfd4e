namespace SafeMentor.Protocol.Ratchet;

/// <summary>
/// <c>pad(payload) = payload || 0x80 || 0x00*k</c>, the smallest k making the length a multiple of 256,
/// so that ciphertext lengths reveal only a coarse size. Unpadding is strict: anything else is
/// <see cref="ProtocolError.InvalidPadding"/>.
/// </summary>
internal static class Padding
{
    public static int PaddedLength(int payloadLength)
        => ((payloadLength / ProtocolConstants.PaddingBlock) + 1) * ProtocolConstants.PaddingBlock;

    public static byte[] Pad(ReadOnlySpan<byte> payload)
    {
        var padded = new byte[PaddedLength(payload.Length)];
        payload.CopyTo(padded);
        padded[payload.Length] = 0x80;
        return padded;
    }

    /// <summary>Returns the payload length inside <paramref name="padded"/>.</summary>
    public static int Unpad(ReadOnlySpan<byte> padded)
    {
        if (padded.Length == 0 || padded.Length % ProtocolConstants.PaddingBlock != 0)
        {
            throw new ProtocolException(ProtocolError.InvalidPadding);
        }

        var marker = padded.LastIndexOfAnyExcept((byte)0);
        // The marker must exist, be 0x80, and be followed by fewer than 256 zero bytes.
        if (marker < 0 || padded[marker] != 0x80 || padded.Length - marker - 1 >= ProtocolConstants.PaddingBlock)
        {
            throw new ProtocolException(ProtocolError.InvalidPadding);
        }

        return marker;
    }
}
