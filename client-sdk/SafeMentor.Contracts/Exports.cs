namespace SafeMentor.Contracts;

/// <summary>
/// The counterpart's signed export consent (protocol §Signed statements, export consent) as it travels in a receipt.
/// The mentorship and the exporter are implied by the route and the caller. <paramref name="Signature"/> is base64.
/// </summary>
public sealed record ExportConsentDto(
    long FromMs,
    long ToMs,
    string Purpose,
    string Recipient,
    long ExpiresMs,
    long TimestampMs,
    string Signature);

/// <summary>
/// A receipt for an export record, filed by the exporter: the fields of the export-record statement
/// (docs/protocol.md, Export records), never the record's content. Hashes and signatures are base64.
/// <paramref name="RecordHash"/> is SHA-256 of the statement's bytes; <paramref name="Signature"/> is the exporter's
/// signature over them.
/// </summary>
public sealed record ExportReceiptRequest(
    string RecordHash,
    string GroundRulesHash,
    string ExporterConsentSignature,
    string CounterpartConsentSignature,
    long FromMs,
    long ToMs,
    uint MessageCount,
    string ContentHash,
    long CreatedAtMs,
    ExportConsentDto ExportConsent,
    string Signature);

/// <summary>A stored export receipt: who exported which range of which mentorship, the record hash, and when the server was told.</summary>
public sealed record ExportReceiptDto(
    string MentorshipId,
    string ExporterAccountId,
    string CounterpartAccountId,
    string RecordHash,
    long FromMs,
    long ToMs,
    uint MessageCount,
    string Purpose,
    string Recipient,
    DateTimeOffset ReceivedAt);
