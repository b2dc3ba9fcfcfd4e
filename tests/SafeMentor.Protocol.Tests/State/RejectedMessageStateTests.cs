using SafeMentor.Protocol.Keys;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.State;

/// <summary>A rejected message changes no stored state at all; the key a failed DH ratchet step drew is used up.</summary>
public sealed class RejectedMessageStateTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decrypt_EverySingleByteForgery_ThrowsProtocolExceptionAndLeavesStateUnchanged(bool prekeyMessage)
    {
        using var world = prekeyMessage ? TestWorld.Initiated() : TestWorld.Established();
        var genuine = world.Alice.Send(world.Bob, Payloads.Text("genuine"));
        var before = world.Bob.Snapshot(world.Alice);

        for (var i = 0; i < genuine.Length; i++)
        {
            var forged = WireLayout.Flip(genuine, i, 0x04);
            Assert.Throws<ProtocolException>(() => world.Bob.Receive(world.Alice, forged));
        }

        var after = world.Bob.Snapshot(world.Alice);
        Assert.Equal(before.Record, after.Record);
        Assert.Equal(before.Prekeys, after.Prekeys);
        Assert.Equal(Payloads.Text("genuine"), world.Bob.Receive(world.Alice, genuine).Payload);
        Assert.NotEqual(before.Record, world.Bob.RecordFor(world.Alice).Serialize());
    }

    [Fact]
    public void Decrypt_ForgeryThatRatchets_UsesUpTheDrawnKeyButChangesNoState()
    {
        using var world = TestWorld.Established();
        var genuine = world.Alice.Send(world.Bob, Payloads.Text("new chain for bob"));
        var first = new byte[32];
        var second = new byte[32];
        first[0] = 0x11;
        second[0] = 0x22;
        var keys = new DeterministicKeySource().Enqueue(KeyPurpose.Ratchet, first).Enqueue(KeyPurpose.Ratchet, second);
        var record = world.Bob.RecordFor(world.Alice);
        var before = record.Serialize();

        var e = Assert.Throws<ProtocolException>(() => record.Decrypt(WireLayout.Flip(genuine, WireLayout.Ciphertext(genuine)), world.Bob.Identity, world.Bob.Prekeys, keys));

        Assert.Equal(ProtocolError.DecryptionFailed, e.Error);
        Assert.Equal(before, record.Serialize());
        Assert.Equal(1, keys.Drawn(KeyPurpose.Ratchet));

        Assert.Equal(Payloads.Text("new chain for bob"), record.Decrypt(genuine, world.Bob.Identity, world.Bob.Prekeys, keys).Payload);
        Assert.Equal(2, keys.Drawn(KeyPurpose.Ratchet));
        var reply = world.Bob.Send(world.Alice, Payloads.Text("reply"));
        using var secondKey = Crypto.ImportPrivate(Crypto.X25519, second);
        Assert.Equal(Crypto.PublicKeyBytes(secondKey), reply[WireLayout.HeaderDh(reply)..(WireLayout.HeaderDh(reply) + 32)]);
    }
}
