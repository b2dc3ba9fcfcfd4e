using NSec.Cryptography;
using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Keys;

/// <summary>
/// Where new private keys come from. Production code uses <see cref="Random"/>; tests and the
/// known-answer vectors inject a <see cref="DeterministicKeySource"/> so that every byte is reproducible.
/// Every key is created exportable, because session state and the SDK's encrypted store must persist it.
/// </summary>
public abstract class KeySource
{
    /// <summary>Keys from the operating system's CSPRNG, through libsodium.</summary>
    public static KeySource Random { get; } = new RandomKeySource();

    /// <summary>Returns a new private key for <paramref name="purpose"/>: Ed25519 for identity signing, X25519 otherwise.</summary>
    public abstract Key Generate(KeyPurpose purpose);

    /// <summary>The algorithm a key of <paramref name="purpose"/> uses.</summary>
    protected static Algorithm AlgorithmFor(KeyPurpose purpose)
        => purpose == KeyPurpose.IdentitySigning ? Crypto.Ed25519 : Crypto.X25519;

    private sealed class RandomKeySource : KeySource
    {
        public override Key Generate(KeyPurpose purpose) => Crypto.CreateKey(AlgorithmFor(purpose));
    }
}
