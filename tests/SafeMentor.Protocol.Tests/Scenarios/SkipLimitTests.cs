using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>MAX_SKIP = 1000 per chain (a gap of exactly 1000 is allowed) and at most 2000 stored skipped keys per session.</summary>
public sealed class SkipLimitTests
{
    [Fact]
    public void Decrypt_GapOfExactly1000InEstablishedChain_Succeeds()
    {
        using var world = TestWorld.Established();
        var wires = SendMany(world.Alice, world.Bob, ProtocolConstants.MaxSkip + 1);

        var result = world.Bob.Receive(world.Alice, wires[^1]);

        Assert.Equal(Payloads.Numbered("a", ProtocolConstants.MaxSkip), result.Payload);
        Assert.Equal(ProtocolConstants.MaxSkip, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);
        Assert.Equal(Payloads.Numbered("a", 0), world.Bob.Receive(world.Alice, wires[0]).Payload);
        Assert.Equal(Payloads.Numbered("a", 999), world.Bob.Receive(world.Alice, wires[999]).Payload);
    }

    [Fact]
    public void Decrypt_GapOf1001InEstablishedChain_ThrowsTooManySkippedMessages()
    {
        using var world = TestWorld.Established();
        var wires = SendMany(world.Alice, world.Bob, ProtocolConstants.MaxSkip + 2);

        Rejection.Assert(world.Bob, world.Alice, wires[^1], ProtocolError.TooManySkippedMessages);
        // The gap shrinks as earlier messages arrive: then the same message is accepted.
        Assert.Equal(Payloads.Numbered("a", 0), world.Bob.Receive(world.Alice, wires[0]).Payload);
        Assert.Equal(Payloads.Numbered("a", ProtocolConstants.MaxSkip + 1), world.Bob.Receive(world.Alice, wires[^1]).Payload);
    }

    [Fact]
    public void Decrypt_GapOfExactly1000InFirstPrekeyMessage_Succeeds()
    {
        using var world = TestWorld.Initiated();
        var wires = SendMany(world.Alice, world.Bob, ProtocolConstants.MaxSkip + 1);

        var result = world.Bob.Receive(world.Alice, wires[^1]);

        Assert.True(result.StartedSession);
        Assert.Equal(ProtocolConstants.MaxSkip, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);
    }

    [Fact]
    public void Decrypt_GapOf1001InFirstPrekeyMessage_ThrowsTooManySkippedAndKeepsOneTimePrekey()
    {
        using var world = TestWorld.Initiated();
        var wires = SendMany(world.Alice, world.Bob, ProtocolConstants.MaxSkip + 2);
        var oneTimeBefore = world.Bob.Prekeys.OneTimePrekeyCount;

        Rejection.Assert(world.Bob, world.Alice, wires[^1], ProtocolError.TooManySkippedMessages);

        Assert.Equal(oneTimeBefore, world.Bob.Prekeys.OneTimePrekeyCount);
        Assert.False(world.Bob.RecordFor(world.Alice).HasSession);
    }

    [Fact]
    public void Decrypt_PreviousChainLengthBeyondMaxSkip_ThrowsTooManySkippedMessages()
    {
        // Bob has received message 0 of Alice's chain; her next chain's PN says the chain had 1002 messages,
        // so moving on would skip 1001 keys of it.
        using var world = TestWorld.Established();
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("opener"));
        var unseen = SendMany(world.Alice, world.Bob, ProtocolConstants.MaxSkip + 1);
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("reply"));
        var nextChain = world.Alice.Send(world.Bob, Payloads.Text("next chain"));

        Assert.Equal((uint)(ProtocolConstants.MaxSkip + 2), WireLayout.ReadU32(nextChain, WireLayout.HeaderPreviousChainLength(nextChain)));
        Rejection.Assert(world.Bob, world.Alice, nextChain, ProtocolError.TooManySkippedMessages);

        // One more message of the old chain brings the gap to exactly 1000.
        Assert.Equal(Payloads.Numbered("a", 0), world.Bob.Receive(world.Alice, unseen[0]).Payload);
        Assert.Equal(Payloads.Text("next chain"), world.Bob.Receive(world.Alice, nextChain).Payload);
        Assert.Equal(ProtocolConstants.MaxSkip, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);
    }

    [Fact]
    public void Decrypt_MoreThan2000SkippedKeys_EvictsTheOldestFirst()
    {
        using var world = TestWorld.Established();
        var record = world.Bob.RecordFor(world.Alice);

        // 1000 skipped in one of Alice's chains...
        var first = SendMany(world.Alice, world.Bob, ProtocolConstants.MaxSkip + 1, "first");
        world.Bob.Receive(world.Alice, first[^1]);
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("turn"));

        // ...1000 in the next...
        var second = SendMany(world.Alice, world.Bob, ProtocolConstants.MaxSkip + 1, "second");
        world.Bob.Receive(world.Alice, second[^1]);
        Assert.Equal(ProtocolConstants.MaxStoredSkippedKeys, record.StoredSkippedKeys);
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("turn"));

        // ...and one more evicts the key stored first.
        var third = SendMany(world.Alice, world.Bob, 2, "third");
        world.Bob.Receive(world.Alice, third[1]);
        Assert.Equal(ProtocolConstants.MaxStoredSkippedKeys, record.StoredSkippedKeys);

        Rejection.Assert(world.Bob, world.Alice, first[0], ProtocolError.DuplicateMessage);
        Assert.Equal(Payloads.Numbered("first", 1), world.Bob.Receive(world.Alice, first[1]).Payload);
        Assert.Equal(Payloads.Numbered("second", 0), world.Bob.Receive(world.Alice, second[0]).Payload);
        Assert.Equal(Payloads.Numbered("third", 0), world.Bob.Receive(world.Alice, third[0]).Payload);
    }

    [Fact]
    public void Decrypt_2400SkippedKeysOverThreeChains_KeepsTheNewest2000()
    {
        using var world = TestWorld.Established();
        var record = world.Bob.RecordFor(world.Alice);
        var wires = new List<byte[]>();
        for (var round = 0; round < 3; round++)
        {
            var chain = SendMany(world.Alice, world.Bob, 801, $"r{round}");
            world.Bob.Receive(world.Alice, chain[^1]);
            wires.AddRange(chain.Take(800));
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("turn"));
        }

        // 2400 keys were stored; the 400 stored first are gone, the rest remain.
        Assert.Equal(ProtocolConstants.MaxStoredSkippedKeys, record.StoredSkippedKeys);
        Rejection.Assert(world.Bob, world.Alice, wires[0], ProtocolError.DuplicateMessage);
        Rejection.Assert(world.Bob, world.Alice, wires[399], ProtocolError.DuplicateMessage);
        Assert.Equal(Payloads.Numbered("r0", 400), world.Bob.Receive(world.Alice, wires[400]).Payload);
        Assert.Equal(Payloads.Numbered("r2", 799), world.Bob.Receive(world.Alice, wires[^1]).Payload);
    }

    private static List<byte[]> SendMany(Party from, Party to, int count, string tag = "a")
        => Enumerable.Range(0, count).Select(i => from.Send(to, Payloads.Numbered(tag, i))).ToList();
}
