using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Statements;

/// <summary>
/// The exporter's signature over an exported session record (docs/protocol.md, Export records):
/// <c>lbl("SafeMentor/v1/export-record") || str(mentorshipId) || str(exporterAccountId) || str(counterpartAccountId)
/// || groundRulesHash (32) || sigConsentExporter (64) || sigConsentCounterpart (64) || u64(fromMs) || u64(toMs)
/// || sigExportConsent (64) || u32(messageCount) || contentHash (32) || u64(createdAtMs)</c>.
/// The record hash is SHA-256 of these bytes; the server keeps only it and the statements, never the content.
/// </summary>
public sealed record ExportRecordStatement : ISignedStatement
{
    internal const string Label = "SafeMentor/v1/export-record";

    /// <summary>Creates the statement; hashes that are not 32 bytes or signatures that are not 64 bytes are misuse.</summary>
    public ExportRecordStatement(
        string mentorshipId,
        string exporterAccountId,
        string counterpartAccountId,
        byte[] groundRulesHash,
        byte[] exporterConsentSignature,
        byte[] counterpartConsentSignature,
        long fromMs,
        long toMs,
        byte[] exportConsentSignature,
        uint messageCount,
        byte[] contentHash,
        long createdAtMs)
    {
        ArgumentNullException.ThrowIfNull(mentorshipId);
        ArgumentNullException.ThrowIfNull(exporterAccountId);
        ArgumentNullException.ThrowIfNull(counterpartAccountId);
        RequireLength(groundRulesHash, 32, nameof(groundRulesHash));
        RequireLength(exporterConsentSignature, ProtocolConstants.SignatureSize, nameof(exporterConsentSignature));
        RequireLength(counterpartConsentSignature, ProtocolConstants.SignatureSize, nameof(counterpartConsentSignature));
        RequireLength(exportConsentSignature, ProtocolConstants.SignatureSize, nameof(exportConsentSignature));
        RequireLength(contentHash, 32, nameof(contentHash));
        ArgumentOutOfRangeException.ThrowIfNegative(fromMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(toMs, fromMs);
        ArgumentOutOfRangeException.ThrowIfNegative(createdAtMs);
        MentorshipId = mentorshipId;
        ExporterAccountId = exporterAccountId;
        CounterpartAccountId = counterpartAccountId;
        GroundRulesHash = groundRulesHash.ToArray();
        ExporterConsentSignature = exporterConsentSignature.ToArray();
        CounterpartConsentSignature = counterpartConsentSignature.ToArray();
        FromMs = fromMs;
        ToMs = toMs;
        ExportConsentSignature = exportConsentSignature.ToArray();
        MessageCount = messageCount;
        ContentHash = contentHash.ToArray();
        CreatedAtMs = createdAtMs;
    }

    /// <summary>The mentorship the record is of.</summary>
    public string MentorshipId { get; }

    /// <summary>Who exported (and signs this statement).</summary>
    public string ExporterAccountId { get; }

    /// <summary>The other party, who signed the export consent.</summary>
    public string CounterpartAccountId { get; }

    /// <summary>The ground-rules version both parties accepted.</summary>
    public byte[] GroundRulesHash { get; }

    /// <summary>The exporter's consent statement signature for those ground rules.</summary>
    public byte[] ExporterConsentSignature { get; }

    /// <summary>The counterpart's consent statement signature for those ground rules.</summary>
    public byte[] CounterpartConsentSignature { get; }

    /// <summary>Start of the exported range, ms since the Unix epoch.</summary>
    public long FromMs { get; }

    /// <summary>End of the exported range, ms since the Unix epoch.</summary>
    public long ToMs { get; }

    /// <summary>The counterpart's export consent signature.</summary>
    public byte[] ExportConsentSignature { get; }

    /// <summary>How many messages the record holds.</summary>
    public uint MessageCount { get; }

    /// <summary><see cref="ExportContent.Hash"/> of the messages.</summary>
    public byte[] ContentHash { get; }

    /// <summary>When the record was made, ms since the Unix epoch.</summary>
    public long CreatedAtMs { get; }

    /// <inheritdoc />
    public byte[] ToSignedBytes() => new ByteBuilder()
        .Label(Label)
        .Str(MentorshipId, nameof(MentorshipId))
        .Str(ExporterAccountId, nameof(ExporterAccountId))
        .Str(CounterpartAccountId, nameof(CounterpartAccountId))
        .Bytes(GroundRulesHash)
        .Bytes(ExporterConsentSignature)
        .Bytes(CounterpartConsentSignature)
        .U64((ulong)FromMs)
        .U64((ulong)ToMs)
        .Bytes(ExportConsentSignature)
        .U32(MessageCount)
        .Bytes(ContentHash)
        .U64((ulong)CreatedAtMs)
        .ToArray();

    /// <summary>The record hash: SHA-256 of <see cref="ToSignedBytes"/>.</summary>
    public byte[] RecordHash() => Crypto.Sha256(ToSignedBytes());

    private static void RequireLength(byte[] value, int length, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.Length != length)
        {
            throw new ArgumentException($"Expected {length} bytes, got {value.Length}.", name);
        }
    }
}

/// <summary>One exported message: its id, its sender's account id, its sending time and its text.</summary>
public sealed record ExportedMessage(string MessageId, string SenderAccountId, long SentAtMs, string Text);

/// <summary>
/// The content hash of an export record:
/// <c>SHA-256( lbl("SafeMentor/v1/export-content") || u32(count) || for each message, in record order:
/// str(messageId) || str(senderAccountId) || u64(sentAtMs) || str(text) )</c>.
/// </summary>
public static class ExportContent
{
    internal const string Label = "SafeMentor/v1/export-content";

    /// <summary>The canonical bytes that are hashed.</summary>
    public static byte[] CanonicalBytes(IReadOnlyList<ExportedMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var builder = new ByteBuilder().Label(Label).U32(checked((uint)messages.Count));
        foreach (var m in messages)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(m.SentAtMs);
            builder.Str(m.MessageId, nameof(m.MessageId))
                .Str(m.SenderAccountId, nameof(m.SenderAccountId))
                .U64((ulong)m.SentAtMs)
                .Str(m.Text, nameof(m.Text));
        }

        return builder.ToArray();
    }

    /// <summary>SHA-256 of <see cref="CanonicalBytes"/>, 32 bytes.</summary>
    public static byte[] Hash(IReadOnlyList<ExportedMessage> messages) => Crypto.Sha256(CanonicalBytes(messages));
}
