using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.State;

/// <summary>A one-time prekey is deleted only once a first message of its session decrypts, and never serves twice.</summary>
public sealed class OneTimePrekeyTests
{
    [Fact]
    public void Decrypt_TamperedThenValidFirstMessage_DeletesOneTimePrekeyOnlyAfterSuccess()
    {
        using var world = new TestWorld();
        world.Bob.Prekeys.GenerateOneTimePrekeys(3);
        var bundle = world.Bob.Bundle(withOneTimePrekey: true);
        var id = bundle.OneTimePrekeyId!.Value;
        world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, bundle);
        var wire = world.Alice.Send(world.Bob, Payloads.Text("first"));

        Rejection.Assert(world.Bob, world.Alice, WireLayout.Flip(wire, WireLayout.Ciphertext(wire) + 1), ProtocolError.DecryptionFailed);
        Assert.NotNull(world.Bob.Prekeys.FindOneTimePrekey(id));
        Assert.Equal(4, world.Bob.Prekeys.OneTimePrekeyCount);

        var result = world.Bob.Receive(world.Alice, wire);

        Assert.Equal(id, result.ConsumedOneTimePrekeyId);
        Assert.Null(world.Bob.Prekeys.FindOneTimePrekey(id));
        Assert.Equal(3, world.Bob.Prekeys.OneTimePrekeyCount);
    }

    [Fact]
    public void Decrypt_LaterMessagesOfTheSession_ConsumeNothingMore()
    {
        using var world = TestWorld.Initiated();
        world.Bob.Prekeys.GenerateOneTimePrekeys(2);
        var first = world.Bob.Receive(world.Alice, world.Alice.Send(world.Bob, Payloads.Text("1")));
        var second = world.Bob.Receive(world.Alice, world.Alice.Send(world.Bob, Payloads.Text("2")));

        Assert.NotNull(first.ConsumedOneTimePrekeyId);
        Assert.Null(second.ConsumedOneTimePrekeyId);
        Assert.False(second.StartedSession);
        Assert.Equal(2, world.Bob.Prekeys.OneTimePrekeyCount);
    }

    [Fact]
    public void Decrypt_SessionWithoutOneTimePrekey_ConsumesNone()
    {
        using var world = TestWorld.Initiated(withOneTimePrekey: false);
        world.Bob.Prekeys.GenerateOneTimePrekeys(2);

        var result = world.Bob.Receive(world.Alice, world.Alice.Send(world.Bob, Payloads.Text("1")));

        Assert.True(result.StartedSession);
        Assert.Null(result.ConsumedOneTimePrekeyId);
        Assert.Equal(2, world.Bob.Prekeys.OneTimePrekeyCount);
    }

    [Fact]
    public void Decrypt_SecondSessionFromSameInitiatorWithUsedOneTimePrekey_ThrowsUnknownOneTimePrekey()
    {
        using var world = new TestWorld();
        var bundle = world.Bob.Bundle(withOneTimePrekey: true);
        world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, bundle);
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("first session"));

        world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, bundle);
        var wire = world.Alice.Send(world.Bob, Payloads.Text("second session"));

        Rejection.Assert(world.Bob, world.Alice, wire, ProtocolError.UnknownOneTimePrekey);
    }

    [Fact]
    public void Decrypt_AnotherInitiatorWithUsedOneTimePrekey_ThrowsUnknownOneTimePrekey()
    {
        using var world = new TestWorld();
        using var carol = new Party("carol");
        var bundle = world.Bob.Bundle(withOneTimePrekey: true);
        world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, bundle);
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("alice"));

        carol.RecordFor(world.Bob).Initiate(carol.Identity, bundle);
        var wire = carol.Send(world.Bob, Payloads.Text("carol"));

        Rejection.Assert(world.Bob, carol, wire, ProtocolError.UnknownOneTimePrekey);
    }

    [Fact]
    public void GenerateOneTimePrekeys_SeveralBatches_GiveUniqueUsableIds()
    {
        using var world = new TestWorld();

        var ids = Enumerable.Range(0, 3)
            .SelectMany(_ => world.Bob.Prekeys.GenerateOneTimePrekeys(ProtocolConstants.MaxOneTimePrekeyBatch))
            .Select(p => p.Id)
            .ToList();

        Assert.Equal(300, ids.Distinct().Count());
        Assert.DoesNotContain(ProtocolConstants.NoOneTimePrekey, ids);
        Assert.DoesNotContain(0u, ids);
        Assert.Equal(300, world.Bob.Prekeys.OneTimePrekeyCount);
    }

    [Fact]
    public void ImportOneTimePrekey_ReservedId_ThrowsArgumentException()
    {
        using var world = new TestWorld();

        Assert.Throws<ArgumentException>(() => world.Bob.Prekeys.ImportOneTimePrekey(ProtocolConstants.NoOneTimePrekey, new byte[32]));
    }

    [Fact]
    public void Decrypt_PrekeyMessageForSupersededSignedPrekey_DecryptsUntilPruned()
    {
        using var world = new TestWorld();
        var oldBundle = world.Bob.Bundle(withOneTimePrekey: false);
        world.Bob.Prekeys.RotateSignedPrekey(world.Bob.Identity, Party.NowMs);
        var retention = (long)ProtocolConstants.SupersededSignedPrekeyRetention.TotalMilliseconds;

        Assert.Equal(0, world.Bob.Prekeys.PruneSupersededSignedPrekeys(Party.NowMs + retention - 1));
        world.Alice.RecordFor(world.Bob).Initiate(world.Alice.Identity, oldBundle);
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("late but in time"));

        Assert.Equal(1, world.Bob.Prekeys.PruneSupersededSignedPrekeys(Party.NowMs + retention));
        using var carol = new Party("carol");
        carol.RecordFor(world.Bob).Initiate(carol.Identity, oldBundle);
        Rejection.Assert(world.Bob, carol, carol.Send(world.Bob, Payloads.Text("too late")), ProtocolError.UnknownSignedPrekey);
    }
}
