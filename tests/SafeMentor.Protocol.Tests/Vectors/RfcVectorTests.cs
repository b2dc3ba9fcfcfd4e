using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Vectors;

/// <summary>
/// Published known answers for the primitives, run through the library's own wrappers as it uses them:
/// RFC 7748 §6.1 (X25519), RFC 8032 §7.1 TEST 1 and TEST 2 (Ed25519), RFC 5869 Test Case 1 (HKDF-SHA256).
/// </summary>
public sealed class RfcVectorTests
{
    // RFC 7748 §6.1.
    private const string AlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private const string AlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private const string BobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private const string BobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private const string SharedSecret = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    [Fact]
    public void PublicKeyBytes_Rfc7748Section61PrivateKeys_GivePublishedPublicKeys()
    {
        using var alice = Crypto.ImportPrivate(Crypto.X25519, Hex.Decode(AlicePrivate));
        using var bob = Crypto.ImportPrivate(Crypto.X25519, Hex.Decode(BobPrivate));

        Assert.Equal(AlicePublic, Hex.Encode(Crypto.PublicKeyBytes(alice)));
        Assert.Equal(BobPublic, Hex.Encode(Crypto.PublicKeyBytes(bob)));
    }

    [Fact]
    public void Dh_Rfc7748Section61_BothSidesGivePublishedSharedSecret()
    {
        using var alice = Crypto.ImportPrivate(Crypto.X25519, Hex.Decode(AlicePrivate));
        using var bob = Crypto.ImportPrivate(Crypto.X25519, Hex.Decode(BobPrivate));
        var aliceSide = new byte[32];
        var bobSide = new byte[32];

        Crypto.Dh(alice, Hex.Decode(BobPublic), aliceSide);
        Crypto.Dh(bob, Hex.Decode(AlicePublic), bobSide);

        Assert.Equal(SharedSecret, Hex.Encode(aliceSide));
        Assert.Equal(SharedSecret, Hex.Encode(bobSide));
    }

    [Fact]
    public void Import_Rfc7748Section61PrivateKeyAsIdentityDhKey_GivesPublishedPublicKey()
    {
        using var identity = LocalIdentity.Import(Hex.Decode(Rfc8032Test1Seed), Hex.Decode(AlicePrivate));

        Assert.Equal(AlicePublic, Hex.Encode(identity.Public.DhKey));
    }

    // RFC 8032 §7.1 TEST 1 (empty message) and TEST 2 (one byte, 0x72).
    private const string Rfc8032Test1Seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

    public static TheoryData<string, string, string, string> Rfc8032Tests => new()
    {
        {
            Rfc8032Test1Seed,
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc8032Tests))]
    public void Import_Rfc8032Seed_GivesPublishedPublicKeyAndSignature(string seed, string publicKey, string message, string signature)
    {
        using var identity = LocalIdentity.Import(Hex.Decode(seed), Hex.Decode(BobPrivate));

        Assert.Equal(publicKey, Hex.Encode(identity.Public.SigningKey));
        Assert.Equal(signature, Hex.Encode(identity.Sign(Hex.Decode(message))));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Tests))]
    public void Sign_Rfc8032Seed_GivesPublishedSignature(string seed, string publicKey, string message, string signature)
    {
        using var key = Crypto.ImportPrivate(Crypto.Ed25519, Hex.Decode(seed));

        Assert.Equal(publicKey, Hex.Encode(Crypto.PublicKeyBytes(key)));
        Assert.Equal(signature, Hex.Encode(Crypto.Sign(key, Hex.Decode(message))));
    }

    [Theory]
    [MemberData(nameof(Rfc8032Tests))]
    public void Verify_Rfc8032Signature_AcceptsPublishedAndRejectsAlteredSignature(string seed, string publicKey, string message, string signature)
    {
        _ = seed;
        var sig = Hex.Decode(signature);
        Assert.True(Crypto.Verify(Hex.Decode(publicKey), Hex.Decode(message), sig));

        sig[0] ^= 0x01;
        Assert.False(Crypto.Verify(Hex.Decode(publicKey), Hex.Decode(message), sig));
        Assert.False(Crypto.Verify(Hex.Decode(publicKey), [.. Hex.Decode(message), 0x00], Hex.Decode(signature)));
    }

    [Fact]
    public void Verify_NonCanonicalS_IsRejected()
    {
        // TEST 1's signature with S + L (the group order): same value mod L, but not canonical.
        // libsodium's strict verification must refuse it.
        var sig = Hex.Decode("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        var order = Hex.Decode("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"); // L, little-endian
        var carry = 0;
        for (var i = 0; i < 32; i++)
        {
            var sum = sig[32 + i] + order[i] + carry;
            sig[32 + i] = (byte)sum;
            carry = sum >> 8;
        }

        Assert.False(Crypto.Verify(Hex.Decode("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"), [], sig));
    }

    [Fact]
    public void Hkdf_Rfc5869TestCase1_GivesPublishedOkm()
    {
        var ikm = Hex.Decode("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        var salt = Hex.Decode("000102030405060708090a0b0c");
        var info = Hex.Decode("f0f1f2f3f4f5f6f7f8f9");
        var okm = new byte[42];

        Crypto.Hkdf(ikm, salt, info, okm);

        Assert.Equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865", Hex.Encode(okm));
    }
}
