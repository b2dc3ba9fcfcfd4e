using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>An all-zero DH output (a low-order public key) aborts with InvalidKeyAgreement, wherever the key comes from.</summary>
public sealed class LowOrderKeyTests
{
    [Theory]
    [MemberData(nameof(LowOrderPoints.All), MemberType = typeof(LowOrderPoints))]
    public void Dh_LowOrderPeerKey_ThrowsInvalidKeyAgreement(string point)
    {
        using var key = Crypto.CreateKey(Crypto.X25519);
        var output = new byte[32];

        var e = Assert.Throws<ProtocolException>(() => Crypto.Dh(key, Hex.Decode(point), output));

        Assert.Equal(ProtocolError.InvalidKeyAgreement, e.Error);
        Assert.True(Crypto.IsAllZero(output));
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints.All), MemberType = typeof(LowOrderPoints))]
    public void Decrypt_LowOrderEphemeralKeyInPrekeyMessage_ThrowsInvalidKeyAgreement(string point)
    {
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.WithBytes(wire, WireLayout.EphemeralKey, Hex.Decode(point)), ProtocolError.InvalidKeyAgreement);
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints.All), MemberType = typeof(LowOrderPoints))]
    public void Decrypt_LowOrderRatchetKeyInFirstPrekeyMessage_ThrowsInvalidKeyAgreement(string point)
    {
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.WithBytes(wire, WireLayout.HeaderDh(wire), Hex.Decode(point)), ProtocolError.InvalidKeyAgreement);
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints.All), MemberType = typeof(LowOrderPoints))]
    public void Decrypt_LowOrderRatchetKeyInNormalMessage_ThrowsInvalidKeyAgreement(string point)
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.WithBytes(wire, WireLayout.HeaderDh(wire), Hex.Decode(point)), ProtocolError.InvalidKeyAgreement);
        Assert.Equal(Payloads.Text("x"), world.Bob.Receive(world.Alice, wire).Payload);
    }

    [Fact]
    public void Decrypt_LowOrderIdentityDhKeyWithValidBinding_ThrowsInvalidKeyAgreement()
    {
        // The sender really signed the low-order IKd, so the binding verifies and only the DH check stops it.
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));
        var point = Hex.Decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
        var binding = world.Alice.Identity.Sign(PublicIdentity.BindingMessage(point));

        var forged = WireLayout.WithBytes(wire, WireLayout.IdentityDhKey, [.. point, .. binding]);

        Rejection.Assert(world.Bob, world.Alice, forged, ProtocolError.InvalidKeyAgreement);
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints.All), MemberType = typeof(LowOrderPoints))]
    public void Initiate_SignedLowOrderSignedPrekey_ThrowsInvalidKeyAgreement(string point)
    {
        using var world = new TestWorld();
        var bob = world.Bob.Identity;
        var spk = Hex.Decode(point);
        var bundle = new PrekeyBundle(
            bob.AccountId, bob.Public.SigningKey.ToArray(), bob.Public.DhKey.ToArray(), bob.Public.BindingSignature.ToArray(),
            7, spk, bob.Sign(SignedPrekeys.SignedMessage(7, spk)));

        AssertInitiateFails(world, bundle, ProtocolError.InvalidKeyAgreement);
    }

    [Fact]
    public void Initiate_LowOrderIdentityDhKeyWithValidBinding_ThrowsInvalidKeyAgreement()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle(withOneTimePrekey: false);
        var point = Hex.Decode("0100000000000000000000000000000000000000000000000000000000000000");
        var bundle = new PrekeyBundle(
            good.AccountId, good.IdentitySigningKey, point, world.Bob.Identity.Sign(PublicIdentity.BindingMessage(point)),
            good.SignedPrekeyId, good.SignedPrekey, good.SignedPrekeySignature);

        AssertInitiateFails(world, bundle, ProtocolError.InvalidKeyAgreement);
    }

    [Theory]
    [MemberData(nameof(LowOrderPoints.All), MemberType = typeof(LowOrderPoints))]
    public void Initiate_LowOrderOneTimePrekey_ThrowsInvalidKeyAgreement(string point)
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle(withOneTimePrekey: false);
        var bundle = new PrekeyBundle(
            good.AccountId, good.IdentitySigningKey, good.IdentityDhKey, good.IdentitySignature,
            good.SignedPrekeyId, good.SignedPrekey, good.SignedPrekeySignature, 5, Hex.Decode(point));

        AssertInitiateFails(world, bundle, ProtocolError.InvalidKeyAgreement);
    }

    private static void AssertInitiateFails(TestWorld world, PrekeyBundle bundle, ProtocolError expected)
    {
        var record = world.Alice.RecordFor(world.Bob);
        var before = record.Serialize();

        var e = Assert.Throws<ProtocolException>(() => record.Initiate(world.Alice.Identity, bundle));

        Assert.Equal(expected, e.Error);
        Assert.False(record.HasSession);
        Assert.Equal(before, record.Serialize());
    }
}
