using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>Short, long, mis-sized or unknown input is rejected with a specific error before any cryptography.</summary>
public sealed class WireFormatTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Decrypt_TinyInput_ThrowsMessageTooShort(int length)
    {
        using var world = TestWorld.Established();
        var wire = new byte[length];
        if (length > 0)
        {
            wire[0] = ProtocolConstants.Version;
        }

        if (length > 1)
        {
            wire[1] = WireLayout.TypeNormal;
        }

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.MessageTooShort);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x02)]
    [InlineData(0xFF)]
    public void Decrypt_UnknownVersion_ThrowsUnsupportedVersion(byte version)
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("v"));
        wire[0] = version;

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.UnsupportedVersion);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x03)]
    [InlineData(0xFF)]
    public void Decrypt_UnknownType_ThrowsUnknownMessageType(byte type)
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("t"));
        wire[1] = type;

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.UnknownMessageType);
    }

    [Fact]
    public void Decrypt_PrekeyMessageRelabelledNormal_ThrowsInvalidLength()
    {
        // 168 bytes of X3DH fields move into the ciphertext, which is then not 16 plus a multiple of 256.
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("t"));
        wire[1] = WireLayout.TypeNormal;

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.InvalidLength);
    }

    [Fact]
    public void Decrypt_NormalMessageRelabelledPrekey_ThrowsMessageTooShort()
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("t"));
        wire[1] = WireLayout.TypePrekey;

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.MessageTooShort);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(271)]
    public void Decrypt_NormalMessageCutIntoTheOnlyBlock_ThrowsMessageTooShort(int cut)
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("short"));

        Rejection.Assert(world.Bob, world.Alice, wire[..^cut], ProtocolError.MessageTooShort);
    }

    [Theory]
    [InlineData(2 + 100)]
    [InlineData(2 + 168)]
    [InlineData(2 + 168 + 40 + 271)]
    public void Decrypt_PrekeyMessageCut_ThrowsMessageTooShort(int length)
    {
        using var world = TestWorld.Initiated();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("short"));

        Rejection.Assert(world.Bob, world.Alice, wire[..length], ProtocolError.MessageTooShort);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-255)]
    [InlineData(1)]
    [InlineData(255)]
    public void Decrypt_CiphertextNotTagPlusWholeBlocks_ThrowsInvalidLength(int delta)
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, new byte[300]);
        Assert.Equal(2 * 256 + 16, wire.Length - WireLayout.Ciphertext(wire));

        var resized = delta < 0 ? wire[..^(-delta)] : [.. wire, .. new byte[delta]];

        Rejection.Assert(world.Bob, world.Alice, resized, ProtocolError.InvalidLength);
    }

    [Fact]
    public void Decrypt_ExtraWholeBlockAppended_ThrowsDecryptionFailed()
    {
        using var world = TestWorld.Established();
        var wire = world.Alice.Send(world.Bob, Payloads.Text("x"));

        Rejection.Assert(world.Bob, world.Alice, [.. wire, .. new byte[256]], ProtocolError.DecryptionFailed);
    }

    [Theory]
    [InlineData(WireLayout.TypeNormal)]
    [InlineData(WireLayout.TypePrekey)]
    public void Decrypt_CiphertextOneBlockOverTheLimit_ThrowsMessageTooLarge(byte type)
    {
        using var world = TestWorld.Established();
        var prefix = type == WireLayout.TypePrekey ? WireLayout.PrekeyHeader : WireLayout.NormalHeader;
        var wire = new byte[prefix + ProtocolConstants.HeaderSize + ProtocolConstants.MaxCiphertextLength + ProtocolConstants.PaddingBlock];
        wire[0] = ProtocolConstants.Version;
        wire[1] = type;
        Assert.True(wire.Length <= ProtocolConstants.MaxWireMessageLength);

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.MessageTooLarge);
    }

    [Theory]
    [InlineData(ProtocolConstants.MaxWireMessageLength + 1)]
    [InlineData(1 << 20)]
    public void Decrypt_InputOverTheWireLimit_ThrowsMessageTooLarge(int length)
    {
        using var world = TestWorld.Established();
        var wire = new byte[length];
        wire[0] = ProtocolConstants.Version;
        wire[1] = WireLayout.TypeNormal;

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.MessageTooLarge);
    }

    [Fact]
    public void Decrypt_WellFormedGarbage_ThrowsDecryptionFailed()
    {
        using var world = TestWorld.Established();
        var wire = new byte[WireLayout.NormalHeader + ProtocolConstants.HeaderSize + ProtocolConstants.MinCiphertextLength];
        new Random(3).NextBytes(wire);
        wire[0] = ProtocolConstants.Version;
        wire[1] = WireLayout.TypeNormal;
        wire.AsSpan(WireLayout.NormalHeader + 32, 8).Clear(); // PN = N = 0

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.DecryptionFailed);
    }

    [Fact]
    public void Decrypt_NormalMessageWithoutAnySession_ThrowsNoSession()
    {
        using var world = TestWorld.Established();
        using var carol = new Party("carol");
        var wire = world.Alice.Send(world.Bob, Payloads.Text("to bob"));

        Rejection.Assert(carol, world.Alice, wire, ProtocolError.NoSession);
    }

    [Fact]
    public void Decrypt_MessageClaimingSignedPrekeyBeforeAnyReply_ThrowsNoReceivingChain()
    {
        // Before any reply, the initiator's DHr is Bob's SPK and it has no receiving chain.
        using var world = TestWorld.Initiated();
        var spk = world.Bob.Prekeys.CurrentSignedPrekey(world.Bob.Identity).PublicKey;
        var wire = new byte[WireLayout.NormalHeader + ProtocolConstants.HeaderSize + ProtocolConstants.MinCiphertextLength];
        wire[0] = ProtocolConstants.Version;
        wire[1] = WireLayout.TypeNormal;
        spk.CopyTo(wire, WireLayout.NormalHeader);

        Rejection.Assert(world.Alice, world.Bob, wire, ProtocolError.NoReceivingChain);
    }

    [Fact]
    public void Encrypt_WithoutSession_ThrowsNoSession()
    {
        using var world = new TestWorld();
        using var record = SessionRecord.ForPeer(world.Bob.AccountId);

        var e = Assert.Throws<ProtocolException>(() => record.Encrypt(Payloads.Text("x")));

        Assert.Equal(ProtocolError.NoSession, e.Error);
        Assert.False(record.CanSend);
    }
}
