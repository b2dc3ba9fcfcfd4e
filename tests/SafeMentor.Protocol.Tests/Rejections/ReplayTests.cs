using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Rejections;

/// <summary>A message whose key was already used is rejected as a duplicate and changes nothing.</summary>
public sealed class ReplayTests
{
    [Fact]
    public void Decrypt_ReplayedMessageInCurrentChain_ThrowsDuplicate()
    {
        using var world = TestWorld.Established();
        var wire = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("once"));

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.DuplicateMessage);
    }

    [Fact]
    public void Decrypt_ReplayedMessageAfterLaterOnesInSameChain_ThrowsDuplicate()
    {
        using var world = TestWorld.Established();
        var wire = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("once"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("twice"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("thrice"));

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.DuplicateMessage);
    }

    [Fact]
    public void Decrypt_ReplayedMessageAfterChainMovedOn_ThrowsDuplicate()
    {
        using var world = TestWorld.Established();
        var wire = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("old chain"));
        for (var i = 0; i < 3; i++)
        {
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Numbered("b", i));
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", i));
        }

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.DuplicateMessage);
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("still fine"));
    }

    [Fact]
    public void Decrypt_ReplayedMessageDecryptedWithSkippedKey_ThrowsDuplicate()
    {
        using var world = TestWorld.Established();
        var early = world.Alice.Send(world.Bob, Payloads.Text("early"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("late"));
        world.Bob.Receive(world.Alice, early);

        Rejection.Assert(world.Bob, world.Alice, early, ProtocolError.DuplicateMessage);
    }

    [Fact]
    public void Decrypt_ReplayedSkippedKeyMessageAfterChainMovedOn_ThrowsDuplicate()
    {
        using var world = TestWorld.Established();
        var early = world.Alice.Send(world.Bob, Payloads.Text("early"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("late"));
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("turn"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("new chain"));
        world.Bob.Receive(world.Alice, early);

        Rejection.Assert(world.Bob, world.Alice, early, ProtocolError.DuplicateMessage);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decrypt_ReplayedFirstPrekeyMessage_ThrowsDuplicate(bool withOneTimePrekey)
    {
        using var world = TestWorld.Initiated(withOneTimePrekey);
        var first = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("first"));

        Rejection.Assert(world.Bob, world.Alice, first, ProtocolError.DuplicateMessage);

        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("reply"));
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("normal"));
        Rejection.Assert(world.Bob, world.Alice, first, ProtocolError.DuplicateMessage);
    }

    [Fact]
    public void Decrypt_ReplayedReplyAtInitiator_ThrowsDuplicate()
    {
        using var world = TestWorld.Initiated();
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("first"));
        var reply = TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("reply"));

        Rejection.Assert(world.Alice, world.Bob, reply, ProtocolError.DuplicateMessage);
    }

    [Fact]
    public void Decrypt_PrekeyMessageOfSessionNoLongerKept_ThrowsDuplicate()
    {
        using var world = TestWorld.Initiated();
        var first = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("session 0"));

        // Alice starts six more sessions; Bob keeps the current one and five previous ones.
        for (var i = 1; i <= ProtocolConstants.MaxPreviousSessions + 1; i++)
        {
            world.Alice.Initiate(world.Bob);
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("session", i));
        }

        Assert.Equal(ProtocolConstants.MaxPreviousSessions, world.Bob.RecordFor(world.Alice).PreviousSessionCount);
        Rejection.Assert(world.Bob, world.Alice, first, ProtocolError.DuplicateMessage);
    }

    [Fact]
    public void Decrypt_ReplayAfterMoreTurnsThanRetiredKeysKept_IsRejectedAndChangesNothing()
    {
        // The spec requires rejection, not a particular error: once a chain's ratchet key has left the bounded list
        // of retired keys, a replay can no longer be told from a forgery, and either error is a correct rejection.
        using var world = TestWorld.Established();
        var old = TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("long ago"));
        for (var i = 0; i < 300; i++)
        {
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Numbered("b", i));
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", i));
        }

        var (record, prekeys) = world.Bob.Snapshot(world.Alice);
        var e = Assert.Throws<ProtocolException>(() => world.Bob.Receive(world.Alice, old));

        Assert.Contains(e.Error, new[] { ProtocolError.DuplicateMessage, ProtocolError.DecryptionFailed });
        Assert.Equal(record, world.Bob.RecordFor(world.Alice).Serialize());
        Assert.Equal(prekeys, world.Bob.Prekeys.Serialize());
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("still fine"));
    }
}
