using System.Security.Cryptography;
using System.Text;

namespace SafeMentor.Client.Storage;

/// <summary>
/// The passphrase that opens a store, held as UTF-8 bytes (never a <see cref="string"/>) and wiped on dispose.
/// </summary>
public sealed class Passphrase : IDisposable
{
    private readonly byte[] _utf8;

    private Passphrase(byte[] utf8)
    {
        if (utf8.Length == 0)
        {
            throw new ArgumentException("A passphrase must not be empty.", nameof(utf8));
        }

        _utf8 = utf8;
    }

    /// <summary>Copies a passphrase given as UTF-8 bytes.</summary>
    public static Passphrase FromUtf8(ReadOnlySpan<byte> utf8) => new(utf8.ToArray());

    /// <summary>Encodes a passphrase given as characters (for example read key by key from a terminal).</summary>
    public static Passphrase FromChars(ReadOnlySpan<char> chars)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(chars)];
        Encoding.UTF8.GetBytes(chars, bytes);
        return new Passphrase(bytes);
    }

    internal ReadOnlySpan<byte> Utf8 => _utf8;

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_utf8);

    /// <summary>Never prints the passphrase.</summary>
    public override string ToString() => "Passphrase(***)";
}

/// <summary>
/// Argon2id cost of a new store. Stored with the file, so a store always opens with the parameters it was made with.
/// <see cref="Default"/> is for people; tests pass small values to stay fast.
/// </summary>
/// <param name="MemoryKiB">Memory in KiB (64 MiB by default).</param>
/// <param name="Iterations">Passes over the memory (3 by default).</param>
/// <param name="Parallelism">Lanes (1).</param>
public sealed record KdfParameters(long MemoryKiB, long Iterations, int Parallelism)
{
    /// <summary>64 MiB, 3 passes, 1 lane.</summary>
    public static KdfParameters Default { get; } = new(64 * 1024, 3, 1);
}
