using SafeMentor.Protocol.Primitives;

namespace SafeMentor.Protocol.Statements;

/// <summary>
/// The counterpart's consent to an export of a time range, signed by the counterpart (never the exporter):
/// <c>lbl("SafeMentor/v1/export-consent") || str(mentorshipId) || str(exporterAccountId) || u64(fromMs) || u64(toMs)
/// || str(purpose) || str(recipient) || u64(expiresMs) || u64(timestampMs)</c>.
/// </summary>
public sealed record ExportConsentStatement : ISignedStatement
{
    internal const string Label = "SafeMentor/v1/export-consent";

    /// <summary>Creates the statement; negative times or a range that ends before it starts are misuse.</summary>
    public ExportConsentStatement(string mentorshipId, string exporterAccountId, long fromMs, long toMs, string purpose, string recipient, long expiresMs, long timestampMs)
    {
        ArgumentNullException.ThrowIfNull(mentorshipId);
        ArgumentNullException.ThrowIfNull(exporterAccountId);
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentOutOfRangeException.ThrowIfNegative(fromMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(toMs, fromMs);
        ArgumentOutOfRangeException.ThrowIfNegative(expiresMs);
        ArgumentOutOfRangeException.ThrowIfNegative(timestampMs);
        MentorshipId = mentorshipId;
        ExporterAccountId = exporterAccountId;
        FromMs = fromMs;
        ToMs = toMs;
        Purpose = purpose;
        Recipient = recipient;
        ExpiresMs = expiresMs;
        TimestampMs = timestampMs;
    }

    /// <summary>The mentorship whose history may be exported.</summary>
    public string MentorshipId { get; }

    /// <summary>Who may export (the other party).</summary>
    public string ExporterAccountId { get; }

    /// <summary>Start of the consented range, ms since the Unix epoch.</summary>
    public long FromMs { get; }

    /// <summary>End of the consented range, ms since the Unix epoch.</summary>
    public long ToMs { get; }

    /// <summary>Why the record is exported.</summary>
    public string Purpose { get; }

    /// <summary>Who receives the record.</summary>
    public string Recipient { get; }

    /// <summary>When the consent lapses, ms since the Unix epoch.</summary>
    public long ExpiresMs { get; }

    /// <summary>When the statement was made, ms since the Unix epoch.</summary>
    public long TimestampMs { get; }

    /// <inheritdoc />
    public byte[] ToSignedBytes() => new ByteBuilder()
        .Label(Label)
        .Str(MentorshipId, nameof(MentorshipId))
        .Str(ExporterAccountId, nameof(ExporterAccountId))
        .U64((ulong)FromMs)
        .U64((ulong)ToMs)
        .Str(Purpose, nameof(Purpose))
        .Str(Recipient, nameof(Recipient))
        .U64((ulong)ExpiresMs)
        .U64((ulong)TimestampMs)
        .ToArray();
}
