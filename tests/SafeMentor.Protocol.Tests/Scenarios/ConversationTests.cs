using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>Long conversations with many DH ratchet turns, alternating and in bursts.</summary>
public sealed class ConversationTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_FourHundredAlternatingMessages_AllRoundTrip(bool withOneTimePrekey)
    {
        using var world = TestWorld.Initiated(withOneTimePrekey);
        var sender = world.Alice;
        var ratchetKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 400; i++)
        {
            var wire = TestWorld.Deliver(sender, world.Other(sender), Payloads.Numbered(sender.Name, i));
            ratchetKeys.Add(Hex.Encode(wire.AsSpan(WireLayout.HeaderDh(wire), 32)));
            sender = world.Other(sender);
        }

        // Every turn of the conversation used a fresh ratchet key.
        Assert.Equal(400, ratchetKeys.Count);
    }

    [Fact]
    public void Decrypt_BurstsOfVaryingLength_AllRoundTripWithCorrectCounters()
    {
        using var world = TestWorld.Initiated();
        var random = new Random(7);
        var sender = world.Alice;
        var total = 0;
        for (var burst = 0; burst < 60; burst++)
        {
            var length = random.Next(1, 25);
            for (var n = 0; n < length; n++)
            {
                var wire = TestWorld.Deliver(sender, world.Other(sender), Payloads.Numbered(sender.Name, total++));
                Assert.Equal((uint)n, WireLayout.ReadU32(wire, WireLayout.HeaderNumber(wire)));
            }

            sender = world.Other(sender);
        }

        Assert.True(total > 500);
    }

    [Fact]
    public void Decrypt_BurstThenReply_HeaderCarriesPreviousChainLength()
    {
        using var world = TestWorld.Established();
        for (var i = 0; i < 5; i++)
        {
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", i));
        }

        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("ok"));
        var next = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("next chain"));

        Assert.Equal(5u, WireLayout.ReadU32(next, WireLayout.HeaderPreviousChainLength(next)));
        Assert.Equal(0u, WireLayout.ReadU32(next, WireLayout.HeaderNumber(next)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(254)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(ProtocolConstants.MaxPayloadLength)]
    public void Encrypt_PayloadSizes_PadToBlocksAndRoundTrip(int length)
    {
        using var world = TestWorld.Established();
        var payload = new byte[length];
        new Random(length).NextBytes(payload);

        var wire = TestWorld.Deliver(world.Alice, world.Bob, payload);

        var ciphertextLength = wire.Length - WireLayout.Ciphertext(wire);
        Assert.Equal(((length / 256) + 1) * 256 + ProtocolConstants.TagSize, ciphertextLength);
        Assert.True(wire.Length <= ProtocolConstants.MaxWireMessageLength);
    }

    [Fact]
    public void Encrypt_LargestPayloadInPrekeyMessage_FitsTheWireLimitAndRoundTrips()
    {
        using var world = TestWorld.Initiated();
        var payload = new byte[ProtocolConstants.MaxPayloadLength];
        payload.AsSpan().Fill(0x5A);

        var wire = TestWorld.Deliver(world.Alice, world.Bob, payload);

        Assert.Equal(WireLayout.TypePrekey, wire[1]);
        Assert.True(wire.Length <= ProtocolConstants.MaxWireMessageLength);
    }

    [Fact]
    public void Encrypt_SamePayloadTwice_GivesDifferentCiphertexts()
    {
        using var world = TestWorld.Established();
        var payload = Payloads.Text("same");

        var first = TestWorld.Deliver(world.Alice, world.Bob, payload);
        var second = TestWorld.Deliver(world.Alice, world.Bob, payload);

        Assert.NotEqual(first[WireLayout.Ciphertext(first)..], second[WireLayout.Ciphertext(second)..]);
    }
}
