namespace SafeMentor.Server.Exports;

/// <summary>
/// A receipt for an export record: the export-record statement's fields and signatures, never the record's content.
/// Id is the record hash in lower-case hex, so filing the same record twice stores it once.
/// </summary>
internal sealed class ExportReceiptDocument
{
    public string Id { get; set; } = "";
    public string MentorshipId { get; set; } = "";
    public string ExporterId { get; set; } = "";
    public string CounterpartId { get; set; } = "";
    public byte[] GroundRulesHash { get; set; } = [];
    public byte[] ExporterConsentSignature { get; set; } = [];
    public byte[] CounterpartConsentSignature { get; set; } = [];
    public long FromMs { get; set; }
    public long ToMs { get; set; }
    public long MessageCount { get; set; }
    public byte[] ContentHash { get; set; } = [];
    public long CreatedAtMs { get; set; }
    public long ConsentFromMs { get; set; }
    public long ConsentToMs { get; set; }
    public string Purpose { get; set; } = "";
    public string Recipient { get; set; } = "";
    public long ConsentExpiresMs { get; set; }
    public long ConsentTimestampMs { get; set; }
    public byte[] ConsentSignature { get; set; } = [];
    public byte[] RecordSignature { get; set; } = [];
    public DateTime ReceivedAt { get; set; }
}
