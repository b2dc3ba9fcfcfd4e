using SafeMentor.Client.Messaging;
using SafeMentor.Contracts;

namespace SafeMentor.Client.Storage;

// Structured records of the store, as sealed JSON. Private keys are never here: they are stored as raw bytes
// under RecordNames.IdentityKeys, prekeys and sessions in the protocol library's binary layouts.

/// <summary>The account this store belongs to.</summary>
internal sealed record AccountRecord(string AccountId, string? Pseudonym, string? ServerUrl, bool Joined);

/// <summary>The newest refresh token.</summary>
internal sealed record TokenRecord(string RefreshToken);

/// <summary>When the signed prekey was last rotated.</summary>
internal sealed record PrekeyMeta(long RotatedAtMs);

/// <summary>A contact's pinned identity.</summary>
internal sealed record ContactRecord(string AccountId, string SigningKey, string DhKey, string Binding);

/// <summary>Who held a pseudonym in a programme, to warn when it comes back with another key.</summary>
internal sealed record PseudonymRecord(string AccountId);

/// <summary>The mentorships last listed, with the ground rules last read.</summary>
internal sealed record MentorshipCache(List<MentorshipDto> Mentorships);

/// <summary>A consent statement this party signed.</summary>
internal sealed record MyConsentRecord(string GroundRulesHash, long TimestampMs, string Signature, string Decision);

/// <summary>The latest consent time this party used in a mentorship (statements must move forward).</summary>
internal sealed record ConsentClock(long LastTimestampMs);

/// <summary>First and next sequence numbers of an ordered list (history of a mentorship, outbox).</summary>
internal sealed record Sequence(long First, long Next);

/// <summary>Mentorships that have history, for retention sweeps.</summary>
internal sealed record HistoryIndex(List<string> MentorshipIds);

/// <summary>One stored message.</summary>
internal sealed record HistoryEntry(
    string MessageId,
    string SenderAccountId,
    bool Outgoing,
    long SentAtMs,
    long StoredAtMs,
    string Text,
    MessageStatus Status);

/// <summary>Where the history entry of a message id lives, so a status can be updated.</summary>
internal sealed record MessageLocation(string MentorshipId, long Sequence);

/// <summary>
/// A payload waiting to leave. <see cref="Wire"/> is set, durably with the session state, before the first send;
/// from then on the same wire message is resent under the same envelope id, never re-encrypted.
/// </summary>
internal sealed record OutboxEntry(long Sequence, string MentorshipId, string Recipient, string EnvelopeId, byte[] Payload, byte[]? Wire, bool IsText);

/// <summary>Envelope ids recently stored, to drop duplicates (and acknowledge them again).</summary>
internal sealed record RecentEnvelopes(List<string> Ids);

/// <summary>An export request and, once approved, the consent.</summary>
internal sealed record ExportRequestRecord(
    string RequestId,
    string MentorshipId,
    string ExporterAccountId,
    bool Incoming,
    ExportRequestBody Request,
    ExportRequestStatus Status,
    ExportConsentBody? Consent,
    GroundRulesConsentBody? CounterpartGroundRulesConsent);

/// <summary>Ids of export requests, incoming and outgoing.</summary>
internal sealed record ExportIndex(List<string> RequestIds);

/// <summary>Names of the store's records; each is hashed into an opaque id before it reaches the file.</summary>
internal static class RecordNames
{
    public const string Account = "account";
    public const string IdentityKeys = "identity-keys";
    public const string Tokens = "tokens";
    public const string Prekeys = "prekeys";
    public const string PrekeyMeta = "prekeys/meta";
    public const string Mentorships = "mentorships";
    public const string HistoryIndex = "history/index";
    public const string Outbox = "outbox";
    public const string RecentEnvelopes = "recent-envelopes";
    public const string ExportIndex = "exports";

    public static string Session(string peer) => $"session/{peer}";

    public static string Contact(string accountId) => $"contact/{accountId}";

    public static string Pseudonym(string programmeId, string pseudonym) => $"pseudonym/{programmeId}/{pseudonym}";

    public static string GroundRules(string mentorshipId) => $"rules/{mentorshipId}";

    public static string MyConsent(string mentorshipId, string hash) => $"consent/{mentorshipId}/{hash}";

    public static string ConsentClock(string mentorshipId) => $"consent-clock/{mentorshipId}";

    public static string History(string mentorshipId) => $"history/{mentorshipId}";

    public static string HistoryItem(string mentorshipId, long sequence) => $"history/{mentorshipId}/{sequence}";

    public static string Message(string messageId) => $"message/{messageId}";

    public static string OutboxItem(long sequence) => $"outbox/{sequence}";

    public static string Export(string requestId) => $"export/{requestId}";
}
