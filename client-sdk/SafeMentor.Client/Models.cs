using SafeMentor.Contracts;

namespace SafeMentor.Client;

/// <summary>A mentorship as this party sees it: its own role, the counterpart, consents and relay state.</summary>
public sealed record MentorshipInfo(
    string MentorshipId,
    string ProgrammeId,
    string MyRole,
    string CounterpartAccountId,
    string CounterpartPseudonym,
    uint GroundRulesVersion,
    bool IConsented,
    bool CounterpartConsented,
    bool RelayOpen,
    bool Ended);

/// <summary>The current ground rules of a mentorship, with the hash recomputed here and whether it matches the server's.</summary>
public sealed record GroundRulesView(GroundRulesDto Rules, string ComputedHash, bool HashMatches);

/// <summary>Where a message stands on this device.</summary>
public enum MessageStatus
{
    /// <summary>Written here, not yet known to be safe on the server (in the outbox).</summary>
    Pending,

    /// <summary>Accepted by the server.</summary>
    Sent,

    /// <summary>Received from the counterpart.</summary>
    Received,

    /// <summary>Refused for good (for example, the mentorship ended).</summary>
    Failed,
}

/// <summary>One message of the local history.</summary>
public sealed record ChatMessage(
    string MentorshipId,
    string MessageId,
    string SenderAccountId,
    bool Outgoing,
    long SentAtMs,
    long StoredAtMs,
    string Text,
    MessageStatus Status);

/// <summary>Where an export request stands.</summary>
public enum ExportRequestStatus
{
    /// <summary>Asked, not yet answered.</summary>
    Pending,

    /// <summary>The counterpart signed an export consent.</summary>
    Approved,

    /// <summary>The counterpart declined.</summary>
    Declined,
}

/// <summary>An export request, made here (<see cref="Incoming"/> false) or by the counterpart.</summary>
public sealed record ExportRequestInfo(
    string RequestId,
    string MentorshipId,
    string ExporterAccountId,
    bool Incoming,
    long FromMs,
    long ToMs,
    string Purpose,
    string Recipient,
    long ExpiresMs,
    ExportRequestStatus Status);

/// <summary>The state of the connection to the relay.</summary>
public enum ConnectionState
{
    /// <summary>Not connected and not trying.</summary>
    Disconnected,

    /// <summary>Connecting, or waiting to try again after a drop.</summary>
    Connecting,

    /// <summary>Connected: envelopes arrive and the outbox drains.</summary>
    Connected,
}

/// <summary>A message arrived and was stored.</summary>
public sealed class MessageReceivedEventArgs(ChatMessage message) : EventArgs
{
    /// <summary>The stored message.</summary>
    public ChatMessage Message { get; } = message;
}

/// <summary>A mentorship's relay opened or closed, or the mentorship ended.</summary>
public sealed class RelayStateChangedEventArgs(RelayStateDto state) : EventArgs
{
    /// <summary>The new state.</summary>
    public RelayStateDto State { get; } = state;
}

/// <summary>
/// A counterpart's identity key is not the one seen before: the same pseudonym in the same programme now has another
/// key, or a message claimed the counterpart's account with other keys. Compare safety numbers before trusting it.
/// </summary>
public sealed class IdentityKeyChangedEventArgs(string programmeId, string pseudonym, string previousAccountId, string newAccountId) : EventArgs
{
    /// <summary>The programme.</summary>
    public string ProgrammeId { get; } = programmeId;

    /// <summary>The counterpart's pseudonym.</summary>
    public string Pseudonym { get; } = pseudonym;

    /// <summary>The account (so key) seen before.</summary>
    public string PreviousAccountId { get; } = previousAccountId;

    /// <summary>The account (so key) seen now.</summary>
    public string NewAccountId { get; } = newAccountId;
}

/// <summary>The connection to the relay changed state.</summary>
public sealed class ConnectionStateChangedEventArgs(ConnectionState state) : EventArgs
{
    /// <summary>The new state.</summary>
    public ConnectionState State { get; } = state;
}

/// <summary>An export request arrived, or one of ours was answered.</summary>
public sealed class ExportRequestEventArgs(ExportRequestInfo request) : EventArgs
{
    /// <summary>The request as it stands now.</summary>
    public ExportRequestInfo Request { get; } = request;
}
