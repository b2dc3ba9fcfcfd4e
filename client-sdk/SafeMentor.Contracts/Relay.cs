namespace SafeMentor.Contracts;

/// <summary>Names of the hub's methods, for clients that invoke them by name.</summary>
public static class HubMethods
{
    /// <summary>Client to server: send an envelope. Arguments: envelopeId, mentorshipId, recipient, ciphertext.</summary>
    public const string Send = nameof(IRelayHub.Send);

    /// <summary>Client to server: acknowledge (and so delete) delivered envelopes. Argument: an array of envelope ids.</summary>
    public const string Ack = nameof(IRelayHub.Ack);

    /// <summary>Server to client: an envelope for the caller.</summary>
    public const string ReceiveEnvelope = nameof(IRelayClient.ReceiveEnvelope);

    /// <summary>Server to client: a mentorship's relay opened or closed.</summary>
    public const string RelayStateChanged = nameof(IRelayClient.RelayStateChanged);
}

/// <summary>The methods a client may invoke on the hub.</summary>
public interface IRelayHub
{
    /// <summary>
    /// Sends opaque <paramref name="ciphertext"/> to <paramref name="recipient"/> within a mentorship. Completes only
    /// once the envelope is durably stored or already acknowledged by the recipient. Idempotent by
    /// <paramref name="envelopeId"/>.
    /// </summary>
    Task<SendResult> Send(string envelopeId, string mentorshipId, string recipient, byte[] ciphertext);

    /// <summary>Acknowledges envelopes the caller received and stored; the server deletes them.</summary>
    Task<AckResult> Ack(string[] envelopeIds);
}

/// <summary>The methods the server invokes on a connected client.</summary>
public interface IRelayClient
{
    /// <summary>An envelope for the caller, live or from its queue.</summary>
    Task ReceiveEnvelope(EnvelopeDto envelope);

    /// <summary>A mentorship's relay changed state (consent given or withdrawn, new ground rules, ended).</summary>
    Task RelayStateChanged(RelayStateDto state);
}

/// <summary>An envelope as delivered. <paramref name="ReceivedAtMs"/> is the server's receipt time, ms since the Unix epoch.</summary>
public sealed record EnvelopeDto(string EnvelopeId, string MentorshipId, string Sender, byte[] Ciphertext, long ReceivedAtMs);

/// <summary>The answer to <c>Send</c>; a resend of the same envelope id gets the same answer.</summary>
public sealed record SendResult(string EnvelopeId, long ReceivedAtMs);

/// <summary>How many of the acknowledged envelopes were still held and have now been deleted.</summary>
public sealed record AckResult(int Deleted);

/// <summary>A mentorship's relay state: open, the ground-rules version in force, whether it has ended.</summary>
public sealed record RelayStateDto(string MentorshipId, bool Open, uint GroundRulesVersion, bool Ended);
