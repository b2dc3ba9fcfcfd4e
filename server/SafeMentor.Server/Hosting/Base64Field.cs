namespace SafeMentor.Server.Hosting;

/// <summary>Reads base64 fields of wire DTOs: canonical standard base64 with padding, of an exact decoded length.</summary>
internal static class Base64Field
{
    /// <summary>The number of characters of canonical base64 (with padding) for <paramref name="bytes"/> bytes.</summary>
    public static int EncodedLength(int bytes) => (bytes + 2) / 3 * 4;

    /// <summary>
    /// Decodes <paramref name="value"/> when it is the canonical base64 encoding of exactly <paramref name="length"/>
    /// bytes. <see cref="Convert"/> alone also accepts whitespace and non-zero padding bits; both are refused here,
    /// so one value has one spelling.
    /// </summary>
    public static bool TryDecode(string? value, int length, out byte[] bytes)
    {
        bytes = [];
        if (value is null || value.Length != EncodedLength(length))
        {
            return false;
        }

        var buffer = new byte[length + 2];
        if (!Convert.TryFromBase64String(value, buffer, out var written) || written != length)
        {
            return false;
        }

        var decoded = buffer[..length];
        if (!string.Equals(Convert.ToBase64String(decoded), value, StringComparison.Ordinal))
        {
            return false;
        }

        bytes = decoded;
        return true;
    }
}
