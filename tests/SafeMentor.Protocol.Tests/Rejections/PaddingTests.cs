using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Ratchet;
using SafeMentor.Protocol.Tests.Support;
using SafeMentor.Protocol.Wire;
using SafeMentor.Protocol.X3dh;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>
/// Strict unpadding. A message that authenticates but is badly padded cannot come from the library's own
/// sender, so these tests play Alice by hand: X3DH, the first root step and chain step, and the AEAD, all
/// with the library's primitives, around a chosen padded plaintext. Bob decrypts through the public API.
/// </summary>
public sealed class PaddingTests
{
    [Fact]
    public void Decrypt_HandMadeMessageWithCorrectPadding_Decrypts()
    {
        // The control: the hand-made sender is right, so the failures below are about padding only.
        using var world = new TestWorld();
        var padded = new byte[256];
        "hi"u8.CopyTo(padded);
        padded[2] = 0x80;

        var result = world.Bob.Receive(world.Alice, HandMadeFirstMessage(world, world.Bob.Bundle(), padded));

        Assert.Equal("hi"u8.ToArray(), result.Payload);
        Assert.True(result.StartedSession);
    }

    public static TheoryData<string, int, int> ValidEdges => new()
    {
        { "marker last in the block", 256, 255 },
        { "marker first in the block", 256, 0 },
        { "marker opens the second block", 512, 256 },
    };

    [Theory]
    [MemberData(nameof(ValidEdges))]
    public void Decrypt_HandMadeMessageWithMarkerAtEdge_Decrypts(string name, int length, int marker)
    {
        _ = name;
        using var world = new TestWorld();
        var padded = new byte[length];
        padded.AsSpan(0, marker).Fill(0x41);
        padded[marker] = 0x80;

        var result = world.Bob.Receive(world.Alice, HandMadeFirstMessage(world, world.Bob.Bundle(), padded));

        Assert.Equal(marker, result.Payload.Length);
    }

    public static TheoryData<string, int, int, byte> BadPaddings => new()
    {
        { "all zero", 256, -1, 0x00 },
        { "marker 0x81", 256, 10, 0x81 },
        { "marker 0x00 then 0x01 last", 256, 255, 0x01 },
        { "marker 0x80 followed by a whole zero block", 512, 255, 0x80 },
        { "marker 0x80 at the start of two blocks", 512, 0, 0x80 },
        { "last byte 0xff", 256, 255, 0xFF },
    };

    [Theory]
    [MemberData(nameof(BadPaddings))]
    public void Decrypt_AuthenticMessageWithBadPadding_ThrowsInvalidPadding(string name, int length, int markerIndex, byte markerValue)
    {
        _ = name;
        using var world = new TestWorld();
        var padded = new byte[length];
        if (markerIndex >= 0)
        {
            padded.AsSpan(0, markerIndex).Fill(0x41);
            padded[markerIndex] = markerValue;
        }

        var bundle = world.Bob.Bundle();
        var oneTimeCount = world.Bob.Prekeys.OneTimePrekeyCount;

        Rejection.Assert(world.Bob, world.Alice, HandMadeFirstMessage(world, bundle, padded), ProtocolError.InvalidPadding);

        Assert.Equal(oneTimeCount, world.Bob.Prekeys.OneTimePrekeyCount);
        Assert.False(world.Bob.RecordFor(world.Alice).HasSession);
    }

    [Theory]
    [InlineData(0, 256)]
    [InlineData(1, 256)]
    [InlineData(255, 256)]
    [InlineData(256, 512)]
    [InlineData(1000, 1024)]
    public void Pad_PayloadLength_GivesSmallestBlockMultipleWithRoomForMarker(int payloadLength, int paddedLength)
    {
        var payload = Enumerable.Repeat((byte)0x00, payloadLength).ToArray();

        var padded = Padding.Pad(payload);

        Assert.Equal(paddedLength, padded.Length);
        Assert.Equal(0x80, padded[payloadLength]);
        Assert.True(Crypto.IsAllZero(padded.AsSpan(payloadLength + 1)));
        Assert.Equal(payloadLength, Padding.Unpad(padded));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(255)]
    [InlineData(257)]
    public void Unpad_LengthNotPositiveMultipleOfBlock_ThrowsInvalidPadding(int length)
    {
        var padded = new byte[length];
        if (length > 0)
        {
            padded[0] = 0x80;
        }

        var e = Assert.Throws<ProtocolException>(() => Padding.Unpad(padded));
        Assert.Equal(ProtocolError.InvalidPadding, e.Error);
    }

    private static byte[] HandMadeFirstMessage(TestWorld world, PrekeyBundle bundle, byte[] padded)
    {
        using var ephemeral = Crypto.CreateKey(Crypto.X25519);
        using var ratchet = Crypto.CreateKey(Crypto.X25519);
        var alice = world.Alice.Identity;

        var sharedSecret = X3dhAgreement.InitiatorSecret(alice.DhKey, ephemeral, bundle.IdentityDhKey, bundle.SignedPrekey, bundle.OneTimePrekey);
        var associatedData = X3dhAgreement.AssociatedData(alice.Public, world.Bob.Identity.Public);
        var dh = new byte[32];
        Crypto.Dh(ratchet, bundle.SignedPrekey, dh);
        var (_, sendingChain) = ChainKdf.RootStep(sharedSecret, dh);
        var (_, messageKey) = ChainKdf.ChainStep(sendingChain);
        var keyAndNonce = new byte[56];
        ChainKdf.MessageKeys(messageKey, keyAndNonce);

        var header = WireMessage.EncodeHeader(Crypto.PublicKeyBytes(ratchet), 0, 0);
        var ciphertext = new byte[padded.Length + ProtocolConstants.TagSize];
        Crypto.Seal(keyAndNonce.AsSpan(0, 32), keyAndNonce.AsSpan(32), [.. associatedData, .. header], padded, ciphertext);

        var fields = new PrekeyFields(
            alice.Public.SigningKey.ToArray(),
            alice.Public.DhKey.ToArray(),
            alice.Public.BindingSignature.ToArray(),
            Crypto.PublicKeyBytes(ephemeral),
            bundle.SignedPrekeyId,
            bundle.OneTimePrekeyId ?? ProtocolConstants.NoOneTimePrekey);
        return WireMessage.Encode(fields, header, ciphertext);
    }
}
