namespace SafeMentor.Server.Hosting;

/// <summary>Reads base64 fields of wire DTOs, with an exact expected length.</summary>
internal static class Base64Field
{
    /// <summary>Decodes <paramref name="value"/> when it is valid base64 of exactly <paramref name="length"/> bytes.</summary>
    public static bool TryDecode(string? value, int length, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(value) || value.Length > ((length + 2) / 3 * 4) + 4)
        {
            return false;
        }

        var buffer = new byte[length + 3];
        if (!Convert.TryFromBase64String(value, buffer, out var written) || written != length)
        {
            return false;
        }

        bytes = buffer[..length];
        return true;
    }
}
