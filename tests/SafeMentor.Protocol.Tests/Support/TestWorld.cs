namespace SafeMentor.Protocol.Tests.Support;

/// <summary>Two parties, Alice (the initiator) and Bob (the responder), each built afresh per test.</summary>
internal sealed class TestWorld : IDisposable
{
    public Party Alice { get; } = new("alice");

    public Party Bob { get; } = new("bob");

    /// <summary>Alice has run X3DH against Bob's bundle; nothing has been sent yet.</summary>
    public static TestWorld Initiated(bool withOneTimePrekey = true)
    {
        var world = new TestWorld();
        world.Alice.Initiate(world.Bob, withOneTimePrekey);
        return world;
    }

    /// <summary>Alice's first message has reached Bob and Bob's reply has reached Alice: both now send normal messages.</summary>
    public static TestWorld Established(bool withOneTimePrekey = true)
    {
        var world = Initiated(withOneTimePrekey);
        Deliver(world.Alice, world.Bob, Payloads.Text("hello bob"));
        Deliver(world.Bob, world.Alice, Payloads.Text("hello alice"));
        return world;
    }

    public Party Other(Party party) => ReferenceEquals(party, Alice) ? Bob : Alice;

    /// <summary>Sends one payload from <paramref name="from"/> to <paramref name="to"/>, delivers it at once and checks what arrives.</summary>
    public static byte[] Deliver(Party from, Party to, byte[] payload)
    {
        var wire = from.Send(to, payload);
        var result = to.Receive(from, wire);
        Assert.Equal(payload, result.Payload);
        return wire;
    }

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }
}
