using System.Text.Json;
using SafeMentor.Protocol.Identity;
using SafeMentor.Protocol.Primitives;
using SafeMentor.Protocol.Statements;

namespace SafeMentor.VectorGenerator;

/// <summary>Produces tests/vectors/statements.json: each kind of signed statement, one with non-ASCII strings.</summary>
public static class StatementVectors
{
    private const string Mentorship = "ms_4f7d2c0a9b1e";

    /// <summary>The exact text of statements.json.</summary>
    public static string Generate() => VectorJson.Write(writer =>
    {
        var exporter = AccountIdOf("consent-export-exporter");
        writer.WriteStartArray();

        Consent(writer, "consent-accept", new ConsentStatement(Mentorship, Crypto.Sha256("ground rules v1"u8), ConsentDecision.Accept, 1767225600000));
        Consent(writer, "consent-withdraw", new ConsentStatement(Mentorship, Crypto.Sha256("ground rules v2"u8), ConsentDecision.Withdraw, 1767312000123));
        Auth(writer, "auth-answer", "auth-answer");
        Export(writer, "export-consent", new ExportConsentStatement(Mentorship, exporter, 1767225600000, 1769904000000, "supervision review", "programme coordinator", 1772323200000, 1769904001000));
        Export(writer, "export-consent-non-ascii", new ExportConsentStatement("ms_größe_研修", exporter, 0, 1769904000000, "Fallbesprechung für die Supervision – 研修記録 ✓", "Koordinatorin Zoë", 1772323200000, 1769904001000));

        writer.WriteEndArray();
    });

    private static void Consent(Utf8JsonWriter writer, string name, ConsentStatement statement)
        => Write(writer, name, "consent", statement, fields =>
        {
            fields.WriteString("mentorshipId", statement.MentorshipId);
            fields.Hex("groundRulesHash", statement.GroundRulesHash);
            fields.WriteNumber("decision", (int)statement.Decision);
            fields.WriteNumber("timestampMs", statement.TimestampMs);
        });

    private static void Auth(Utf8JsonWriter writer, string name, string signer)
    {
        // In an auth answer the account id is the signer's own.
        using var identity = LocalIdentity.Import(TestKeys.Derive(name, signer, "identity-signing"), TestKeys.Derive(name, signer, "identity-dh"));
        var statement = new AuthStatement(identity.AccountId, TestKeys.Derive(name, "server", "nonce"));
        Write(writer, name, "auth", statement, fields =>
        {
            fields.WriteString("accountId", statement.AccountId);
            fields.Hex("nonce", statement.Nonce);
        }, signer);
    }

    private static void Export(Utf8JsonWriter writer, string name, ExportConsentStatement statement)
        => Write(writer, name, "export-consent", statement, fields =>
        {
            fields.WriteString("mentorshipId", statement.MentorshipId);
            fields.WriteString("exporterAccountId", statement.ExporterAccountId);
            fields.WriteNumber("fromMs", statement.FromMs);
            fields.WriteNumber("toMs", statement.ToMs);
            fields.WriteString("purpose", statement.Purpose);
            fields.WriteString("recipient", statement.Recipient);
            fields.WriteNumber("expiresMs", statement.ExpiresMs);
            fields.WriteNumber("timestampMs", statement.TimestampMs);
        });

    private static void Write(Utf8JsonWriter writer, string name, string kind, ISignedStatement statement, Action<Utf8JsonWriter> fields, string signer = "signer")
    {
        var seed = TestKeys.Derive(name, signer, "identity-signing");
        using var identity = LocalIdentity.Import(seed, TestKeys.Derive(name, signer, "identity-dh"));
        var message = statement.ToSignedBytes();
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("kind", kind);
        writer.Hex("signingSeed", seed);
        writer.WriteStartObject("fields");
        fields(writer);
        writer.WriteEndObject();
        writer.Hex("message", message);
        writer.Hex("signature", identity.Sign(message));
        writer.WriteEndObject();
    }

    private static string AccountIdOf(string name)
    {
        using var identity = LocalIdentity.Import(TestKeys.Derive(name, "exporter", "identity-signing"), TestKeys.Derive(name, "exporter", "identity-dh"));
        return identity.AccountId;
    }
}
