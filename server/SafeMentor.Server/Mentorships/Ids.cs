using System.Security.Cryptography;

namespace SafeMentor.Server.Mentorships;

/// <summary>Random, unguessable ids for server-made objects: a short prefix and 128 random bits in lower-case hex.</summary>
internal static class Ids
{
    private static readonly System.Buffers.SearchValues<char> s_hex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    /// <summary>Whether <paramref name="id"/> could be an id made by <see cref="New"/> with <paramref name="prefix"/>.</summary>
    public static bool IsWellFormed(string? id, string prefix)
        => id is not null
            && id.Length == prefix.Length + 32
            && id.StartsWith(prefix, StringComparison.Ordinal)
            && id.AsSpan(prefix.Length).ContainsAnyExcept(s_hex) is false;
}
