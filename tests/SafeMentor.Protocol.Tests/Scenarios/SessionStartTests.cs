using System.Security.Cryptography;
using System.Text;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Tests.Support;
using SafeMentor.Protocol.X3dh;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>X3DH (docs/protocol.md, X3DH session start): both sides reach the same keys, with and without a one-time prekey.</summary>
public sealed class SessionStartTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_FirstPrekeyMessage_RoundTripsAndStartsSession(bool withOneTimePrekey)
    {
        using var world = TestWorld.Initiated(withOneTimePrekey);
        var payload = Payloads.Text("first words");

        var wire = world.Alice.Send(world.Bob, payload);
        var result = world.Bob.Receive(world.Alice, wire);

        Assert.Equal(WireLayout.TypePrekey, wire[1]);
        Assert.Equal(payload, result.Payload);
        Assert.True(result.StartedSession);
        Assert.Equal(withOneTimePrekey, result.ConsumedOneTimePrekeyId.HasValue);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_ReplyAndFollowUps_RoundTripBothWays(bool withOneTimePrekey)
    {
        using var world = TestWorld.Initiated(withOneTimePrekey);
        var first = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("a1"));
        var second = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("a2"));
        var reply = TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("b1"));
        var afterReply = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("a3"));

        // Alice sends prekey messages, all with the same X3DH fields, until she has decrypted Bob's reply.
        Assert.Equal(WireLayout.TypePrekey, first[1]);
        Assert.Equal(WireLayout.TypePrekey, second[1]);
        Assert.Equal(first[..WireLayout.PrekeyHeader], second[..WireLayout.PrekeyHeader]);
        Assert.Equal(WireLayout.TypeNormal, reply[1]);
        Assert.Equal(WireLayout.TypeNormal, afterReply[1]);
    }

    [Fact]
    public void Initiate_PrekeyMessage_CarriesSenderIdentityAndUsedPrekeyIds()
    {
        using var world = new TestWorld();
        var bundle = world.Bob.Bundle(withOneTimePrekey: true);
        world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, bundle);

        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Assert.Equal(ProtocolConstants.Version, wire[0]);
        Assert.Equal(world.Alice.Identity.Public.SigningKey.ToArray(), wire[WireLayout.IdentitySigningKey..WireLayout.IdentityDhKey]);
        Assert.Equal(world.Alice.Identity.Public.DhKey.ToArray(), wire[WireLayout.IdentityDhKey..WireLayout.IdentitySignature]);
        Assert.Equal(world.Alice.Identity.Public.BindingSignature.ToArray(), wire[WireLayout.IdentitySignature..WireLayout.EphemeralKey]);
        Assert.Equal(bundle.SignedPrekeyId, WireLayout.ReadU32(wire, WireLayout.SignedPrekeyId));
        Assert.Equal(bundle.OneTimePrekeyId, WireLayout.ReadU32(wire, WireLayout.OneTimePrekeyId));
        Assert.Equal(0u, WireLayout.ReadU32(wire, WireLayout.HeaderPreviousChainLength(wire)));
        Assert.Equal(0u, WireLayout.ReadU32(wire, WireLayout.HeaderNumber(wire)));
    }

    [Fact]
    public void Initiate_WithoutOneTimePrekey_SendsReservedOneTimePrekeyId()
    {
        using var world = TestWorld.Initiated(withOneTimePrekey: false);

        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Assert.Equal(ProtocolConstants.NoOneTimePrekey, WireLayout.ReadU32(wire, WireLayout.OneTimePrekeyId));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void X3dhAgreement_InitiatorAndResponder_DeriveTheSameSecret(bool withOneTimePrekey)
    {
        using var world = new TestWorld();
        var bundle = world.Bob.Bundle(withOneTimePrekey);
        using var ephemeral = Crypto.CreateKey(Crypto.X25519);
        var ephemeralPublic = Crypto.PublicKeyBytes(ephemeral);
        var signedPrekey = world.Bob.Prekeys.FindSignedPrekey(bundle.SignedPrekeyId)!;
        var oneTimePrekey = withOneTimePrekey ? world.Bob.Prekeys.FindOneTimePrekey(bundle.OneTimePrekeyId!.Value) : null;

        var initiator = X3dhAgreement.InitiatorSecret(world.Alice.Identity.DhKey, ephemeral, bundle.IdentityDhKey, bundle.SignedPrekey, bundle.OneTimePrekey);
        var responder = X3dhAgreement.ResponderSecret(world.Bob.Identity.DhKey, signedPrekey, oneTimePrekey, world.Alice.Identity.Public.DhKey, ephemeralPublic);

        Assert.Equal(32, initiator.Length);
        Assert.Equal(initiator, responder);
        Assert.False(Crypto.IsAllZero(initiator));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void X3dhAgreement_InitiatorSecret_FollowsTheSpecFormula(bool withOneTimePrekey)
    {
        using var world = new TestWorld();
        var bundle = world.Bob.Bundle(withOneTimePrekey);
        using var ephemeral = Crypto.CreateKey(Crypto.X25519);

        // SK = HKDF(0xFF*32 || DH1 || DH2 || DH3 [|| DH4], salt = 0x00*32, info = "SafeMentor/v1/x3dh", L = 32),
        // written out with the BCL's HKDF rather than the library's.
        var parts = new List<byte[]> { Enumerable.Repeat((byte)0xFF, 32).ToArray() };
        parts.Add(Dh(world.Alice.Identity.DhKey, bundle.SignedPrekey));
        parts.Add(Dh(ephemeral, bundle.IdentityDhKey));
        parts.Add(Dh(ephemeral, bundle.SignedPrekey));
        if (withOneTimePrekey)
        {
            parts.Add(Dh(ephemeral, bundle.OneTimePrekey!));
        }

        var expected = HKDF.DeriveKey(HashAlgorithmName.SHA256, parts.SelectMany(p => p).ToArray(), 32, new byte[32], Encoding.ASCII.GetBytes("SafeMentor/v1/x3dh"));

        var actual = X3dhAgreement.InitiatorSecret(world.Alice.Identity.DhKey, ephemeral, bundle.IdentityDhKey, bundle.SignedPrekey, bundle.OneTimePrekey);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void X3dhAgreement_WithAndWithoutOneTimePrekey_GiveDifferentSecrets()
    {
        using var world = new TestWorld();
        var bundle = world.Bob.Bundle(withOneTimePrekey: true);
        using var ephemeral = Crypto.CreateKey(Crypto.X25519);

        var four = X3dhAgreement.InitiatorSecret(world.Alice.Identity.DhKey, ephemeral, bundle.IdentityDhKey, bundle.SignedPrekey, bundle.OneTimePrekey);
        var three = X3dhAgreement.InitiatorSecret(world.Alice.Identity.DhKey, ephemeral, bundle.IdentityDhKey, bundle.SignedPrekey, []);

        Assert.NotEqual(four, three);
    }

    [Fact]
    public void X3dhAgreement_AssociatedData_IsInitiatorKeysThenResponderKeys()
    {
        using var world = new TestWorld();
        var a = world.Alice.Identity.Public;
        var b = world.Bob.Identity.Public;

        var ad = X3dhAgreement.AssociatedData(a, b);

        Assert.Equal(ProtocolConstants.AssociatedDataSize, ad.Length);
        Assert.Equal([.. a.SigningKey, .. a.DhKey, .. b.SigningKey, .. b.DhKey], ad);
    }

    [Fact]
    public void Decrypt_SecondSessionFromSameInitiator_BecomesCurrent()
    {
        using var world = TestWorld.Established();
        var aliceRecord = world.Alice.RecordFor(world.Bob);

        world.Alice.Initiate(world.Bob);
        var wire = world.Alice.Send(world.Bob, Payloads.Text("new session"));
        var result = world.Bob.Receive(world.Alice, wire);

        Assert.True(result.StartedSession);
        Assert.Equal(1, aliceRecord.PreviousSessionCount);
        Assert.Equal(1, world.Bob.RecordFor(world.Alice).PreviousSessionCount);
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("reply in the new session"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("and back"));
    }

    [Fact]
    public void Decrypt_LostFirstPrekeyMessage_LaterPrekeyMessageStartsSessionAndLostOneStillDecrypts()
    {
        using var world = TestWorld.Initiated();
        var lost = world.Alice.Send(world.Bob, Payloads.Text("lost"));
        var second = world.Alice.Send(world.Bob, Payloads.Text("second"));

        var started = world.Bob.Receive(world.Alice, second);
        var late = world.Bob.Receive(world.Alice, lost);

        Assert.True(started.StartedSession);
        Assert.NotNull(started.ConsumedOneTimePrekeyId);
        Assert.Equal(Payloads.Text("lost"), late.Payload);
        Assert.False(late.StartedSession);
        Assert.Null(late.ConsumedOneTimePrekeyId);
    }

    [Fact]
    public void Decrypt_LaterPrekeyMessageOfAPreviousSession_DecryptsWithThatSession()
    {
        using var world = TestWorld.Initiated();
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("session 1, message 1"));
        var late = world.Alice.Send(world.Bob, Payloads.Text("session 1, message 2"));
        world.Alice.Initiate(world.Bob);
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("session 2"));
        var bobRecord = world.Bob.RecordFor(world.Alice);
        Assert.Equal(1, bobRecord.PreviousSessionCount);

        var result = world.Bob.Receive(world.Alice, late);

        Assert.Equal(Payloads.Text("session 1, message 2"), result.Payload);
        Assert.False(result.StartedSession);
        Assert.Null(result.ConsumedOneTimePrekeyId);
        Assert.Equal(1, bobRecord.PreviousSessionCount);
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("reply"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("and on"));
    }

    [Fact]
    public void Decrypt_NormalMessage_ReportsNoNewSessionAndNoConsumedPrekey()
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("normal"));

        var result = world.Bob.Receive(world.Alice, wire);

        Assert.Equal(WireLayout.TypeNormal, wire[1]);
        Assert.False(result.StartedSession);
        Assert.Null(result.ConsumedOneTimePrekeyId);
    }

    private static byte[] Dh(NSec.Cryptography.Key key, byte[] peer)
    {
        var output = new byte[32];
        Crypto.Dh(key, peer, output);
        return output;
    }
}
