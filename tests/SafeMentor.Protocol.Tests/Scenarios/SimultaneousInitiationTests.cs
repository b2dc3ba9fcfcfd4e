using SafeMentor.Protocol.Tests.Support;

namespace SafeMentor.Protocol.Tests.Scenarios;

/// <summary>Both parties initiate at once; trying previous sessions makes them converge (docs/protocol.md, X3DH).</summary>
public sealed class SimultaneousInitiationTests
{
    [Fact]
    public void Decrypt_BothInitiateThenExchange_LongConversationWorksBothWays()
    {
        using var world = new TestWorld();
        world.Alice.Initiate(world.Bob);
        world.Bob.Initiate(world.Alice);

        var fromAlice = world.Alice.Send(world.Bob, Payloads.Text("alice starts"));
        var fromBob = world.Bob.Send(world.Alice, Payloads.Text("bob starts"));
        Assert.Equal(WireLayout.TypePrekey, fromAlice[1]);
        Assert.Equal(WireLayout.TypePrekey, fromBob[1]);

        var atBob = world.Bob.Receive(world.Alice, fromAlice);
        var atAlice = world.Alice.Receive(world.Bob, fromBob);
        Assert.True(atBob.StartedSession);
        Assert.True(atAlice.StartedSession);
        Assert.Equal(Payloads.Text("alice starts"), atBob.Payload);
        Assert.Equal(Payloads.Text("bob starts"), atAlice.Payload);

        var sender = world.Alice;
        for (var i = 0; i < 200; i++)
        {
            TestWorld.Deliver(sender, world.Other(sender), Payloads.Numbered(sender.Name, i));
            if (i % 7 != 3)
            {
                sender = world.Other(sender);
            }
        }

        Assert.True(world.Alice.RecordFor(world.Bob).PreviousSessionCount <= ProtocolConstants.MaxPreviousSessions);
    }

    [Fact]
    public void Decrypt_BothInitiateAndKeepSendingBeforeEitherReceives_EverythingDecrypts()
    {
        using var world = new TestWorld();
        world.Alice.Initiate(world.Bob);
        world.Bob.Initiate(world.Alice);
        var fromAlice = Enumerable.Range(0, 3).Select(i => world.Alice.Send(world.Bob, Payloads.Numbered("a", i))).ToList();
        var fromBob = Enumerable.Range(0, 3).Select(i => world.Bob.Send(world.Alice, Payloads.Numbered("b", i))).ToList();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(Payloads.Numbered("a", i), world.Bob.Receive(world.Alice, fromAlice[i]).Payload);
            Assert.Equal(Payloads.Numbered("b", i), world.Alice.Receive(world.Bob, fromBob[i]).Payload);
        }

        // Replies cross in flight once more before the two sides settle on one pair of sessions.
        var crossingA = world.Alice.Send(world.Bob, Payloads.Text("crossing a"));
        var crossingB = world.Bob.Send(world.Alice, Payloads.Text("crossing b"));
        Assert.Equal(Payloads.Text("crossing a"), world.Bob.Receive(world.Alice, crossingA).Payload);
        Assert.Equal(Payloads.Text("crossing b"), world.Alice.Receive(world.Bob, crossingB).Payload);

        for (var i = 0; i < 50; i++)
        {
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", 100 + i));
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Numbered("b", 100 + i));
        }

        // Once settled, both sides send normal messages.
        var last = world.Alice.Send(world.Bob, Payloads.Text("settled"));
        Assert.Equal(WireLayout.TypeNormal, last[1]);
        Assert.Equal(Payloads.Text("settled"), world.Bob.Receive(world.Alice, last).Payload);
    }

    [Fact]
    public void Decrypt_OnlyOneSidesFirstMessageArrives_ConversationStillWorks()
    {
        using var world = new TestWorld();
        world.Alice.Initiate(world.Bob);
        world.Bob.Initiate(world.Alice);
        world.Bob.Send(world.Alice, Payloads.Text("lost"));

        TestWorld.Deliver(world.Alice, world.Bob, Payloads.Text("arrives"));
        for (var i = 0; i < 20; i++)
        {
            TestWorld.Deliver(world.Bob, world.Alice, Payloads.Numbered("b", i));
            TestWorld.Deliver(world.Alice, world.Bob, Payloads.Numbered("a", i));
        }
    }
}
