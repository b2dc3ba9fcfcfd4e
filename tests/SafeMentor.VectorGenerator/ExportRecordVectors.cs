using System.Text.Json;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.VectorGenerator;

/// <summary>
/// Produces tests/vectors/export-records.json: the export content hash and the exporter's export-record statement,
/// with real consent signatures, so another implementation can check the bytes an export record's hash and signature cover.
/// </summary>
public static class ExportRecordVectors
{
    /// <summary>The exact text of export-records.json.</summary>
    public static string Generate() => VectorJson.Write(writer =>
    {
        writer.WriteStartArray();
        Write(writer, "two-messages", "ms_4f7d2c0a9b1e", [("m1", 0, 1767261600000, "Can we talk about my first rotation?"), ("m2", 1, 1767261660000, "Of course. How did the first week go?")]);
        Write(writer, "non-ascii-text", "ms_größe_研修", [("nachricht-1", 1, 1767261600000, "Fallbesprechung – 研修記録 ✓\nzweite Zeile")]);
        Write(writer, "no-messages", "ms_4f7d2c0a9b1e", []);
        writer.WriteEndArray();
    });

    private static void Write(Utf8JsonWriter writer, string name, string mentorshipId, (string Id, int Sender, long SentAtMs, string Text)[] texts)
    {
        var exporterSeed = TestKeys.Derive(name, "exporter", "identity-signing");
        using var exporter = LocalIdentity.Import(exporterSeed, TestKeys.Derive(name, "exporter", "identity-dh"));
        using var counterpart = LocalIdentity.Import(TestKeys.Derive(name, "counterpart", "identity-signing"), TestKeys.Derive(name, "counterpart", "identity-dh"));
        const long From = 1767225600000, To = 1769904000000, Created = 1769904002000;
        var groundRulesHash = Crypto.Sha256("ground rules v1"u8);
        var exporterConsent = StatementSigner.Sign(exporter, new ConsentStatement(mentorshipId, groundRulesHash, ConsentDecision.Accept, 1767225600000));
        var counterpartConsent = StatementSigner.Sign(counterpart, new ConsentStatement(mentorshipId, groundRulesHash, ConsentDecision.Accept, 1767225601000));
        var exportConsent = StatementSigner.Sign(counterpart, new ExportConsentStatement(mentorshipId, exporter.AccountId, From, To, "supervision review", "programme coordinator", 1772323200000, 1769904001000));
        var messages = texts.Select(t => new ExportedMessage(t.Id, t.Sender == 0 ? counterpart.AccountId : exporter.AccountId, t.SentAtMs, t.Text)).ToList();
        var contentHash = ExportContent.Hash(messages);
        var statement = new ExportRecordStatement(
            mentorshipId, exporter.AccountId, counterpart.AccountId, groundRulesHash, exporterConsent, counterpartConsent, From, To, exportConsent, (uint)messages.Count, contentHash, Created);
        var signed = statement.ToSignedBytes();

        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.Hex("exporterSigningSeed", exporterSeed);
        writer.WriteStartArray("messages");
        foreach (var m in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("messageId", m.MessageId);
            writer.WriteString("senderAccountId", m.SenderAccountId);
            writer.WriteNumber("sentAtMs", m.SentAtMs);
            writer.WriteString("text", m.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.Hex("contentCanonical", ExportContent.CanonicalBytes(messages));
        writer.Hex("contentHash", contentHash);
        writer.WriteStartObject("fields");
        writer.WriteString("mentorshipId", mentorshipId);
        writer.WriteString("exporterAccountId", exporter.AccountId);
        writer.WriteString("counterpartAccountId", counterpart.AccountId);
        writer.Hex("groundRulesHash", groundRulesHash);
        writer.Hex("exporterConsentSignature", exporterConsent);
        writer.Hex("counterpartConsentSignature", counterpartConsent);
        writer.WriteNumber("fromMs", From);
        writer.WriteNumber("toMs", To);
        writer.Hex("exportConsentSignature", exportConsent);
        writer.WriteNumber("messageCount", messages.Count);
        writer.Hex("contentHash", contentHash);
        writer.WriteNumber("createdAtMs", Created);
        writer.WriteEndObject();
        writer.Hex("message", signed);
        writer.Hex("recordHash", Crypto.Sha256(signed));
        writer.Hex("signature", StatementSigner.Sign(exporter, statement));
        writer.WriteEndObject();
    }
}
