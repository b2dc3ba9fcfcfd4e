using NSec.Cryptography;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Audit;

/// <summary>
/// The server's own Ed25519 key for signing audit checkpoints, in an NSec <see cref="Key"/>. It is the server's,
/// not a user's: it signs nothing but checkpoints (the label keeps its signatures from meaning anything else).
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly Key _key;

    private AuditSigningKey(Key key)
    {
        _key = key;
        PublicKey = Crypto.PublicKeyBytes(key);
    }

    /// <summary>The 32-byte public key auditors pin.</summary>
    public byte[] PublicKey { get; }

    /// <summary>A fresh random key.</summary>
    public static AuditSigningKey Create() => new(Crypto.CreateKey(Crypto.Ed25519));

    /// <summary>Restores the key from its 32-byte seed.</summary>
    public static AuditSigningKey Import(ReadOnlySpan<byte> seed) => new(Crypto.ImportPrivate(Crypto.Ed25519, seed));

    /// <summary>
    /// Writes the 32-byte seed. Only for the server's key file in its data folder (owner-only permissions);
    /// nothing else may persist or transmit it.
    /// </summary>
    public void ExportSeed(Span<byte> seed) => Crypto.ExportPrivate(_key, seed);

    /// <summary>Signs the chain head at <paramref name="seq"/>.</summary>
    public AuditCheckpoint SignCheckpoint(long seq, byte[] headHash, long timeMs)
    {
        ArgumentNullException.ThrowIfNull(headHash);
        var signature = Crypto.Sign(_key, AuditHashing.CheckpointBytes(PublicKey, seq, headHash, timeMs));
        return new AuditCheckpoint(seq, headHash.ToArray(), timeMs, signature);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    /// <summary>Never prints key bytes.</summary>
    public override string ToString() => "AuditSigningKey";
}
