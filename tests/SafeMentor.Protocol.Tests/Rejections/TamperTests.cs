using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Ratchet;
using SafeMentor.Protocol.Tests.Support;
using SafeMentor.Protocol.Wire;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>A changed byte in the header, the ciphertext or the associated data makes decryption fail and changes nothing.</summary>
public sealed class TamperTests
{
    public static TheoryData<string, int> HeaderBytes => new()
    {
        { "ratchet key, first byte", 0 },
        { "ratchet key, last byte", 31 },
        { "PN, low byte", 35 },
        { "N, low byte", 39 },
    };

    [Theory]
    [MemberData(nameof(HeaderBytes))]
    public void Decrypt_TamperedHeaderOfNormalMessage_ThrowsDecryptionFailed(string field, int offset)
    {
        _ = field;
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("header"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(wire, WireLayout.Header(wire) + offset), ProtocolError.DecryptionFailed);
        Assert.Equal(Payloads.Text("header"), world.Bob.Receive(world.Alice, wire).Payload);
    }

    [Theory]
    [MemberData(nameof(HeaderBytes))]
    public void Decrypt_TamperedHeaderOfFirstPrekeyMessage_ThrowsDecryptionFailed(string field, int offset)
    {
        _ = field;
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("header"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(wire, WireLayout.Header(wire) + offset), ProtocolError.DecryptionFailed);
        Assert.Equal(Payloads.Text("header"), world.Bob.Receive(world.Alice, wire).Payload);
    }

    [Fact]
    public void Decrypt_HugeMessageNumberInHeader_ThrowsTooManySkippedMessages()
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("n"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(wire, WireLayout.HeaderNumber(wire), 0x80), ProtocolError.TooManySkippedMessages);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(271)]
    public void Decrypt_TamperedCiphertextOrTag_ThrowsDecryptionFailed(int offset)
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("ciphertext"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(wire, WireLayout.Ciphertext(wire) + offset, 0x40), ProtocolError.DecryptionFailed);
        Assert.Equal(Payloads.Text("ciphertext"), world.Bob.Receive(world.Alice, wire).Payload);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(271)]
    public void Decrypt_TamperedCiphertextOfPrekeyMessage_ThrowsDecryptionFailed(int offset)
    {
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("ciphertext"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(wire, WireLayout.Ciphertext(wire) + offset), ProtocolError.DecryptionFailed);
    }

    [Fact]
    public void Decrypt_TamperedCiphertextOfMessageWithStoredSkippedKey_ThrowsDecryptionFailedAndKeepsTheKey()
    {
        using var world = TestWorld.Established();
        var early = world.Alice.Send(world.Bob, Payloads.Text("early"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("late"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(early, WireLayout.Ciphertext(early) + 3), ProtocolError.DecryptionFailed);
        Assert.Equal(1, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);
        Assert.Equal(Payloads.Text("early"), world.Bob.Receive(world.Alice, early).Payload);
    }

    [Fact]
    public void Decrypt_SenderIdentityKeyFlippedInPrekeyMessage_ThrowsIdentityMismatch()
    {
        // The sender's IKs is the first part of AD; a changed byte derives another account id, which is not the peer.
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("ad"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(wire, WireLayout.IdentitySigningKey + 7), ProtocolError.IdentityMismatch);
        Assert.Equal(Payloads.Text("ad"), world.Bob.Receive(world.Alice, wire).Payload);
    }

    [Fact]
    public void Decrypt_DifferentAssociatedData_ThrowsDecryptionFailed()
    {
        // AD never travels on the wire, so a mismatch can only be shown below the session record:
        // the same X3DH secret with an AD that differs in one byte.
        var sharedSecret = new byte[32];
        sharedSecret[0] = 1;
        var ad = Enumerable.Range(0, ProtocolConstants.AssociatedDataSize).Select(i => (byte)i).ToArray();
        var otherAd = ad.ToArray();
        otherAd[64] ^= 0x01;

        Assert.Equal(Payloads.Text("same ad"), RoundTrip(sharedSecret, ad, ad, Payloads.Text("same ad")));
        var e = Assert.Throws<ProtocolException>(() => RoundTrip(sharedSecret, ad, otherAd, Payloads.Text("other ad")));
        Assert.Equal(ProtocolError.DecryptionFailed, e.Error);
    }

    private static byte[] RoundTrip(byte[] sharedSecret, byte[] senderAd, byte[] receiverAd, byte[] payload)
    {
        using var signedPrekey = Crypto.CreateKey(Crypto.X25519);
        var fields = new PrekeyFields(new byte[32], new byte[32], new byte[64], new byte[32], 1, ProtocolConstants.NoOneTimePrekey);
        using var sender = RatchetSession.CreateInitiator(sharedSecret, senderAd, Crypto.PublicKeyBytes(signedPrekey), fields, KeySource.Random);
        using var receiver = RatchetSession.CreateResponder(sharedSecret, receiverAd, signedPrekey, fields);
        return receiver.Decrypt(WireMessage.Parse(sender.Encrypt(payload)), KeySource.Random);
    }
}
