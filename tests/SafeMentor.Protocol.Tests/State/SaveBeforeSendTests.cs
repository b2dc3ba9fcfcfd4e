using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.State;

/// <summary>
/// The public Encrypt hands the new state and the wire message to the caller's durable save before the message
/// exists for anyone else; a failed save leaves the record as it was.
/// </summary>
public sealed class SaveBeforeSendTests
{
    [Fact]
    public void Encrypt_SaveThrows_RecordUnchangedAndNoWire()
    {
        using var world = TestWorld.Established();
        var record = world.Alice.RecordFor(world.Bob);
        var before = record.Serialize();

        Assert.Throws<IOException>(() => record.Encrypt(Payloads.Text("lost"), (_, _) => throw new IOException("disk full")));

        Assert.Equal(before, record.Serialize());
    }

    [Fact]
    public void Encrypt_SavedState_IsTheRecordAfterTheMessage()
    {
        using var world = TestWorld.Established();
        var record = world.Alice.RecordFor(world.Bob);
        byte[]? savedState = null;
        byte[]? savedWire = null;

        var wire = record.Encrypt(Payloads.Text("kept"), (state, message) =>
        {
            savedState = state.ToArray();
            savedWire = message.ToArray();
        });

        Assert.Equal(wire, savedWire);
        Assert.Equal(record.Serialize(), savedState);
        Assert.Equal(Payloads.Text("kept"), world.Bob.Receive(world.Alice, wire).Payload);

        // A process restarted from the saved state continues the chain: the next message decrypts as the next one.
        using var restored = SessionRecord.Deserialize(savedState);
        var next = restored.Encrypt(Payloads.Text("after restart"), (_, _) => { });
        Assert.Equal(Payloads.Text("after restart"), world.Bob.Receive(world.Alice, next).Payload);
    }

    [Fact]
    public void PruneSeenEphemeralKeys_SignedPrekeyDeleted_ForgetsItsKeys()
    {
        using var world = TestWorld.Initiated();
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("first"));
        var bobRecord = world.Bob.RecordFor(world.Alice);
        Assert.Equal(1, bobRecord.SeenEphemeralKeyCount);

        Assert.Equal(0, bobRecord.PruneSeenEphemeralKeys(world.Bob.Prekeys));
        world.Bob.Prekeys.RotateSignedPrekey(world.Bob.Identity, Party.NowMs);
        world.Bob.Prekeys.PruneSupersededSignedPrekeys(Party.NowMs + (long)TimeSpan.FromDays(31).TotalMilliseconds);

        Assert.Equal(1, bobRecord.PruneSeenEphemeralKeys(world.Bob.Prekeys));
        Assert.Equal(0, bobRecord.SeenEphemeralKeyCount);
        using var restored = SessionRecord.Deserialize(bobRecord.Serialize());
        Assert.Equal(0, restored.SeenEphemeralKeyCount);
    }

    [Fact]
    public void Decrypt_ManySessionsStarted_SeenKeysStayBounded()
    {
        using var bob = new Party("bob");
        using var alice = new Party("alice");
        for (var i = 0; i < 40; i++)
        {
            alice.Initiate(bob, withOneTimePrekey: false);
            bob.Receive(alice, alice.Send(bob, Payloads.Text($"session {i}")));
        }

        var record = bob.RecordFor(alice);
        Assert.Equal(40, record.SeenEphemeralKeyCount);
        Assert.True(record.Serialize().Length < 40 * 64 + 20_000);
        Assert.Equal(4096, SessionRecord.MaxSeenEphemeralKeys);
    }
}
