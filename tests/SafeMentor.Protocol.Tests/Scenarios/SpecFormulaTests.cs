using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>
/// The library's messages, opened with keys derived here from the formulas of docs/protocol.md alone, with the BCL's
/// HKDF and HMAC and NSec's X25519 and XChaCha20-Poly1305 called directly: no library code derives the keys.
/// </summary>
public sealed class SpecFormulaTests
{
    private static readonly byte[] s_zeros = new byte[32];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Encrypt_FirstMessagesAndReply_OpenWithKeysFromTheSpecFormulas(bool withOneTimePrekey)
    {
        var ephemeral = Fill(0x21);
        var aliceRatchet = Fill(0x22);
        var bobRatchet = Fill(0x33);
        var aliceKeys = new DeterministicKeySource().Enqueue(KeyPurpose.Ephemeral, ephemeral).Enqueue(KeyPurpose.Ratchet, aliceRatchet);
        var bobKeys = new DeterministicKeySource().Enqueue(KeyPurpose.Ratchet, bobRatchet);
        using var world = new TestWorld();
        var bundle = world.Bob.Bundle(withOneTimePrekey);
        world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, bundle, aliceKeys);
        var first = world.Alice.Send(world.Bob, Payloads.Text("first"));
        var second = world.Alice.Send(world.Bob, Payloads.Text("second"));
        world.Bob.RecordFor(world.Alice).Decrypt(first, world.Bob.Identity, world.Bob.Prekeys, bobKeys);
        var reply = world.Bob.Send(world.Alice, Payloads.Text("reply"));

        // X3DH.
        var aliceSeed = new byte[32];
        var aliceDh = new byte[32];
        world.Alice.Identity.ExportPrivateKeys(aliceSeed, aliceDh);
        var ikm = new List<byte>(Enumerable.Repeat((byte)0xFF, 32));
        ikm.AddRange(X25519(aliceDh, bundle.SignedPrekey));
        ikm.AddRange(X25519(ephemeral, bundle.IdentityDhKey));
        ikm.AddRange(X25519(ephemeral, bundle.SignedPrekey));
        if (withOneTimePrekey)
        {
            ikm.AddRange(X25519(ephemeral, bundle.OneTimePrekey!));
        }

        var sk = Hkdf([.. ikm], s_zeros, "SafeMentor/v1/x3dh", 32);
        byte[] ad = [.. world.Alice.Identity.Public.SigningKey, .. world.Alice.Identity.Public.DhKey, .. world.Bob.Identity.Public.SigningKey, .. world.Bob.Identity.Public.DhKey];

        // Alice's sending chain: KDF_RK(SK, DH(DHs, SPK_B)).
        var rootA = Hkdf(X25519(aliceRatchet, bundle.SignedPrekey), sk, "SafeMentor/v1/root", 64);
        var chainA = rootA[32..];
        Assert.Equal(Payloads.Text("first"), Open(first, WireLayout.PrekeyHeader, ad, Hmac(chainA, 0x01)));
        Assert.Equal(Payloads.Text("second"), Open(second, WireLayout.PrekeyHeader, ad, Hmac(Hmac(chainA, 0x02), 0x01)));
        Assert.Equal([.. PublicOf(aliceRatchet), 0, 0, 0, 0, 0, 0, 0, 1], second[WireLayout.PrekeyHeader..(WireLayout.PrekeyHeader + 40)]);

        // Bob's first DH ratchet step: (RK, CKr) = KDF_RK(SK, DH(SPK_B, DHr)); DHs = GENERATE_DH(); (RK, CKs) = KDF_RK(RK, DH(DHs, DHr)).
        var rootB = Hkdf(X25519(aliceRatchet, PublicOf(bobRatchet)), rootA[..32], "SafeMentor/v1/root", 64);
        Assert.Equal([.. PublicOf(bobRatchet), 0, 0, 0, 0, 0, 0, 0, 0], reply[WireLayout.NormalHeader..(WireLayout.NormalHeader + 40)]);
        Assert.Equal(Payloads.Text("reply"), Open(reply, WireLayout.NormalHeader, ad, Hmac(rootB[32..], 0x01)));
    }

    [Fact]
    public void BindingSignature_NewIdentity_SignsLabelAndIdentityDhKey()
    {
        using var alice = new Party("alice");
        var p = alice.Identity.Public;
        byte[] message = [22, .. "SafeMentor/v1/identity"u8, .. p.DhKey];

        Assert.True(Ed25519Verify(p.SigningKey.ToArray(), message, p.BindingSignature.ToArray()));
    }

    [Fact]
    public void SignedPrekeySignature_RotatedPrekey_SignsLabelIdAndKey()
    {
        using var bob = new Party("bob");
        var spk = bob.Prekeys.RotateSignedPrekey(bob.Identity, Party.NowMs);
        var id = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(id, spk.Id);
        byte[] message = [27, .. "SafeMentor/v1/signed-prekey"u8, .. id, .. spk.PublicKey];

        Assert.Equal(message, SignedPrekeys.SignedMessage(spk.Id, spk.PublicKey));
        Assert.True(Ed25519Verify(bob.Identity.Public.SigningKey.ToArray(), message, spk.Signature));
    }

    private static byte[] Open(byte[] wire, int headerOffset, byte[] ad, byte[] messageKey)
    {
        var keyAndNonce = Hkdf(messageKey, s_zeros, "SafeMentor/v1/message", 56);
        var header = wire[headerOffset..(headerOffset + 40)];
        using var key = Key.Import(AeadAlgorithm.XChaCha20Poly1305, keyAndNonce.AsSpan(0, 32), KeyBlobFormat.RawSymmetricKey);
        var padded = AeadAlgorithm.XChaCha20Poly1305.Decrypt(key, keyAndNonce.AsSpan(32), [.. ad, .. header], wire.AsSpan(headerOffset + 40));
        Assert.NotNull(padded);

        // pad(payload) = payload || 0x80 || 0x00*k
        var marker = Array.LastIndexOf(padded, (byte)0x80);
        Assert.Equal(0, padded.Length % 256);
        Assert.All(padded[(marker + 1)..], b => Assert.Equal(0, b));
        return padded[..marker];
    }

    /// <summary>KDF_CK: <c>HMAC(key = ck, data = 0x01)</c> is the message key, <c>0x02</c> the next chain key.</summary>
    private static byte[] Hmac(byte[] chainKey, byte input) => HMACSHA256.HashData(chainKey, new[] { input });

    private static byte[] Hkdf(byte[] ikm, byte[] salt, string info, int length)
        => HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, length, salt, Encoding.ASCII.GetBytes(info));

    private static byte[] X25519(byte[] privateKey, byte[] peerPublic)
    {
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey);
        var peer = PublicKey.Import(KeyAgreementAlgorithm.X25519, peerPublic, KeyBlobFormat.RawPublicKey);
        using var secret = KeyAgreementAlgorithm.X25519.Agree(key, peer, new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport })!;
        return secret.Export(SharedSecretBlobFormat.RawSharedSecret);
    }

    private static byte[] PublicOf(byte[] privateKey)
    {
        using var key = Key.Import(KeyAgreementAlgorithm.X25519, privateKey, KeyBlobFormat.RawPrivateKey);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    private static bool Ed25519Verify(byte[] publicKey, byte[] message, byte[] signature)
        => SignatureAlgorithm.Ed25519.Verify(PublicKey.Import(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey), message, signature);

    private static byte[] Fill(byte value) => Enumerable.Repeat(value, 32).ToArray();
}
