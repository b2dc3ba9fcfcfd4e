namespace SafeMentor.Protocol.Tests.Support;

internal static class Rejection
{
    /// <summary>
    /// Asserts that <paramref name="receiver"/> rejects <paramref name="wire"/> from <paramref name="sender"/> with
    /// exactly <paramref name="expected"/>, as a <see cref="ProtocolException"/> and nothing else, and that neither
    /// its session record nor its prekey store changed by a single byte.
    /// </summary>
    public static void Assert(Party receiver, Party sender, byte[] wire, ProtocolError expected)
    {
        var (record, prekeys) = receiver.Snapshot(sender);
        var e = Xunit.Assert.Throws<ProtocolException>(() => receiver.Receive(sender, wire));
        Xunit.Assert.Equal(expected, e.Error);
        var (recordAfter, prekeysAfter) = receiver.Snapshot(sender);
        Xunit.Assert.Equal(record, recordAfter);
        Xunit.Assert.Equal(prekeys, prekeysAfter);
    }
}
