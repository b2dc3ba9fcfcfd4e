using System.Buffers.Binary;
using SafeMentor.Protocol.Prekeys;
using SafeMentor.Protocol.Sessions;
using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.State;

/// <summary>Session records and prekey stores round-trip byte for byte, keep working when restored, and refuse malformed state.</summary>
public sealed class SerializationTests
{
    [Fact]
    public void Serialize_EmptyRecord_RoundTripsExactly()
    {
        using var world = new TestWorld();
        var bytes = world.Alice.RecordFor(world.Bob).Serialize();

        using var restored = SessionRecord.Deserialize(bytes);

        Assert.Equal(bytes, restored.Serialize());
        Assert.Equal(world.Bob.AccountId, restored.PeerAccountId);
        Assert.False(restored.HasSession);
    }

    [Fact]
    public void Serialize_MidConversationWithSkippedKeys_RoundTripsExactlyAndKeepsWorking()
    {
        using var world = TestWorld.Established();
        var pending = Enumerable.Range(0, 6).Select(i => world.Alice.Send(world.Bob, Payloads.Numbered("a", i))).ToList();
        world.Bob.Receive(world.Alice, pending[5]);
        world.Bob.Receive(world.Alice, pending[2]);
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("turn"));
        var nextChain = world.Alice.Send(world.Bob, Payloads.Text("next chain"));
        Assert.Equal(4, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);

        var bobBytes = world.Bob.RecordFor(world.Alice).Serialize();
        var aliceBytes = world.Alice.RecordFor(world.Bob).Serialize();
        var bobRestored = SessionRecord.Deserialize(bobBytes);
        var aliceRestored = SessionRecord.Deserialize(aliceBytes);
        Assert.Equal(bobBytes, bobRestored.Serialize());
        Assert.Equal(aliceBytes, aliceRestored.Serialize());
        Assert.Equal(4, bobRestored.StoredSkippedKeys);
        world.Bob.ReplaceRecord(world.Alice, bobRestored);
        world.Alice.ReplaceRecord(world.Bob, aliceRestored);

        Assert.Equal(Payloads.Text("next chain"), world.Bob.Receive(world.Alice, nextChain).Payload);
        foreach (var i in new[] { 0, 1, 3, 4 })
        {
            Assert.Equal(Payloads.Numbered("a", i), world.Bob.Receive(world.Alice, pending[i]).Payload);
        }

        Rejection.Assert(world.Bob, world.Alice, pending[5], ProtocolError.DuplicateMessage);
        for (var i = 0; i < 10; i++)
        {
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Numbered("b", i));
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", 10 + i));
        }
    }

    [Fact]
    public void Serialize_InitiatorBeforeAnyReply_RoundTripsAndStillSendsPrekeyMessages()
    {
        using var world = TestWorld.Initiated();
        var first = world.Alice.Send(world.Bob, Payloads.Text("first"));
        var bytes = world.Alice.RecordFor(world.Bob).Serialize();

        var restored = SessionRecord.Deserialize(bytes);
        Assert.Equal(bytes, restored.Serialize());
        world.Alice.ReplaceRecord(world.Bob, restored);
        var second = world.Alice.Send(world.Bob, Payloads.Text("second"));

        Assert.Equal(WireLayout.TypePrekey, second[1]);
        Assert.Equal(first[..WireLayout.PrekeyHeader], second[..WireLayout.PrekeyHeader]);
        Assert.Equal(Payloads.Text("second"), world.Bob.Receive(world.Alice, second).Payload);
        Assert.Equal(Payloads.Text("first"), world.Bob.Receive(world.Alice, first).Payload);
    }

    [Fact]
    public void Serialize_RecordWithPreviousSessions_RoundTripsExactly()
    {
        using var world = new TestWorld();
        world.Alice.Initiate(world.Bob);
        world.Bob.Initiate(world.Alice);
        var fromAlice = world.Alice.Send(world.Bob, Payloads.Text("a"));
        var fromBob = world.Bob.Send(world.Alice, Payloads.Text("b"));
        world.Bob.Receive(world.Alice, fromAlice);
        world.Alice.Receive(world.Bob, fromBob);
        Assert.Equal(1, world.Alice.RecordFor(world.Bob).PreviousSessionCount);
        Assert.Equal(1, world.Bob.RecordFor(world.Alice).PreviousSessionCount);

        foreach (var (owner, peer) in new[] { (world.Alice, world.Bob), (world.Bob, world.Alice) })
        {
            var bytes = owner.RecordFor(peer).Serialize();
            var restored = SessionRecord.Deserialize(bytes);
            Assert.Equal(bytes, restored.Serialize());
            Assert.Equal(1, restored.PreviousSessionCount);
            owner.ReplaceRecord(peer, restored);
        }

        for (var i = 0; i < 10; i++)
        {
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", i));
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Numbered("b", i));
        }
    }

    [Fact]
    public void Serialize_Twice_GivesIdenticalBytes()
    {
        using var world = TestWorld.Established();

        Assert.Equal(world.Bob.RecordFor(world.Alice).Serialize(), world.Bob.RecordFor(world.Alice).Serialize());
        Assert.Equal(world.Bob.Prekeys.Serialize(), world.Bob.Prekeys.Serialize());
    }

    [Fact]
    public void Deserialize_EveryTruncationOfRecord_ThrowsMalformedState()
    {
        using var world = TestWorld.Established();
        world.Alice.Send(world.Bob, Payloads.Text("never delivered")); // leaves a stored skipped key
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("late"));
        var bytes = world.Bob.RecordFor(world.Alice).Serialize();
        Assert.Equal(1, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);

        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<ProtocolException>(() => SessionRecord.Deserialize(bytes.AsSpan(0, length)));
            Assert.Equal(ProtocolError.MalformedState, e.Error);
        }
    }

    [Fact]
    public void Deserialize_RecordWithTrailingByte_ThrowsMalformedState()
    {
        using var world = TestWorld.Established();

        AssertMalformedRecord([.. world.Bob.RecordFor(world.Alice).Serialize(), 0x00]);
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(4)] // format version
    public void Deserialize_RecordWithWrongFormatHeader_ThrowsMalformedState(int offset)
    {
        using var world = TestWorld.Established();

        AssertMalformedRecord(WireLayout.Flip(world.Bob.RecordFor(world.Alice).Serialize(), offset));
    }

    [Fact]
    public void Deserialize_RecordWithInvalidPeerAccountId_ThrowsMalformedState()
    {
        using var world = TestWorld.Established();
        var bytes = world.Bob.RecordFor(world.Alice).Serialize();
        bytes[9 + 3] = (byte)'A'; // first base32 character after "sm_", upper case is not in the alphabet

        AssertMalformedRecord(bytes);
    }

    [Fact]
    public void Deserialize_RecordWithFlagNeitherZeroNorOne_ThrowsMalformedState()
    {
        using var world = TestWorld.Established();
        var bytes = world.Bob.RecordFor(world.Alice).Serialize();
        var flag = 9 + AccountIdLength(bytes);
        Assert.Equal(1, bytes[flag]);
        bytes[flag] = 2;

        AssertMalformedRecord(bytes);
    }

    [Fact]
    public void Deserialize_RecordWithTooManySessions_ThrowsMalformedState()
    {
        using var world = TestWorld.Established();
        var bytes = world.Bob.RecordFor(world.Alice).Serialize();
        var count = 9 + AccountIdLength(bytes) + 1 + 64;
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(count)));

        AssertMalformedRecord(WireLayout.WithU32(bytes, count, ProtocolConstants.MaxPreviousSessions + 2));
        AssertMalformedRecord(WireLayout.WithU32(bytes, count, uint.MaxValue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Deserialize_RandomBytes_ThrowsMalformedState(int seed)
    {
        var bytes = new byte[600];
        new Random(seed).NextBytes(bytes);

        AssertMalformedRecord(bytes);
        var e = Assert.Throws<ProtocolException>(() => LocalPrekeys.Deserialize(bytes));
        Assert.Equal(ProtocolError.MalformedState, e.Error);
    }

    [Fact]
    public void Serialize_Prekeys_RoundTripExactlyAndRestoredStoreAnswersPrekeyMessages()
    {
        using var world = new TestWorld();
        world.Bob.Prekeys.GenerateOneTimePrekeys(5);
        world.Bob.Prekeys.RotateSignedPrekey(world.Bob.Identity, Party.NowMs + 1000);
        world.Alice.Initiate(world.Bob);
        var bytes = world.Bob.Prekeys.Serialize();

        var restored = LocalPrekeys.Deserialize(bytes);
        Assert.Equal(bytes, restored.Serialize());
        Assert.Equal(world.Bob.Prekeys.OneTimePrekeyCount, restored.OneTimePrekeyCount);
        Assert.Equal(world.Bob.Prekeys.SignedPrekeyIds, restored.SignedPrekeyIds);
        Assert.Equal(world.Bob.Prekeys.CurrentSignedPrekeyId, restored.CurrentSignedPrekeyId);
        world.Bob.ReplacePrekeys(restored);

        var result = world.Bob.Receive(world.Alice, world.Alice.Send(world.Bob, Payloads.Text("to the restored store")));
        Assert.Equal(Payloads.Text("to the restored store"), result.Payload);
        Assert.NotNull(result.ConsumedOneTimePrekeyId);
    }

    [Fact]
    public void Serialize_PrekeysAfterMoreOneTimePrekeys_KeepsIdsUnique()
    {
        using var world = new TestWorld();
        var first = world.Bob.Prekeys.GenerateOneTimePrekeys(3);
        var restored = LocalPrekeys.Deserialize(world.Bob.Prekeys.Serialize());

        var more = restored.GenerateOneTimePrekeys(3);

        Assert.Empty(first.Select(p => p.Id).Intersect(more.Select(p => p.Id)));
        restored.Dispose();
    }

    [Fact]
    public void Deserialize_EveryTruncationOfPrekeys_ThrowsMalformedState()
    {
        using var world = new TestWorld();
        world.Bob.Prekeys.GenerateOneTimePrekeys(2);
        world.Bob.Prekeys.RotateSignedPrekey(world.Bob.Identity, Party.NowMs + 1);
        var bytes = world.Bob.Prekeys.Serialize();

        for (var length = 0; length < bytes.Length; length++)
        {
            var e = Assert.Throws<ProtocolException>(() => LocalPrekeys.Deserialize(bytes.AsSpan(0, length)));
            Assert.Equal(ProtocolError.MalformedState, e.Error);
        }

        var trailing = Assert.Throws<ProtocolException>(() => LocalPrekeys.Deserialize([.. bytes, 0]));
        Assert.Equal(ProtocolError.MalformedState, trailing.Error);
    }

    [Fact]
    public void Deserialize_PrekeysWithReservedOrDuplicateOneTimeId_ThrowsMalformedState()
    {
        // Layout: magic(4) version(1) current(4) next(4) count(4), one signed entry of 53 bytes, count(4), then id(4) key(32) per one-time prekey.
        using var world = new TestWorld();
        var ids = world.Bob.Prekeys.GenerateOneTimePrekeys(2).Select(p => p.Id).ToList();
        var bytes = world.Bob.Prekeys.Serialize();
        const int firstOneTime = 17 + 53 + 4;
        Assert.Equal(ids[0], BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(firstOneTime)));
        Assert.Equal(ids[1], BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(firstOneTime + 36)));

        AssertMalformedPrekeys(WireLayout.WithU32(bytes, firstOneTime, ProtocolConstants.NoOneTimePrekey));
        AssertMalformedPrekeys(WireLayout.WithU32(bytes, firstOneTime + 36, ids[0]));
    }

    [Fact]
    public void Deserialize_PrekeysWithoutTheirCurrentSignedPrekey_ThrowsMalformedState()
    {
        using var world = new TestWorld();
        var bytes = world.Bob.Prekeys.Serialize();
        Assert.Equal(world.Bob.Prekeys.CurrentSignedPrekeyId, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));

        AssertMalformedPrekeys(WireLayout.WithU32(bytes, 5, 999));
    }

    private static int AccountIdLength(byte[] record)
    {
        var length = BinaryPrimitives.ReadUInt32BigEndian(record.AsSpan(5));
        Assert.Equal((uint)Identity.AccountId.Length, length);
        return (int)length;
    }

    private static void AssertMalformedRecord(byte[] bytes)
    {
        var e = Assert.Throws<ProtocolException>(() => SessionRecord.Deserialize(bytes));
        Assert.Equal(ProtocolError.MalformedState, e.Error);
    }

    private static void AssertMalformedPrekeys(byte[] bytes)
    {
        var e = Assert.Throws<ProtocolException>(() => LocalPrekeys.Deserialize(bytes));
        Assert.Equal(ProtocolError.MalformedState, e.Error);
    }
}
