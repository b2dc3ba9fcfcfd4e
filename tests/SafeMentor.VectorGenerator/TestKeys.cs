using System.Security.Cryptography;
using System.Text;

namespace SafeMentor.VectorGenerator;

/// <summary>
/// Deterministic 32-byte private keys for the vectors: SHA-256 of a readable label, so anyone can see that
/// no key was chosen to hide anything.
/// </summary>
internal static class TestKeys
{
    public static byte[] Derive(string vector, string party, string purpose, int index = 0)
        => SHA256.HashData(Encoding.UTF8.GetBytes($"SafeMentor test vector/{vector}/{party}/{purpose}/{index}"));
}
