using System.Security.Cryptography;
using NSec.Cryptography;

namespace SafeMentor.Protocol.Primitives;

/// <summary>
/// The primitives of docs/protocol.md, Primitives, as the rest of the library uses them:
/// X25519 (RFC 7748) with the all-zero check, Ed25519 (RFC 8032, strict libsodium verification),
/// HKDF-SHA256 (RFC 5869), HMAC-SHA256, SHA-256 and XChaCha20-Poly1305-IETF.
/// Inputs here have already been length-checked; a wrong length is a programming error.
/// </summary>
internal static class Crypto
{

    public static KeyAgreementAlgorithm X25519 => KeyAgreementAlgorithm.X25519;

    public static SignatureAlgorithm Ed25519 => SignatureAlgorithm.Ed25519;

    public static AeadAlgorithm Aead => AeadAlgorithm.XChaCha20Poly1305;

    /// <summary>Creates a fresh key that may be exported, because the SDK persists it into its own encrypted store.</summary>
    public static Key CreateKey(Algorithm algorithm) => Key.Create(algorithm, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });

    /// <summary>Imports an X25519 private key (32 bytes as given; clamping is the function's job) or an Ed25519 seed.</summary>
    public static Key ImportPrivate(Algorithm algorithm, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != ProtocolConstants.KeySize)
        {
            throw new ArgumentException("A private key is 32 bytes.", nameof(privateKey));
        }

        return Key.Import(algorithm, privateKey, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
    }

    /// <summary>Exports a private key into <paramref name="destination"/>; only for the SDK's encrypted store and session state.</summary>
    public static void ExportPrivate(Key key, Span<byte> destination)
    {
        if (!key.TryExport(KeyBlobFormat.RawPrivateKey, destination, out var written) || written != ProtocolConstants.KeySize)
        {
            throw new InvalidOperationException("The private key could not be exported.");
        }
    }

    public static byte[] PublicKeyBytes(Key key) => key.PublicKey.Export(KeyBlobFormat.RawPublicKey);

    /// <summary>X25519. An all-zero output means the peer's key has small order: abort with <see cref="ProtocolError.InvalidKeyAgreement"/>.</summary>
    public static void Dh(Key privateKey, ReadOnlySpan<byte> peerPublic, Span<byte> output)
    {
        if (peerPublic.Length != ProtocolConstants.KeySize || output.Length != ProtocolConstants.KeySize)
        {
            throw new ArgumentException("X25519 keys and outputs are 32 bytes.");
        }

        var peer = PublicKey.Import(X25519, peerPublic, KeyBlobFormat.RawPublicKey);
        using var secret = X25519.Agree(privateKey, peer, new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport })
            ?? throw new ProtocolException(ProtocolError.InvalidKeyAgreement);
        if (!secret.TryExport(SharedSecretBlobFormat.RawSharedSecret, output, out var written) || written != output.Length)
        {
            throw new InvalidOperationException("The shared secret could not be exported.");
        }

        // libsodium already refuses an all-zero result; checking again keeps the rule visible and independent of the binding.
        if (IsAllZero(output))
        {
            CryptographicOperations.ZeroMemory(output);
            throw new ProtocolException(ProtocolError.InvalidKeyAgreement);
        }
    }

    /// <summary>X25519 from a raw 32-byte private key held in session state; the key lives in an NSec <see cref="Key"/> only for the call.</summary>
    public static void Dh(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> peerPublic, Span<byte> output)
    {
        using var key = ImportPrivate(X25519, privateKey);
        Dh(key, peerPublic, output);
    }

    /// <summary>Copies a key pair into raw bytes (private, public) for session state; the key itself is left as it is.</summary>
    public static (byte[] Private, byte[] Public) ExportRaw(Key key)
    {
        var privateKey = new byte[ProtocolConstants.KeySize];
        ExportPrivate(key, privateKey);
        return (privateKey, PublicKeyBytes(key));
    }

    /// <summary>Moves a freshly generated or imported key into raw bytes for session state, and disposes the key.</summary>
    public static (byte[] Private, byte[] Public) TakeRaw(Key key)
    {
        using (key)
        {
            return ExportRaw(key);
        }
    }

    public static void Hkdf(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, output, salt, info);

    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> output)
        => HMACSHA256.HashData(key, data, output);

    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    public static byte[] Sign(Key signingKey, ReadOnlySpan<byte> data) => Ed25519.Sign(signingKey, data);

    /// <summary>Strict Ed25519 verification; any malformed key or signature simply fails.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != ProtocolConstants.KeySize || signature.Length != ProtocolConstants.SignatureSize)
        {
            return false;
        }

        return PublicKey.TryImport(Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key)
            && key is not null
            && Ed25519.Verify(key, data, signature);
    }

    /// <summary>XChaCha20-Poly1305-IETF; the 16-byte tag is appended.</summary>
    public static void Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        using var k = Key.Import(Aead, key, KeyBlobFormat.RawSymmetricKey);
        Aead.Encrypt(k, nonce, ad, plaintext, ciphertext);
    }

    public static bool Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ad, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        using var k = Key.Import(Aead, key, KeyBlobFormat.RawSymmetricKey);
        return Aead.Decrypt(k, nonce, ad, ciphertext, plaintext);
    }

    public static bool IsAllZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;
}
