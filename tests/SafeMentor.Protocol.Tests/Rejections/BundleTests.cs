using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>An initiator refuses a bundle whose account id, identity binding or signed prekey does not check out.</summary>
public sealed class BundleTests
{
    [Fact]
    public void Validate_GenuineBundle_ReturnsTheResponderIdentity()
    {
        using var world = new TestWorld();

        var identity = world.Bob.Bundle().Validate(world.Bob.AccountId);

        Assert.Equal(world.Bob.Identity.Public, identity);
        Assert.Equal(world.Bob.AccountId, identity.AccountId);
    }

    [Fact]
    public void Initiate_BundleClaimingAnotherAccountId_ThrowsAccountIdMismatch()
    {
        using var world = new TestWorld();
        var bundle = With(world.Bob.Bundle(), accountId: world.Alice.AccountId);

        AssertRefused(world, bundle, ProtocolError.AccountIdMismatch);
    }

    [Fact]
    public void Initiate_BundleOfAnotherAccountForThisPeer_ThrowsAccountIdMismatch()
    {
        using var world = new TestWorld();
        using var carol = new Party("carol");
        using var record = SessionRecord.ForPeer(world.Bob.AccountId);

        var e = Assert.Throws<ProtocolException>(() => record.Initiate(world.Alice.Identity, carol.Bundle()));

        Assert.Equal(ProtocolError.AccountIdMismatch, e.Error);
        Assert.False(record.HasSession);
    }

    [Fact]
    public void Initiate_BundleWithSubstitutedIdentityKeys_ThrowsAccountIdMismatch()
    {
        // A directory that swaps in its own keys under Bob's account id is caught by the id derivation.
        using var world = new TestWorld();
        using var mallory = new Party("mallory");
        var bundle = With(mallory.Bundle(), accountId: world.Bob.AccountId);

        AssertRefused(world, bundle, ProtocolError.AccountIdMismatch);
    }

    [Fact]
    public void Initiate_BundleWithBadIdentitySignature_ThrowsInvalidSignature()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle();
        var signature = good.IdentitySignature.ToArray();
        signature[20] ^= 0x01;

        AssertRefused(world, With(good, identitySignature: signature), ProtocolError.InvalidSignature);
    }

    [Fact]
    public void Initiate_BundleWithChangedIdentityDhKey_ThrowsInvalidSignature()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle();
        var dh = good.IdentityDhKey.ToArray();
        dh[0] ^= 0x01;

        AssertRefused(world, With(good, identityDhKey: dh), ProtocolError.InvalidSignature);
    }

    [Fact]
    public void Initiate_BundleWithBadSignedPrekeySignature_ThrowsInvalidSignature()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle();
        var signature = good.SignedPrekeySignature.ToArray();
        signature[63] ^= 0x01;

        AssertRefused(world, With(good, signedPrekeySignature: signature), ProtocolError.InvalidSignature);
    }

    [Fact]
    public void Initiate_BundleWithChangedSignedPrekeyId_ThrowsInvalidSignature()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle();

        AssertRefused(world, With(good, signedPrekeyId: good.SignedPrekeyId + 1), ProtocolError.InvalidSignature);
    }

    [Fact]
    public void Initiate_BundleWithChangedSignedPrekey_ThrowsInvalidSignature()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle();
        var spk = good.SignedPrekey.ToArray();
        spk[9] ^= 0x01;

        AssertRefused(world, With(good, signedPrekey: spk), ProtocolError.InvalidSignature);
    }

    [Fact]
    public void Initiate_BundleWithSignedPrekeySignedByAnotherIdentity_ThrowsInvalidSignature()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle();
        var signature = world.Alice.Identity.Sign(SignedPrekeys.SignedMessage(good.SignedPrekeyId, good.SignedPrekey));

        AssertRefused(world, With(good, signedPrekeySignature: signature), ProtocolError.InvalidSignature);
    }

    [Fact]
    public void Initiate_BundleWithReservedOneTimePrekeyId_ThrowsReservedPrekeyId()
    {
        using var world = new TestWorld();
        var good = world.Bob.Bundle(withOneTimePrekey: true);
        var bundle = new PrekeyBundle(
            good.AccountId, good.IdentitySigningKey, good.IdentityDhKey, good.IdentitySignature,
            good.SignedPrekeyId, good.SignedPrekey, good.SignedPrekeySignature, ProtocolConstants.NoOneTimePrekey, good.OneTimePrekey);

        AssertRefused(world, bundle, ProtocolError.ReservedPrekeyId);
    }

    [Fact]
    public void Initiate_RefusedBundleOnEstablishedRecord_KeepsTheCurrentSession()
    {
        using var world = TestWorld.Established();
        var good = world.Bob.Bundle();
        var signature = good.SignedPrekeySignature.ToArray();
        signature[0] ^= 0x80;

        AssertRefused(world, With(good, signedPrekeySignature: signature), ProtocolError.InvalidSignature);

        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("still the old session"));
        Assert.Equal(0, world.Bob.RecordFor(world.Alice).PreviousSessionCount);
    }

    [Fact]
    public void Verify_SignedPrekeyOfGenuineBundle_IsTrueAndFalseForOtherId()
    {
        using var world = new TestWorld();
        var spk = world.Bob.Prekeys.CurrentSignedPrekey(world.Bob.Identity);

        Assert.True(SignedPrekeys.Verify(world.Bob.Identity.Public, spk.Id, spk.PublicKey, spk.Signature));
        Assert.False(SignedPrekeys.Verify(world.Bob.Identity.Public, spk.Id + 1, spk.PublicKey, spk.Signature));
        Assert.False(SignedPrekeys.Verify(world.Alice.Identity.Public, spk.Id, spk.PublicKey, spk.Signature));
    }

    [Fact]
    public void Verified_PublicIdentityWithBadBinding_ThrowsInvalidSignature()
    {
        using var world = new TestWorld();
        var p = world.Bob.Identity.Public;

        var e = Assert.Throws<ProtocolException>(() => PublicIdentity.Verified(p.SigningKey, world.Alice.Identity.Public.DhKey, p.BindingSignature));

        Assert.Equal(ProtocolError.InvalidSignature, e.Error);
    }

    private static PrekeyBundle With(
        PrekeyBundle b,
        string? accountId = null,
        byte[]? identityDhKey = null,
        byte[]? identitySignature = null,
        uint? signedPrekeyId = null,
        byte[]? signedPrekey = null,
        byte[]? signedPrekeySignature = null)
        => new(
            accountId ?? b.AccountId,
            b.IdentitySigningKey,
            identityDhKey ?? b.IdentityDhKey,
            identitySignature ?? b.IdentitySignature,
            signedPrekeyId ?? b.SignedPrekeyId,
            signedPrekey ?? b.SignedPrekey,
            signedPrekeySignature ?? b.SignedPrekeySignature,
            b.OneTimePrekeyId,
            b.OneTimePrekey);

    private static void AssertRefused(TestWorld world, PrekeyBundle bundle, ProtocolError expected)
    {
        var record = world.Alice.RecordFor(world.Bob);
        var before = record.Serialize();

        var e = Assert.Throws<ProtocolException>(() => record.Initiate(world.Alice.Identity, bundle));

        Assert.Equal(expected, e.Error);
        Assert.Equal(before, record.Serialize());
    }
}
