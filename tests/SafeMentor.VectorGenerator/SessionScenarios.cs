using System.Text;

namespace SafeMentor.VectorGenerator;

/// <summary>A step of a session vector: a send by one party, or the delivery of an earlier send to the other.</summary>
internal abstract record Step(string Party, string Id);

internal sealed record SendStep(string Party, string Id, byte[] Payload) : Step(Party, Id);

internal sealed record ReceiveStep(string Party, string Id) : Step(Party, Id);

/// <summary>A conversation to record, with the responder's prekey ids.</summary>
internal sealed record SessionScenario(string Name, uint SignedPrekeyId, uint? OneTimePrekeyId, IReadOnlyList<Step> Steps);

/// <summary>
/// The conversations the spec asks the vectors to cover: with and without a one-time prekey, several DH
/// ratchet steps, a skipped key used after the receiver moved to a newer chain, an empty payload, and the
/// padding boundary at 255 and 256 bytes.
/// </summary>
internal static class SessionScenarios
{
    private const string Alice = "alice";
    private const string Bob = "bob";

    public static IReadOnlyList<SessionScenario> All { get; } =
    [
        new("one-time-prekey-ping-pong", 1, 17,
        [
            Send(Alice, "a1", "Hello, could we talk about my first clinical rotation?"),
            Receive(Bob, "a1"),
            Send(Bob, "b1", "Of course. What worries you most?"),
            Receive(Alice, "b1"),
            Send(Alice, "a2", "Speaking up when a senior makes a mistake."),
            Receive(Bob, "a2"),
            Send(Bob, "b2", "That is a very common worry; let us plan for it."),
            Receive(Alice, "b2"),
        ]),
        new("signed-prekey-only-out-of-order-prekey-messages", 42, null,
        [
            Send(Alice, "a1", "First message, sent before any reply."),
            Send(Alice, "a2", "Second message, also a prekey message."),
            Receive(Bob, "a2"),
            Receive(Bob, "a1"),
            Send(Bob, "b1", "Both arrived, the second one first."),
            Receive(Alice, "b1"),
            Send(Alice, "a3", "Now I send normal messages."),
            Receive(Bob, "a3"),
        ]),
        new("skipped-key-after-newer-chain", 3, 5,
        [
            Send(Alice, "a1", "one"),
            Send(Alice, "a2", "two, delivered last"),
            Send(Alice, "a3", "three"),
            Receive(Bob, "a1"),
            Receive(Bob, "a3"),
            Send(Bob, "b1", "got one and three"),
            Receive(Alice, "b1"),
            Send(Alice, "a4", "four, on a new sending chain"),
            Receive(Bob, "a4"),
            Receive(Bob, "a2"),
            Send(Bob, "b2", "and now two, from the older chain"),
            Receive(Alice, "b2"),
        ]),
        new("empty-payloads", 9, 1,
        [
            new SendStep(Alice, "a1", []),
            Receive(Bob, "a1"),
            new SendStep(Bob, "b1", []),
            Receive(Alice, "b1"),
        ]),
        new("padding-boundaries", 2, null,
        [
            new SendStep(Alice, "a1", Filled(255, 0x61)),
            Receive(Bob, "a1"),
            new SendStep(Bob, "b1", Filled(256, 0x62)),
            Receive(Alice, "b1"),
            new SendStep(Alice, "a2", Filled(1, 0x80)),
            Receive(Bob, "a2"),
        ]),
    ];

    private static SendStep Send(string party, string id, string text) => new(party, id, Encoding.UTF8.GetBytes(text));

    private static ReceiveStep Receive(string party, string id) => new(party, id);

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
