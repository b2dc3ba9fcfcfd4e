using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SafeMentor.Client.Exports;

/// <summary>
/// A consented session record, format <c>safementor-export-record</c> version 1 (docs/protocol.md, Export records).
/// The JSON file is the record; <see cref="ToMarkdown"/> is a readable rendering of it. Binary values are base64,
/// times are milliseconds since the Unix epoch. Pseudonyms are labels for people and are not signed.
/// </summary>
public sealed class ExportRecord
{
    /// <summary>The value of <see cref="Format"/>.</summary>
    public const string FormatName = "safementor-export-record";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The format version (1).</summary>
    public int Version { get; init; } = 1;

    /// <summary>The mentorship.</summary>
    public required string MentorshipId { get; init; }

    /// <summary>Who exported and signed the record.</summary>
    public required ExportParty Exporter { get; init; }

    /// <summary>The other party, who consented to the export.</summary>
    public required ExportParty Counterpart { get; init; }

    /// <summary>The ground rules both parties accepted, with their hash.</summary>
    public required ExportGroundRules GroundRules { get; init; }

    /// <summary>Each party's signed consent to those ground rules.</summary>
    public required ExportConsents Consents { get; init; }

    /// <summary>The counterpart's signed export consent.</summary>
    public required ExportConsentFields ExportConsent { get; init; }

    /// <summary>Start of the exported range.</summary>
    public required long FromMs { get; init; }

    /// <summary>End of the exported range.</summary>
    public required long ToMs { get; init; }

    /// <summary>When the record was made.</summary>
    public required long CreatedAtMs { get; init; }

    /// <summary>The messages in the range, in history order.</summary>
    public required IReadOnlyList<ExportMessage> Messages { get; init; }

    /// <summary>SHA-256 of the canonical content bytes.</summary>
    public required string ContentHash { get; init; }

    /// <summary>SHA-256 of the export-record statement: what the server's receipt holds.</summary>
    public required string RecordHash { get; init; }

    /// <summary>The exporter's signature over the export-record statement.</summary>
    public required string Signature { get; init; }

    /// <summary>The record as JSON (UTF-8 text, indented).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a record; null when the text is not JSON of this shape.</summary>
    public static ExportRecord? Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ExportRecord>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A readable rendering for people; the JSON stays the record that is verified.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# SafeMentor session record").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Mentorship: `{MentorshipId}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Exported by: {Exporter.Pseudonym} (`{Exporter.AccountId}`)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Counterpart: {Counterpart.Pseudonym} (`{Counterpart.AccountId}`)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Range: {Time(FromMs)} to {Time(ToMs)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Purpose: {ExportConsent.Purpose}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Recipient: {ExportConsent.Recipient}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Consent given {Time(ExportConsent.TimestampMs)}, expires {Time(ExportConsent.ExpiresMs)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Ground rules: version {GroundRules.Version}, hash `{GroundRules.Hash}`");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Created: {Time(CreatedAtMs)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Record hash: `{RecordHash}`").AppendLine();
        md.AppendLine("## Ground rules").AppendLine();
        foreach (var line in GroundRules.Text.Split('\n'))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"> {line}");
        }

        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Messages ({Messages.Count})").AppendLine();
        foreach (var m in Messages)
        {
            var who = m.SenderAccountId == Exporter.AccountId ? Exporter.Pseudonym : Counterpart.Pseudonym;
            md.AppendLine(CultureInfo.InvariantCulture, $"**{who}**, {Time(m.SentAtMs)}").AppendLine();
            foreach (var line in m.Text.Split('\n'))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"> {line}");
            }

            md.AppendLine();
        }

        md.AppendLine("---").AppendLine();
        md.AppendLine("This is a rendering. The JSON file is the signed record: check it with `safementor verify <file>.json`.");
        return md.ToString();
    }

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>A party of the record: its public identity (which verifies itself) and its pseudonym (an unsigned label).</summary>
public sealed record ExportParty(string AccountId, string Pseudonym, string IdentitySigningKey, string IdentityDhKey, string IdentitySignature);

/// <summary>The ground-rules version of the record, with its canonical hash.</summary>
public sealed record ExportGroundRules(
    string ProgrammeId,
    uint Version,
    string Text,
    long UndeliveredRetentionMs,
    long ClientHistoryRetentionMs,
    bool ExportAllowed,
    string ContactHours,
    uint ExpectedResponseHours,
    string Hash);

/// <summary>A signed consent to the ground rules (decision accept).</summary>
public sealed record ExportGroundRulesConsent(long TimestampMs, string Signature);

/// <summary>Both parties' consents to the ground rules.</summary>
public sealed record ExportConsents(ExportGroundRulesConsent Exporter, ExportGroundRulesConsent Counterpart);

/// <summary>The counterpart's export consent fields and signature.</summary>
public sealed record ExportConsentFields(long FromMs, long ToMs, string Purpose, string Recipient, long ExpiresMs, long TimestampMs, string Signature);

/// <summary>One exported message.</summary>
public sealed record ExportMessage(string MessageId, string SenderAccountId, long SentAtMs, string Text);

/// <summary>The outcome of <see cref="ExportVerifier.Verify(string)"/>.</summary>
public sealed record ExportVerification(bool IsValid, IReadOnlyList<string> Problems, ExportRecord? Record);
