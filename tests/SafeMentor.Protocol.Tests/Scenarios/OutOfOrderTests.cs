using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>Out-of-order delivery within one receiving chain and across chains, through stored skipped keys.</summary>
public sealed class OutOfOrderTests
{
    [Fact]
    public void Decrypt_ChainDeliveredInReverse_AllDecrypt()
    {
        using var world = TestWorld.Established();
        var payloads = Enumerable.Range(0, 20).Select(i => Payloads.Numbered("a", i)).ToList();
        var wires = payloads.Select(p => world.Alice.Send(world.Bob, p)).ToList();

        for (var i = wires.Count - 1; i >= 0; i--)
        {
            Assert.Equal(payloads[i], world.Bob.Receive(world.Alice, wires[i]).Payload);
        }

        Assert.Equal(0, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);
    }

    [Fact]
    public void Decrypt_ShuffledChain_StoresThenUsesUpSkippedKeys()
    {
        using var world = TestWorld.Established();
        var wires = Enumerable.Range(0, 30).Select(i => (Index: i, Wire: world.Alice.Send(world.Bob, Payloads.Numbered("a", i)))).ToList();
        var random = new Random(11);
        var order = wires.OrderBy(_ => random.Next()).ToList();
        var record = world.Bob.RecordFor(world.Alice);

        var highest = -1;
        var received = 0;
        foreach (var (index, wire) in order)
        {
            Assert.Equal(Payloads.Numbered("a", index), world.Bob.Receive(world.Alice, wire).Payload);
            received++;
            highest = Math.Max(highest, index);
            Assert.Equal(highest + 1 - received, record.StoredSkippedKeys);
        }
    }

    [Fact]
    public void Decrypt_OlderChainAfterNewerChain_UsesKeysSkippedAtTheRatchetStep()
    {
        using var world = TestWorld.Established();
        var oldChain = Enumerable.Range(0, 3).Select(i => world.Alice.Send(world.Bob, Payloads.Numbered("old", i))).ToList();
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("last of the old chain"));
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("bob moves the ratchet"));
        var newChain = Enumerable.Range(0, 3).Select(i => world.Alice.Send(world.Bob, Payloads.Numbered("new", i))).ToList();

        Assert.Equal(Payloads.Numbered("new", 2), world.Bob.Receive(world.Alice, newChain[2]).Payload);
        Assert.Equal(Payloads.Numbered("old", 1), world.Bob.Receive(world.Alice, oldChain[1]).Payload);
        Assert.Equal(Payloads.Numbered("new", 0), world.Bob.Receive(world.Alice, newChain[0]).Payload);
        Assert.Equal(Payloads.Numbered("old", 0), world.Bob.Receive(world.Alice, oldChain[0]).Payload);
        Assert.Equal(Payloads.Numbered("old", 2), world.Bob.Receive(world.Alice, oldChain[2]).Payload);
        Assert.Equal(Payloads.Numbered("new", 1), world.Bob.Receive(world.Alice, newChain[1]).Payload);
        Assert.Equal(0, world.Bob.RecordFor(world.Alice).StoredSkippedKeys);
    }

    [Fact]
    public void Decrypt_WholeOldChainAfterSeveralTurns_StillDecrypts()
    {
        using var world = TestWorld.Established();
        var delayed = Enumerable.Range(0, 4).Select(i => world.Alice.Send(world.Bob, Payloads.Numbered("delayed", i))).ToList();
        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("arrives"));
        for (var turn = 0; turn < 10; turn++)
        {
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Numbered("b", turn));
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", turn));
        }

        for (var i = 0; i < delayed.Count; i++)
        {
            Assert.Equal(Payloads.Numbered("delayed", i), world.Bob.Receive(world.Alice, delayed[i]).Payload);
        }
    }

    [Fact]
    public void Decrypt_RepliesCrossingInFlight_BothSidesDecryptEverything()
    {
        using var world = TestWorld.Established();
        var fromAlice = Enumerable.Range(0, 5).Select(i => world.Alice.Send(world.Bob, Payloads.Numbered("a", i))).ToList();
        var fromBob = Enumerable.Range(0, 5).Select(i => world.Bob.Send(world.Alice, Payloads.Numbered("b", i))).ToList();

        for (var i = 4; i >= 0; i--)
        {
            Assert.Equal(Payloads.Numbered("a", i), world.Bob.Receive(world.Alice, fromAlice[i]).Payload);
            Assert.Equal(Payloads.Numbered("b", i), world.Alice.Receive(world.Bob, fromBob[i]).Payload);
        }

        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("after the crossing"));
        TestWorld.Deliver(world.Bob, world.Alice, Payloads.Text("and back"));
    }
}
