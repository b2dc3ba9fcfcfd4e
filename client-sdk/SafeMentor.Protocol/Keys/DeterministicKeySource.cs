using System.Security.Cryptography;
using NSec.Cryptography;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Keys;

/// <summary>
/// Hands out private keys queued in advance, per purpose and in order. For tests and known-answer
/// vectors only: running out of keys is a test bug and throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class DeterministicKeySource : KeySource
{
    private readonly Dictionary<KeyPurpose, Queue<byte[]>> _queues = [];
    private readonly Dictionary<KeyPurpose, int> _drawn = [];

    /// <summary>Queues a 32-byte private key (an Ed25519 seed or an X25519 scalar) for <paramref name="purpose"/>.</summary>
    public DeterministicKeySource Enqueue(KeyPurpose purpose, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != ProtocolConstants.KeySize)
        {
            throw new ArgumentException("A private key is 32 bytes.", nameof(privateKey));
        }

        if (!_queues.TryGetValue(purpose, out var queue))
        {
            queue = new Queue<byte[]>();
            _queues[purpose] = queue;
        }

        queue.Enqueue(privateKey.ToArray());
        return this;
    }

    /// <summary>How many keys of <paramref name="purpose"/> have been handed out so far.</summary>
    public int Drawn(KeyPurpose purpose) => _drawn.GetValueOrDefault(purpose);

    /// <summary>How many keys of <paramref name="purpose"/> are still queued.</summary>
    public int Remaining(KeyPurpose purpose) => _queues.TryGetValue(purpose, out var q) ? q.Count : 0;

    /// <inheritdoc />
    public override Key Generate(KeyPurpose purpose)
    {
        if (!_queues.TryGetValue(purpose, out var queue) || queue.Count == 0)
        {
            throw new InvalidOperationException($"No deterministic key is queued for {purpose}.");
        }

        var raw = queue.Dequeue();
        try
        {
            _drawn[purpose] = Drawn(purpose) + 1;
            return Crypto.ImportPrivate(AlgorithmFor(purpose), raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(raw);
        }
    }

    /// <summary>Never prints key bytes.</summary>
    public override string ToString() => $"DeterministicKeySource({_queues.Values.Sum(q => q.Count)} keys queued)";
}
